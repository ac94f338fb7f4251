package dev.tollgate.client;

import java.util.Map;
import java.util.Objects;

/**
 * An account to create: the host app's id for its user (up to 128 characters), and optionally a plan
 * (the configured default otherwise), an email and free-form metadata.
 */
public record NewAccount(String id, String plan, String email, Map<String, Object> metadata) {

    public NewAccount {
        Objects.requireNonNull(id, "id");
        metadata = metadata == null ? null : Copies.map(metadata);
    }

    public static NewAccount of(String id) {
        return new NewAccount(id, null, null, null);
    }

    public static NewAccount of(String id, String plan) {
        return new NewAccount(id, plan, null, null);
    }

    public NewAccount withEmail(String newEmail) {
        return new NewAccount(id, plan, newEmail, metadata);
    }

    public NewAccount withMetadata(Map<String, Object> newMetadata) {
        return new NewAccount(id, plan, email, newMetadata);
    }
}
