package dev.tollgate.bench;

import java.util.Arrays;

/**
 * The latencies of one operation as seen by one client, in nanoseconds, with when each call started
 * ({@link System#nanoTime}). Each client owns its own instance (no locking on the measured path); a
 * scenario merges them once the clients have stopped.
 */
final class Latencies {

    private long[] nanos = new long[1024];
    private long[] startedAt = new long[1024];
    private int count;

    void record(long startedAtNanos, long elapsedNanos) {
        if (elapsedNanos < 0) {
            throw new IllegalArgumentException("a latency cannot be negative, was " + elapsedNanos);
        }
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, nanos.length * 2);
            startedAt = Arrays.copyOf(startedAt, startedAt.length * 2);
        }
        nanos[count] = elapsedNanos;
        startedAt[count] = startedAtNanos;
        count++;
    }

    int count() {
        return count;
    }

    static Latencies merge(Iterable<Latencies> parts) {
        var merged = new Latencies();
        for (Latencies part : parts) {
            for (int i = 0; i < part.count; i++) {
                merged.record(part.startedAt[i], part.nanos[i]);
            }
        }
        return merged;
    }

    /** The latencies in ascending order, for percentiles the summary does not carry. */
    long[] sorted() {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return sorted;
    }

    LatencySummary summarize() {
        return LatencySummary.of(Arrays.copyOf(nanos, count));
    }

    /** When the calls slower than {@code thresholdNanos} started, and when every call started. */
    SlowCalls.Starts starts(long thresholdNanos) {
        long[] slow = new long[count];
        int slowCount = 0;
        for (int i = 0; i < count; i++) {
            if (nanos[i] > thresholdNanos) {
                slow[slowCount++] = startedAt[i];
            }
        }
        return new SlowCalls.Starts(Arrays.copyOf(startedAt, count), Arrays.copyOf(slow, slowCount));
    }
}
