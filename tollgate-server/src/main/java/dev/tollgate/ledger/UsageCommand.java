package dev.tollgate.ledger;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Usage that had no reservation, charged like a commit. */
public record UsageCommand(String accountId, String provider, String model, long inputTokens, long outputTokens,
        long cachedInputTokens, boolean byok, @Nullable String jobType, @Nullable String jobId,
        @Nullable String conversationId, @Nullable Long durationMs, Map<String, Object> metadata) {

    public UsageCommand {
        if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0 || cachedInputTokens > inputTokens) {
            throw new IllegalArgumentException("token counts must not be negative; cached input is part of input");
        }
        metadata = Map.copyOf(metadata);
    }
}
