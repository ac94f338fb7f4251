package dev.tollgate.client;

import java.util.Map;

/**
 * What a model call really used, to commit against its reservation. {@code model} is set when the
 * provider answered with another model than the one reserved for.
 */
public record Usage(long inputTokens, long outputTokens, Long cachedInputTokens, String model, Long durationMs,
        Map<String, Object> metadata) {

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || (cachedInputTokens != null && cachedInputTokens < 0)) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
        metadata = metadata == null ? null : Copies.map(metadata);
    }

    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, null, null, null, null);
    }

    public Usage withCachedInputTokens(long cached) {
        return new Usage(inputTokens, outputTokens, cached, model, durationMs, metadata);
    }

    public Usage withModel(String actualModel) {
        return new Usage(inputTokens, outputTokens, cachedInputTokens, actualModel, durationMs, metadata);
    }

    public Usage withDurationMs(long millis) {
        return new Usage(inputTokens, outputTokens, cachedInputTokens, model, millis, metadata);
    }

    public Usage withMetadata(Map<String, Object> newMetadata) {
        return new Usage(inputTokens, outputTokens, cachedInputTokens, model, durationMs, newMetadata);
    }
}
