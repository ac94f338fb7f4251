package dev.tollgate.client;

import java.time.Instant;

/** A single-use link to one account's billing page. */
public record PortalSession(String id, String url, Instant expiresAt) {}
