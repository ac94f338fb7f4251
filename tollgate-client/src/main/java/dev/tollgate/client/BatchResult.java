package dev.tollgate.client;

/** The outcome of a backfill: accounts created, and ids that already existed (left as they were). */
public record BatchResult(int created, int existing) {}
