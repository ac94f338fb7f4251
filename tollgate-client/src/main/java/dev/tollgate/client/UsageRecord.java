package dev.tollgate.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * What a call really used, as Tollgate recorded and priced it. A commit made while Tollgate was
 * unreachable (fail-open) is not recorded yet: its {@code id} and {@code costUsd} are {@code null} until
 * the client's backlog reaches Tollgate; see {@link #recorded()}.
 */
public record UsageRecord(String id, String accountId, String reservationId, String provider, String model,
        long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteInputTokens,
        @JsonProperty("cache_write_1h_input_tokens") long cacheWrite1hInputTokens, long totalTokens, BigDecimal costUsd,
        boolean byok, long overageTokens, String jobType, String jobId, String conversationId, Long durationMs,
        Map<String, Object> metadata, String billingPeriod, Instant createdAt) {

    public UsageRecord {
        metadata = Copies.map(metadata);
    }

    /** False for a fail-open commit still waiting in the client's backlog. */
    public boolean recorded() {
        return id != null;
    }
}
