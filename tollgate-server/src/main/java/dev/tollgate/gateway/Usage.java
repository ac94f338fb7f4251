package dev.tollgate.gateway;

/**
 * Tokens a call used, in the ledger's terms: {@code cachedInputTokens} (read from the provider's prompt cache) and
 * {@code cacheWriteInputTokens} (written to it, which Anthropic bills above plain input) are parts of
 * {@code inputTokens}; {@code cacheWrite1hInputTokens} (written for an hour, billed higher still) is a part of the
 * writes. {@code estimated} when the provider's own numbers never arrived and the tokenizer counted instead.
 */
record Usage(long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteInputTokens,
        long cacheWrite1hInputTokens, boolean estimated) {

    Usage {
        if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0 || cacheWriteInputTokens < 0
                || cacheWrite1hInputTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
        // The ledger's rule: each is a part of the one before. A provider that reports otherwise is clamped.
        cachedInputTokens = Math.min(cachedInputTokens, inputTokens);
        cacheWriteInputTokens = Math.min(cacheWriteInputTokens, inputTokens - cachedInputTokens);
        cacheWrite1hInputTokens = Math.min(cacheWrite1hInputTokens, cacheWriteInputTokens);
    }

    /** Usage of a provider without prompt-cache writes (OpenAI caches without charging for the write). */
    Usage(long inputTokens, long outputTokens, long cachedInputTokens, boolean estimated) {
        this(inputTokens, outputTokens, cachedInputTokens, 0, 0, estimated);
    }

    /** The same input with {@code outputTokens} of output. */
    Usage withOutput(long outputTokens, boolean estimated) {
        return new Usage(inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens, cacheWrite1hInputTokens,
                estimated);
    }

    long totalTokens() {
        return Math.addExact(inputTokens, outputTokens);
    }
}
