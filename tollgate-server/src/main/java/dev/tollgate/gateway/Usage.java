package dev.tollgate.gateway;

/**
 * Tokens a call used, in the ledger's terms: {@code cachedInputTokens} is part of {@code inputTokens}.
 * {@code estimated} when the provider's own numbers never arrived and the tokenizer counted instead.
 */
record Usage(long inputTokens, long outputTokens, long cachedInputTokens, boolean estimated) {

    Usage {
        if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
        // The ledger's rule: cached input is part of input. A provider that reports otherwise is clamped.
        cachedInputTokens = Math.min(cachedInputTokens, inputTokens);
    }

    long totalTokens() {
        return Math.addExact(inputTokens, outputTokens);
    }
}
