package dev.tollgate.ledger;

import dev.tollgate.shared.Money;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A pre-flight decision and what it set aside on each meter, in one of its four states: pending until
 * exactly one of commit, release or expiry resolves it. A resolved state carries when it was resolved, and
 * a committed one its usage record; a pending one has neither, so no field is null "until" something.
 */
public sealed interface Reservation {

    /** What a reservation holds in every state. */
    record Terms(String id, String accountId, String provider, String model, boolean byok, long tokens,
            long conversations, long credits, Money amount, long inputTokensEstimated, long maxOutputTokens,
            @Nullable String jobType, @Nullable String jobId, @Nullable String conversationId,
            Map<String, Object> metadata, Instant periodStart, Instant createdAt, Instant expiresAt) {}

    /** Set aside, waiting for its call to end. */
    record Pending(Terms terms) implements Reservation {

        Released release(Instant at) {
            return new Released(terms, at);
        }

        Expired expire(Instant at) {
            return new Expired(terms, at);
        }
    }

    /**
     * Its usage was posted (by the settling statement, which resolves it in the same round trip); a second
     * commit with the same numbers replays {@code usageRecordId}.
     */
    record Committed(Terms terms, String usageRecordId, Instant resolvedAt) implements Reservation {
        public Committed {
            Objects.requireNonNull(usageRecordId, "a committed reservation has its usage record");
        }
    }

    /** Given back by the caller. */
    record Released(Terms terms, Instant resolvedAt) implements Reservation {}

    /** Given back by the clock, after its TTL; a later commit is still accepted, all as overage. */
    record Expired(Terms terms, Instant resolvedAt) implements Reservation {}

    Terms terms();

    default ReservationStatus status() {
        return switch (this) {
            case Pending p -> ReservationStatus.PENDING;
            case Committed c -> ReservationStatus.COMMITTED;
            case Released r -> ReservationStatus.RELEASED;
            case Expired e -> ReservationStatus.EXPIRED;
        };
    }

    /** When it was resolved; null only while pending. */
    default @Nullable Instant resolvedAt() {
        return switch (this) {
            case Pending p -> null;
            case Committed c -> c.resolvedAt();
            case Released r -> r.resolvedAt();
            case Expired e -> e.resolvedAt();
        };
    }

    /** The usage record of a committed reservation; null in every other state. */
    default @Nullable String usageRecordId() {
        return this instanceof Committed c ? c.usageRecordId() : null;
    }

    default String id() {
        return terms().id();
    }

    default String accountId() {
        return terms().accountId();
    }

    default String provider() {
        return terms().provider();
    }

    default String model() {
        return terms().model();
    }

    default boolean byok() {
        return terms().byok();
    }

    default long tokens() {
        return terms().tokens();
    }

    default long conversations() {
        return terms().conversations();
    }

    default long credits() {
        return terms().credits();
    }

    default Money amount() {
        return terms().amount();
    }

    default long amountMicros() {
        return terms().amount().micros();
    }

    default long inputTokensEstimated() {
        return terms().inputTokensEstimated();
    }

    default long maxOutputTokens() {
        return terms().maxOutputTokens();
    }

    default @Nullable String jobType() {
        return terms().jobType();
    }

    default @Nullable String jobId() {
        return terms().jobId();
    }

    default @Nullable String conversationId() {
        return terms().conversationId();
    }

    default Map<String, Object> metadata() {
        return terms().metadata();
    }

    default Instant periodStart() {
        return terms().periodStart();
    }

    default Instant createdAt() {
        return terms().createdAt();
    }

    default Instant expiresAt() {
        return terms().expiresAt();
    }
}
