package dev.tollgate.ledger;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A request to set aside budget for one LLM call, with its token estimate already made. */
public record ReserveCommand(
        String accountId,
        String provider,
        String model,
        long inputTokens,
        long maxOutputTokens,
        boolean byok,
        @Nullable String jobType,
        @Nullable String jobId,
        @Nullable String conversationId,
        Map<String, Object> metadata) {

    public ReserveCommand {
        Objects.requireNonNull(accountId, "accountId");
        if (inputTokens < 0 || maxOutputTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
        metadata = Map.copyOf(metadata);
    }

    public long tokens() {
        return Math.addExact(inputTokens, maxOutputTokens);
    }
}
