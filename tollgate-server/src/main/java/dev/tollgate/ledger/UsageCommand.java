package dev.tollgate.ledger;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Usage that had no reservation, charged like a commit. */
public record UsageCommand(String accountId, String provider, String model, long inputTokens, long outputTokens,
        long cachedInputTokens, long cacheWriteInputTokens, boolean byok, @Nullable String jobType, @Nullable String jobId,
        @Nullable String conversationId, @Nullable Long durationMs, Map<String, Object> metadata) {

    public UsageCommand {
        requireParts(inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens);
        metadata = Map.copyOf(metadata);
    }

    static void requireParts(long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteInputTokens) {
        if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0 || cacheWriteInputTokens < 0
                || cachedInputTokens + cacheWriteInputTokens > inputTokens) {
            throw new IllegalArgumentException(
                    "token counts must not be negative; cached and cache-write input are parts of input");
        }
    }
}
