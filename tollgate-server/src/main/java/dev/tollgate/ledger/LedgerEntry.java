package dev.tollgate.ledger;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One immutable movement of one meter, with the meter's value after it. */
public record LedgerEntry(
        long id,
        String accountId,
        Meter meter,
        EntryType type,
        long amount,
        long balanceAfter,
        @Nullable String description,
        @Nullable String reference,
        String actor,
        Map<String, Object> metadata,
        Instant createdAt) {

    public static final String ID_PREFIX = "le_";

    public String publicId() {
        return ID_PREFIX + id;
    }
}
