package dev.tollgate.ledger;

import dev.tollgate.pricing.ModelPrice;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a call really used, as reported by the client (from the provider's usage numbers). Cached input (read from
 * the provider's prompt cache) and cache-write input (written to it) are parts of the input; one-hour cache writes
 * are a part of the cache writes.
 */
public record CommitCommand(long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteInputTokens,
        long cacheWrite1hInputTokens, @Nullable String model, @Nullable Long durationMs, Map<String, Object> metadata) {

    public CommitCommand {
        ModelPrice.requireParts(inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens,
                cacheWrite1hInputTokens);
        metadata = Map.copyOf(metadata);
    }
}
