package dev.tollgate.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Objects;

/** Usage that had no reservation ({@code POST /v1/usage}); it is charged like a commit. */
public record UsageRequest(String accountId, String provider, String model, long inputTokens, long outputTokens,
        Long cachedInputTokens, Long cacheWriteInputTokens,
        @JsonProperty("cache_write_1h_input_tokens") Long cacheWrite1hInputTokens, Boolean byok, String jobType,
        String jobId, String conversationId, Long durationMs, Map<String, Object> metadata) {

    public UsageRequest {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        metadata = metadata == null ? null : Copies.map(metadata);
    }

    public static UsageRequest of(String accountId, String provider, String model, long inputTokens,
            long outputTokens) {
        return new UsageRequest(accountId, provider, model, inputTokens, outputTokens, null, null, null, null, null,
                null, null, null, null);
    }

    /** The usage of a reserved call, sent without its reservation (fail-open's backlog). */
    static UsageRequest of(ReserveRequest reserved, Usage usage, Map<String, Object> metadata) {
        return new UsageRequest(reserved.accountId(), reserved.provider(),
                usage.model() != null ? usage.model() : reserved.model(), usage.inputTokens(), usage.outputTokens(),
                usage.cachedInputTokens(), usage.cacheWriteInputTokens(), usage.cacheWrite1hInputTokens(), reserved.byok(),
                reserved.jobType(), reserved.jobId(), reserved.conversationId(), usage.durationMs(), metadata);
    }
}
