package dev.tollgate.bench;

/**
 * One client's way of doing the two halves of a metered call: over HTTP against Tollgate, or as the bare
 * SQL over JDBC (the raw baseline). Each client owns its target, so a target need not be thread-safe.
 */
interface CycleTarget extends AutoCloseable {

    /** The request a cycle reserves for: the input tokens and the most output it may produce. */
    record Request(String accountId, long inputTokens, long maxOutputTokens) {
        long tokens() {
            return inputTokens + maxOutputTokens;
        }
    }

    /** What a reservation attempt came to. */
    sealed interface Outcome {
        record Approved(String reservationId) implements Outcome {}

        record Denied(String code) implements Outcome {}
    }

    /** Reserves, or is denied; anything else (an error status, a broken connection) throws. */
    Outcome reserve(Request request, String idempotencyKey) throws Exception;

    /** Commits the actual usage of an approved reservation; anything but success throws. */
    void commit(String reservationId, long inputTokens, long outputTokens, String idempotencyKey) throws Exception;

    /** Releases what the client holds; only the raw baseline holds anything (its JDBC connection). */
    @Override
    default void close() throws java.sql.SQLException {}
}
