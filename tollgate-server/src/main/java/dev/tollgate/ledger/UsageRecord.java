package dev.tollgate.ledger;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What really happened on one LLM call, priced with the price in effect at {@code createdAt}. */
public record UsageRecord(
        String id,
        String accountId,
        @Nullable String reservationId,
        String provider,
        String model,
        long inputTokens,
        long outputTokens,
        long cachedInputTokens,
        long cacheWriteInputTokens,
        long cacheWrite1hInputTokens,
        long totalTokens,
        long costMicros,
        boolean priced,
        boolean byok,
        long overageTokens,
        @Nullable String jobType,
        @Nullable String jobId,
        @Nullable String conversationId,
        @Nullable Long durationMs,
        Map<String, Object> metadata,
        String billingPeriod,
        Instant createdAt) {

    boolean sameUsage(CommitCommand commit, String otherModel) {
        return inputTokens == commit.inputTokens() && outputTokens == commit.outputTokens()
                && cachedInputTokens == commit.cachedInputTokens()
                && cacheWriteInputTokens == commit.cacheWriteInputTokens()
                && cacheWrite1hInputTokens == commit.cacheWrite1hInputTokens() && model.equals(otherModel);
    }
}
