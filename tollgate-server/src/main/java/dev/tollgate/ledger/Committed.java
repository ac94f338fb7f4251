package dev.tollgate.ledger;

/** A settled call; {@code replayed} when the same commit had already been made. */
public record Committed(UsageRecord usage, boolean replayed) {}
