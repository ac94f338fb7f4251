package dev.tollgate.pricing;

/**
 * What a model charges per million tokens of each kind, in micro-USD ($2.50 per 1M tokens is {@code 2_500_000}),
 * so that list prices quoted to six decimals per million tokens are exact: plain input, output, input read from the
 * provider's prompt cache, input written to it, and input written to it for an hour.
 */
public record Rates(
        long inputMicrosPerMillion,
        long outputMicrosPerMillion,
        long cachedInputMicrosPerMillion,
        long cacheWriteMicrosPerMillion,
        long cacheWrite1hMicrosPerMillion) {

    /** $10,000 per million tokens: far above any list price, far below overflowing a request's cost. */
    public static final long PRICE_MICROS_PER_MILLION_MAX = 10_000_000_000L;

    public Rates {
        requirePrice("inputMicrosPerMillion", inputMicrosPerMillion);
        requirePrice("outputMicrosPerMillion", outputMicrosPerMillion);
        requirePrice("cachedInputMicrosPerMillion", cachedInputMicrosPerMillion);
        requirePrice("cacheWriteMicrosPerMillion", cacheWriteMicrosPerMillion);
        requirePrice("cacheWrite1hMicrosPerMillion", cacheWrite1hMicrosPerMillion);
    }

    private static void requirePrice(String name, long microsPerMillion) {
        if (microsPerMillion < 0 || microsPerMillion > PRICE_MICROS_PER_MILLION_MAX) {
            throw new IllegalArgumentException(name + " must be between 0 and " + PRICE_MICROS_PER_MILLION_MAX
                    + ", was " + microsPerMillion);
        }
    }

    /** The dearest price an input token can be billed at: a call may write all of its input to the cache. */
    long dearestInputMicrosPerMillion() {
        return Math.max(inputMicrosPerMillion, Math.max(cacheWriteMicrosPerMillion, cacheWrite1hMicrosPerMillion));
    }
}
