package dev.tollgate.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What a model call really used, to commit against its reservation. {@code cachedInputTokens} (read from the
 * provider's prompt cache) and {@code cacheWriteInputTokens} (written to it) are parts of {@code inputTokens};
 * {@code cacheWrite1hInputTokens} (written with Anthropic's one-hour TTL, billed higher still) is a part of the
 * writes. {@code model} is set when the provider answered with another model than the one reserved for.
 */
public record Usage(long inputTokens, long outputTokens, Long cachedInputTokens, Long cacheWriteInputTokens,
        @JsonProperty("cache_write_1h_input_tokens") Long cacheWrite1hInputTokens, String model, Long durationMs,
        Map<String, Object> metadata) {

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || negative(cachedInputTokens) || negative(cacheWriteInputTokens)
                || negative(cacheWrite1hInputTokens)) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
        metadata = metadata == null ? null : Copies.map(metadata);
    }

    private static boolean negative(Long tokens) {
        return tokens != null && tokens < 0;
    }

    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, null, null, null, null, null, null);
    }

    public Usage withCachedInputTokens(long cached) {
        return new Usage(inputTokens, outputTokens, cached, cacheWriteInputTokens, cacheWrite1hInputTokens, model,
                durationMs, metadata);
    }

    /** Of the input, {@code written} tokens went into the provider's prompt cache (Anthropic bills them above input). */
    public Usage withCacheWriteInputTokens(long written) {
        return new Usage(inputTokens, outputTokens, cachedInputTokens, written, cacheWrite1hInputTokens, model,
                durationMs, metadata);
    }

    /**
     * Of the cache writes, {@code written} tokens were cached for an hour (Anthropic's
     * {@code cache_creation.ephemeral_1h_input_tokens}, billed at twice the input price).
     */
    public Usage withCacheWrite1hInputTokens(long written) {
        return new Usage(inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens, written, model,
                durationMs, metadata);
    }

    public Usage withModel(String actualModel) {
        return new Usage(inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens, cacheWrite1hInputTokens,
                actualModel, durationMs, metadata);
    }

    public Usage withDurationMs(long millis) {
        return new Usage(inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens, cacheWrite1hInputTokens,
                model, millis, metadata);
    }

    public Usage withMetadata(Map<String, Object> newMetadata) {
        return new Usage(inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens, cacheWrite1hInputTokens,
                model, durationMs, newMetadata);
    }
}
