package dev.tollgate.pricing;

import java.math.BigDecimal;

/**
 * Prices as the API speaks them: decimal USD per 1,000 tokens ("0.0025" = $2.50 per million tokens),
 * converted exactly to and from the stored micro-USD per million tokens. One micro-USD per million
 * tokens is 0.000000001 USD per 1K, so nine decimals are the most that can be stored exactly.
 */
public final class UsdPer1kTokens {

    /** USD per 1K tokens × 10^9 = micro-USD per million tokens. */
    private static final int SCALE = 9;

    private static final BigDecimal MAX = BigDecimal.valueOf(Rates.PRICE_MICROS_PER_MILLION_MAX, SCALE);

    private UsdPer1kTokens() {}

    /** Converts exactly, or says which rule the value breaks; never rounds. */
    public static long toMicrosPerMillion(BigDecimal usdPer1k) {
        if (usdPer1k.signum() < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        // Compared before scaling, so a value like 1e999999999 is refused without building a huge number.
        if (usdPer1k.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("must be at most " + MAX.stripTrailingZeros().toPlainString()
                    + " USD per 1K tokens");
        }
        BigDecimal micros = usdPer1k.movePointRight(SCALE).stripTrailingZeros();
        if (micros.scale() > 0) {
            throw new IllegalArgumentException("has more than " + SCALE
                    + " decimal places; prices are stored exactly as micro-USD per million tokens");
        }
        return micros.longValueExact();
    }

    /** The shortest exact decimal: 2_500_000 micro-USD per million → "0.0025". */
    public static String format(long microsPerMillion) {
        return BigDecimal.valueOf(microsPerMillion, SCALE).stripTrailingZeros().toPlainString();
    }
}
