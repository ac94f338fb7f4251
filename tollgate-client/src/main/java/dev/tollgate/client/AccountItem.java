package dev.tollgate.client;

import java.time.Instant;

/** One account of a list: its id, email and creation time; {@link TollgateClient#account} has the rest. */
public record AccountItem(String id, String email, Instant createdAt) {}
