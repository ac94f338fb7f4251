package dev.tollgate.shared;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

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

    /**
     * Money for people: "$15.00", "$1,234.50", and a small cost with the digits it needs ("$0.00015"),
     * never the wire's six fraction digits.
     */
    public static String display(long micros) {
        var format = new DecimalFormat("#,##0.00####", DecimalFormatSymbols.getInstance(Locale.US));
        String digits = format.format(BigDecimal.valueOf(micros, SCALE).abs());
        return (micros < 0 ? "-$" : "$") + digits;
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
