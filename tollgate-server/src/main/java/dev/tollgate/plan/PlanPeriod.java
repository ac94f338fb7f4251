package dev.tollgate.plan;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * The length of a plan's period, an ISO-8601 period such as {@code P1M} (calendar month) or
 * {@code P30D}. Period k of a subscription ends at anchor + k x length, computed from the anchor
 * each time, so Jan 31 + 1 month is Feb 28 (or 29) and + 2 months is Mar 31, never Mar 28.
 */
public record PlanPeriod(String iso) {

    private static final Pattern FORMAT = Pattern.compile("P[1-9][0-9]{0,3}[DWMY]");

    public PlanPeriod {
        if (!FORMAT.matcher(iso).matches()) {
            throw new IllegalArgumentException("period must be an ISO-8601 period like P1M, P30D, P7D, P1W or P1Y");
        }
    }

    private Period length() {
        return Period.parse(iso);
    }

    /** The end of period {@code k} (1-based) of a subscription started at {@code anchor}. */
    public Instant end(Instant anchor, long k) {
        Period step = length();
        Period total = Period.of(
                Math.toIntExact(step.getYears() * k), Math.toIntExact(step.getMonths() * k),
                Math.toIntExact(step.getDays() * k));
        return anchor.atOffset(ZoneOffset.UTC).plus(total).toInstant();
    }

    /** The period of a subscription started at {@code anchor} that contains {@code at} (at >= anchor). */
    public Bounds containing(Instant anchor, Instant at) {
        long k = 1;
        // Jump close by the average length, then step: periods are at least a day long.
        long approxDays = Math.max(1, approximateDays());
        long elapsedDays = java.time.Duration.between(anchor, at).toDays();
        if (elapsedDays > approxDays) {
            k = Math.max(1, elapsedDays / approxDays - 1);
        }
        while (k > 1 && end(anchor, k - 1).isAfter(at)) {
            k--;
        }
        while (!end(anchor, k).isAfter(at)) {
            k++;
        }
        Instant start = k == 1 ? anchor : end(anchor, k - 1);
        return new Bounds(start, end(anchor, k));
    }

    private long approximateDays() {
        Period p = length();
        return p.getYears() * 365L + p.getMonths() * 28L + p.getDays();
    }

    public record Bounds(Instant start, Instant end) {}
}
