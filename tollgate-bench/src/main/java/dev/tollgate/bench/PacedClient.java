package dev.tollgate.bench;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A client that starts its cycles on a fixed schedule instead of back to back. Closed-loop clients keep
 * the system saturated, so their latency is mostly queueing (clients / throughput); paced clients below
 * capacity measure what one call costs when it does not wait behind thirty others.
 */
final class PacedClient implements Load.Client {

    private final Load.Client client;
    private final long intervalNanos;
    private long nextNanos;

    /** Starts at a random point of the first interval, so that the clients of a load do not fire together. */
    PacedClient(Load.Client client, double cyclesPerSecond) {
        if (!(cyclesPerSecond > 0)) {
            throw new IllegalArgumentException("a pace must be positive, was " + cyclesPerSecond);
        }
        this.client = client;
        this.intervalNanos = Math.round(1e9 / cyclesPerSecond);
        this.nextNanos = System.nanoTime() + ThreadLocalRandom.current().nextLong(intervalNanos);
    }

    @Override
    public boolean cycle(Load.Tally tally) throws Exception {
        long wait = nextNanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        // A late start is not made up for with a burst: the schedule moves on from now.
        nextNanos = Math.max(nextNanos, System.nanoTime() - intervalNanos) + intervalNanos;
        return client.cycle(tally);
    }

    @Override
    public void close() throws java.sql.SQLException {
        client.close();
    }
}
