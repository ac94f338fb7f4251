package dev.tollgate.client;

import java.time.Instant;
import java.util.List;

/**
 * An account's virtual key for the OpenAI- and Anthropic-compatible gateway. {@code secret}
 * ({@code tgv_...}) is only set on the answer that created the key; it is shown once. A revoked key is
 * still listed, with {@code revokedAt}.
 */
public record GatewayKey(String id, String accountId, String name, String secret, List<String> models,
        Instant expiresAt, Instant createdAt, Instant revokedAt) {

    public GatewayKey {
        models = models == null ? null : List.copyOf(models);
    }

    @Override
    public String toString() {
        return "GatewayKey[id=" + id + ", accountId=" + accountId + ", name=" + name + ", secret="
                + (secret == null ? null : "redacted") + ", models=" + models + ", expiresAt=" + expiresAt + ", revokedAt=" + revokedAt + "]";
    }
}
