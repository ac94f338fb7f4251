package dev.tollgate.bench;

import java.util.Arrays;

/**
 * The latencies of one operation as seen by one client, in nanoseconds. Each client owns its own
 * instance (no locking on the measured path); a scenario merges them once the clients have stopped.
 */
final class Latencies {

    private long[] nanos = new long[1024];
    private int count;

    void record(long elapsedNanos) {
        if (elapsedNanos < 0) {
            throw new IllegalArgumentException("a latency cannot be negative, was " + elapsedNanos);
        }
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, nanos.length * 2);
        }
        nanos[count++] = elapsedNanos;
    }

    int count() {
        return count;
    }

    static Latencies merge(Iterable<Latencies> parts) {
        var merged = new Latencies();
        for (Latencies part : parts) {
            for (int i = 0; i < part.count; i++) {
                merged.record(part.nanos[i]);
            }
        }
        return merged;
    }

    LatencySummary summarize() {
        return LatencySummary.of(Arrays.copyOf(nanos, count));
    }
}
