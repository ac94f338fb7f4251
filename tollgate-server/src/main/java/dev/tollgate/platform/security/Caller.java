package dev.tollgate.platform.security;

import java.util.Objects;

/**
 * Who is calling: a service key (by key id) or an end user (by account id). Endpoints that read one
 * account ask {@link #mayRead(String)}; an end user asking for someone else's account must get the
 * same answer as for a missing one.
 */
public record Caller(Role role, String id) {

    public Caller {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(id, "id");
    }

    public static Caller key(String keyId, Role role) {
        return new Caller(role, keyId);
    }

    public static Caller endUser(String accountId) {
        return new Caller(Role.USER, accountId);
    }

    public boolean isEndUser() {
        return role == Role.USER;
    }

    public boolean mayRead(String accountId) {
        return !isEndUser() || id.equals(accountId);
    }

    /** The namespace for this caller's idempotency keys. */
    public String scope() {
        return (isEndUser() ? "user:" : "key:") + id;
    }
}
