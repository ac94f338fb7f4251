package dev.tollgate.bench;

import java.util.Arrays;

/**
 * Percentiles of a set of latencies, in milliseconds. A percentile is the nearest-rank value: the
 * smallest sample that at least p % of the samples do not exceed, so p99 of 100 samples is the 99th
 * smallest and never an interpolation between two samples that were really observed.
 */
record LatencySummary(long count, double p50Millis, double p90Millis, double p99Millis, double maxMillis,
        double meanMillis) {

    static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0);

    LatencySummary {
        if (count < 0) {
            throw new IllegalArgumentException("count cannot be negative, was " + count);
        }
        if (count > 0 && !(p50Millis <= p90Millis && p90Millis <= p99Millis && p99Millis <= maxMillis)) {
            throw new IllegalArgumentException("percentiles must not decrease: " + p50Millis + ", " + p90Millis
                    + ", " + p99Millis + ", " + maxMillis);
        }
    }

    static LatencySummary of(long[] nanos) {
        if (nanos.length == 0) {
            return EMPTY;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double total = 0;
        for (long value : sorted) {
            total += value;
        }
        return new LatencySummary(
                sorted.length,
                millis(percentile(sorted, 50)),
                millis(percentile(sorted, 90)),
                millis(percentile(sorted, 99)),
                millis(sorted[sorted.length - 1]),
                total / sorted.length / 1_000_000.0);
    }

    /** Nearest rank: the value at position ceil(p / 100 * n) of the sorted samples, counting from one. */
    static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("a percentile is between 1 and 100, was " + percent);
        }
        // Integer arithmetic: 0.99 * 100 in floating point is 99.00000000000001, whose ceiling is one rank too far.
        long rank = (percent * (long) sorted.length + 99) / 100;
        return sorted[(int) rank - 1];
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
