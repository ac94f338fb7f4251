package dev.tollgate.ledger;

import dev.tollgate.pricing.ModelPrice;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Usage that had no reservation, charged like a commit. */
public record UsageCommand(String accountId, String provider, String model, long inputTokens, long outputTokens,
        long cachedInputTokens, long cacheWriteInputTokens, long cacheWrite1hInputTokens, boolean byok,
        @Nullable String jobType, @Nullable String jobId, @Nullable String conversationId, @Nullable Long durationMs, Map<String, Object> metadata) {

    public UsageCommand {
        ModelPrice.requireParts(inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens,
                cacheWrite1hInputTokens);
        metadata = Map.copyOf(metadata);
    }
}
