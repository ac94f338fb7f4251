package dev.tollgate.ledger;

/** A settled call; {@code replayed} when the same commit had already been made. */
public record CommitResult(UsageRecord usage, boolean replayed) {}
