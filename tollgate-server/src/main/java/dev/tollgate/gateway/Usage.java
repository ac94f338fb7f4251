package dev.tollgate.gateway;

/**
 * Tokens a call used, in the ledger's terms: {@code cachedInputTokens} (read from the provider's prompt cache) and
 * {@code cacheWriteInputTokens} (written to it, which Anthropic bills above plain input) are parts of
 * {@code inputTokens}. {@code estimated} when the provider's own numbers never arrived and the tokenizer counted
 * instead.
 */
record Usage(long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteInputTokens,
        boolean estimated) {

    Usage {
        if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0 || cacheWriteInputTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
        // The ledger's rule: both are parts of input. A provider that reports otherwise is clamped.
        cachedInputTokens = Math.min(cachedInputTokens, inputTokens);
        cacheWriteInputTokens = Math.min(cacheWriteInputTokens, inputTokens - cachedInputTokens);
    }

    /** Usage of a provider without prompt-cache writes (OpenAI caches without charging for the write). */
    Usage(long inputTokens, long outputTokens, long cachedInputTokens, boolean estimated) {
        this(inputTokens, outputTokens, cachedInputTokens, 0, estimated);
    }

    long totalTokens() {
        return Math.addExact(inputTokens, outputTokens);
    }
}
