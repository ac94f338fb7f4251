package dev.tollgate.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One change to a meter. Amounts count tokens, conversations or credits, except on the {@code balance}
 * meter where they are USD; either way they are exact decimals, never floating point.
 */
public record LedgerEntry(String id, String accountId, String meter, String type, BigDecimal amount,
        BigDecimal balanceAfter, String description, String reference, String actor, Map<String, Object> metadata,
        Instant createdAt) {

    public LedgerEntry {
        metadata = Copies.map(metadata);
    }
}
