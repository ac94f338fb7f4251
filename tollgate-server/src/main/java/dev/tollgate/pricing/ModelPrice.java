package dev.tollgate.pricing;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The rates of one model over the interval [{@code effectiveFrom}, {@code effectiveTo}). {@code effectiveTo} is
 * null while the price is open-ended.
 */
public record ModelPrice(
        String provider, String model, Rates rates, Instant effectiveFrom, @Nullable Instant effectiveTo) {

    private static final long TOKENS_PER_MILLION = 1_000_000L;

    public ModelPrice {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(rates, "rates");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        if (!ModelNames.isProvider(provider)) {
            throw new IllegalArgumentException("provider '" + provider + "' is not a normalized provider name");
        }
        if (!ModelNames.isModel(model)) {
            throw new IllegalArgumentException("model '" + model + "' is not a normalized model name");
        }
        if (effectiveTo != null && !effectiveTo.isAfter(effectiveFrom)) {
            throw new IllegalArgumentException("effectiveTo " + effectiveTo + " must be after effectiveFrom " + effectiveFrom);
        }
    }

    /**
     * Cost in micro-USD, rounded up once per request (never per component) so that a budget is never
     * under-charged. {@code cachedInputTokens} is the part of {@code inputTokens} served from cache, billed at
     * the cached rate; {@code cacheWriteInputTokens} the part written to the provider's prompt cache, billed at
     * the cache-write rate, except {@code cacheWrite1hInputTokens} of it, written for an hour and billed at the
     * one-hour rate; the rest of the input is billed at the input rate.
     *
     * @throws IllegalArgumentException if a count is negative or a part exceeds what it is a part of
     * @throws ArithmeticException if the cost does not fit in a long (it never wraps)
     */
    public long costMicros(long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteInputTokens,
            long cacheWrite1hInputTokens) {
        requireParts(inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens, cacheWrite1hInputTokens);
        long plainInput = inputTokens - cachedInputTokens - cacheWriteInputTokens;
        long scaled = Math.multiplyExact(plainInput, rates.inputMicrosPerMillion());
        scaled = Math.addExact(scaled, Math.multiplyExact(cachedInputTokens, rates.cachedInputMicrosPerMillion()));
        scaled = Math.addExact(scaled, Math.multiplyExact(
                cacheWriteInputTokens - cacheWrite1hInputTokens, rates.cacheWriteMicrosPerMillion()));
        scaled = Math.addExact(scaled,
                Math.multiplyExact(cacheWrite1hInputTokens, rates.cacheWrite1hMicrosPerMillion()));
        scaled = Math.addExact(scaled, Math.multiplyExact(outputTokens, rates.outputMicrosPerMillion()));
        return Math.ceilDiv(scaled, TOKENS_PER_MILLION);
    }

    /**
     * The ledger's rule for the parts of a call's tokens: none negative; cache reads and cache writes are parts of
     * the input that together never exceed it; one-hour cache writes are a part of the cache writes.
     *
     * @throws IllegalArgumentException naming the rule a count breaks
     */
    public static void requireParts(long inputTokens, long outputTokens, long cachedInputTokens,
            long cacheWriteInputTokens, long cacheWrite1hInputTokens) {
        if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0 || cacheWriteInputTokens < 0
                || cacheWrite1hInputTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative: input " + inputTokens
                    + ", output " + outputTokens + ", cached input " + cachedInputTokens + ", cache write "
                    + cacheWriteInputTokens + ", one-hour cache write " + cacheWrite1hInputTokens);
        }
        if (cachedInputTokens + cacheWriteInputTokens > inputTokens) {
            throw new IllegalArgumentException("cachedInputTokens " + cachedInputTokens + " and cacheWriteInputTokens "
                    + cacheWriteInputTokens + " are parts of inputTokens " + inputTokens + " and cannot exceed it");
        }
        if (cacheWrite1hInputTokens > cacheWriteInputTokens) {
            throw new IllegalArgumentException("cacheWrite1hInputTokens " + cacheWrite1hInputTokens
                    + " is a part of cacheWriteInputTokens " + cacheWriteInputTokens + " and cannot exceed it");
        }
    }

    /**
     * The most a call of {@code inputTokens} and at most {@code maxOutputTokens} can cost, what a reservation holds:
     * every input token at the dearest of the input and the cache-write prices, since the call may write all of its
     * input to the provider's prompt cache.
     */
    public long mostCostMicros(long inputTokens, long maxOutputTokens) {
        if (rates.dearestInputMicrosPerMillion() == rates.inputMicrosPerMillion()) {
            return costMicros(inputTokens, maxOutputTokens, 0, 0, 0);
        }
        boolean hourIsDearer = rates.cacheWrite1hMicrosPerMillion() >= rates.cacheWriteMicrosPerMillion();
        return costMicros(inputTokens, maxOutputTokens, 0, inputTokens, hourIsDearer ? inputTokens : 0);
    }

    /** Whether this price applies at {@code at}: its interval includes its start and excludes its end. */
    public boolean isEffectiveAt(Instant at) {
        return !at.isBefore(effectiveFrom) && (effectiveTo == null || at.isBefore(effectiveTo));
    }
}
