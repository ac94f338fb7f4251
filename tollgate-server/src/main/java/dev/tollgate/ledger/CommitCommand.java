package dev.tollgate.ledger;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What a call really used, as reported by the client (from the provider's usage numbers). */
public record CommitCommand(long inputTokens, long outputTokens, long cachedInputTokens, @Nullable String model,
        @Nullable Long durationMs, Map<String, Object> metadata) {

    public CommitCommand {
        if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0 || cachedInputTokens > inputTokens) {
            throw new IllegalArgumentException("token counts must not be negative; cached input is part of input");
        }
        metadata = Map.copyOf(metadata);
    }
}
