package dev.tollgate.shared;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * Money as micro-USD (1 USD = 1,000,000 micros), with exact arithmetic: a sum beyond a {@code long}
 * throws instead of wrapping. An amount may be negative, because a prepaid balance can fall below zero
 * when usage beyond a reservation is charged (usage is never dropped) and a ledger entry's amount is
 * signed. On the wire it is a decimal string with six fraction digits; {@link #parseMicros} refuses
 * anything that is not exactly representable.
 */
public record Money(long micros) {

    public static final int SCALE = 6;
    public static final long MICROS_PER_USD = 1_000_000L;
    public static final Money ZERO = new Money(0);

    public static Money ofMicros(long micros) {
        return micros == 0 ? ZERO : new Money(micros);
    }

    public static Money ofUsd(long usd) {
        return new Money(Math.multiplyExact(usd, MICROS_PER_USD));
    }

    public Money plus(Money other) {
        return ofMicros(Math.addExact(micros, other.micros));
    }

    public Money minus(Money other) {
        return ofMicros(Math.subtractExact(micros, other.micros));
    }

    public Money min(Money other) {
        return micros <= other.micros ? this : other;
    }

    public Money max(Money other) {
        return micros >= other.micros ? this : other;
    }

    public boolean isPositive() {
        return micros > 0;
    }

    public boolean isZero() {
        return micros == 0;
    }

    /** The wire form: "12.500000". */
    public String format() {
        return format(micros);
    }

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

    @Override
    public String toString() {
        return "$" + format(micros);
    }
}
