package dev.tollgate.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An account's gateway key as stored (never its secret). {@code models} empty means every priced model.
 */
public record GatewayKey(String id, String accountId, @Nullable String name, String prefix, List<String> models,
        Instant createdAt, @Nullable Instant expiresAt, @Nullable Instant revokedAt) {

    public GatewayKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        models = List.copyOf(models);
    }

    /** Usable at {@code now}: not revoked, not expired. */
    boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    boolean allows(String model) {
        return models.isEmpty() || models.contains(model);
    }
}
