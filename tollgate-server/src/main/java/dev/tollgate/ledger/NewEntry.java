package dev.tollgate.ledger;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A ledger entry to append; its id and time are assigned on insert. */
record NewEntry(String accountId, Meter meter, EntryType type, long amount, long balanceAfter,
        @Nullable String description, @Nullable String reference, String actor, Map<String, Object> metadata) {}
