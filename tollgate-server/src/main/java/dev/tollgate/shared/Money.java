package dev.tollgate.shared;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money as micro-USD (1 USD = 1,000,000 micros). On the wire it is a decimal string with six fraction
 * digits; {@link #parseMicros} refuses anything that is not exactly representable.
 */
public final class Money {

    public static final int SCALE = 6;
    public static final long MICROS_PER_USD = 1_000_000L;

    private Money() {}

    public static String format(long micros) {
        return BigDecimal.valueOf(micros, SCALE).setScale(SCALE, RoundingMode.UNNECESSARY).toPlainString();
    }

    /** Parses "12.5" or "0.000001"; more than six fraction digits or a value beyond a long is refused. */
    public static long parseMicros(String usd) {
        BigDecimal value;
        try {
            value = new BigDecimal(usd.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a decimal amount like \"10.00\"");
        }
        try {
            return value.movePointRight(SCALE).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("must have at most 6 fraction digits and fit in the money range");
        }
    }
}
