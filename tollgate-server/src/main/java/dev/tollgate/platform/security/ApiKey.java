package dev.tollgate.platform.security;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A service key as listed: never its secret. */
public record ApiKey(String id, String name, Role role, String prefix, Instant createdAt,
        @Nullable Instant revokedAt) {}
