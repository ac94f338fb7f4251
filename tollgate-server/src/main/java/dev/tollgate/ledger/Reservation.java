package dev.tollgate.ledger;

import dev.tollgate.shared.Money;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A pre-flight decision and what it set aside on each meter. */
public record Reservation(
        String id,
        String accountId,
        ReservationStatus status,
        String provider,
        String model,
        boolean byok,
        long tokens,
        long conversations,
        long credits,
        long amountMicros,
        long inputTokensEstimated,
        long maxOutputTokens,
        @Nullable String jobType,
        @Nullable String jobId,
        @Nullable String conversationId,
        Map<String, Object> metadata,
        Instant periodStart,
        Instant createdAt,
        Instant expiresAt,
        @Nullable Instant resolvedAt,
        @Nullable String usageRecordId) {

    /** The money set aside. */
    public Money amount() {
        return Money.ofMicros(amountMicros);
    }

    /** What the reservation set aside on each meter. */
    Hold hold() {
        return new Hold(tokens, conversations, credits, amount());
    }
}
