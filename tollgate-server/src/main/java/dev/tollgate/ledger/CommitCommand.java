package dev.tollgate.ledger;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a call really used, as reported by the client (from the provider's usage numbers). Cached input (read from
 * the provider's prompt cache) and cache-write input (written to it) are parts of the input.
 */
public record CommitCommand(long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteInputTokens,
        @Nullable String model, @Nullable Long durationMs, Map<String, Object> metadata) {

    public CommitCommand {
        UsageCommand.requireParts(inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens);
        metadata = Map.copyOf(metadata);
    }
}
