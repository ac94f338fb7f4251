package dev.tollgate.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * When, second by second, the slowest 1 % of a scenario's calls (those over its p99) started. A stall (a GC
 * pause, an autovacuum round, a slow disk flush) crowds them into a few seconds; a steady tail spreads them
 * over most of the seconds that had calls. The seconds are wall-clock UTC, to line up with postgres.log and
 * the nodes' logs.
 *
 * @param overMillis     the threshold: the p99 of the same calls
 * @param slowCalls      calls slower than the threshold
 * @param secondsLoaded  seconds in which at least one call started
 * @param secondsHolding seconds in which at least one slow call started
 * @param worstSeconds   the seconds with the most slow calls, most first (at most {@value #WORST_SECONDS})
 */
record SlowCalls(double overMillis, long slowCalls, int secondsLoaded, int secondsHolding, List<Second> worstSeconds) {

    static final int WORST_SECONDS = 3;
    static final SlowCalls NONE = new SlowCalls(0, 0, 0, 0, List.of());

    SlowCalls {
        worstSeconds = List.copyOf(worstSeconds);
    }

    record Second(Instant second, long slowCalls) {}

    /** Start times ({@link System#nanoTime}) of every call and of the slow ones. */
    record Starts(long[] all, long[] slow) {}

    /**
     * Buckets the start times into wall-clock seconds; {@code anchorNanos} is the {@link System#nanoTime} at
     * which the wall clock read {@code anchor}.
     */
    static SlowCalls of(Starts starts, double overMillis, long anchorNanos, Instant anchor) {
        if (starts.all().length == 0) {
            return NONE;
        }
        var loaded = secondsOf(starts.all(), anchorNanos, anchor);
        var holding = secondsOf(starts.slow(), anchorNanos, anchor);
        var worst = holding.entrySet().stream()
                .sorted(Comparator.<Map.Entry<Instant, Long>>comparingLong(Map.Entry::getValue)
                        .reversed().thenComparing(Map.Entry::getKey))
                .limit(WORST_SECONDS)
                .map(e -> new Second(e.getKey(), e.getValue()))
                .toList();
        return new SlowCalls(overMillis, starts.slow().length, loaded.size(), holding.size(), worst);
    }

    private static TreeMap<Instant, Long> secondsOf(long[] startedAt, long anchorNanos, Instant anchor) {
        var seconds = new TreeMap<Instant, Long>();
        for (long started : startedAt) {
            Instant second = anchor.plusNanos(started - anchorNanos).truncatedTo(ChronoUnit.SECONDS);
            seconds.merge(second, 1L, Long::sum);
        }
        return seconds;
    }
}
