package dev.tollgate.account;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One end user of the host app, known by the host's id (a Supabase auth uid, say). */
public record Account(String id, @Nullable String email, Map<String, Object> metadata, Instant createdAt) {}
