package dev.tollgate.client;

import java.util.Map;

/**
 * What a model call really used, to commit against its reservation. {@code cachedInputTokens} (read from the
 * provider's prompt cache) and {@code cacheWriteInputTokens} (written to it) are parts of {@code inputTokens}.
 * {@code model} is set when the provider answered with another model than the one reserved for.
 */
public record Usage(long inputTokens, long outputTokens, Long cachedInputTokens, Long cacheWriteInputTokens,
        String model, Long durationMs, Map<String, Object> metadata) {

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || (cachedInputTokens != null && cachedInputTokens < 0)
                || (cacheWriteInputTokens != null && cacheWriteInputTokens < 0)) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
        metadata = metadata == null ? null : Copies.map(metadata);
    }

    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, null, null, null, null, null);
    }

    public Usage withCachedInputTokens(long cached) {
        return new Usage(inputTokens, outputTokens, cached, cacheWriteInputTokens, model, durationMs, metadata);
    }

    /** Of the input, {@code written} tokens went into the provider's prompt cache (Anthropic bills them above input). */
    public Usage withCacheWriteInputTokens(long written) {
        return new Usage(inputTokens, outputTokens, cachedInputTokens, written, model, durationMs, metadata);
    }

    public Usage withModel(String actualModel) {
        return new Usage(inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens, actualModel, durationMs,
                metadata);
    }

    public Usage withDurationMs(long millis) {
        return new Usage(inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens, model, millis, metadata);
    }

    public Usage withMetadata(Map<String, Object> newMetadata) {
        return new Usage(inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens, model, durationMs,
                newMetadata);
    }
}
