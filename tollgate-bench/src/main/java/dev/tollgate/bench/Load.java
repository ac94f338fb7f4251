package dev.tollgate.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Runs clients concurrently, each on its own virtual thread, for a warm-up and then a measured window.
 * A cycle counts when it starts inside the window; the window's length, not the clients' last finish,
 * is the denominator of throughput, so a slow straggler cannot inflate the figure.
 */
final class Load {

    private static final int FAILURE_SAMPLES_MAX = 5;

    private Load() {}

    /** One client: repeats its cycle until the time is up or the cycle says there is nothing left to do. */
    interface Client extends AutoCloseable {
        /** Runs one cycle, recording what it measures in {@code tally}; false stops this client. */
        boolean cycle(Tally tally) throws Exception;

        /** Releases what the client holds: at most a JDBC connection. */
        @Override
        default void close() throws java.sql.SQLException {}
    }

    /** What one client measured. Each client owns one, so recording takes no lock. */
    static final class Tally {
        final Latencies reserve = new Latencies();
        final Latencies commit = new Latencies();
        final Latencies query = new Latencies();
        long cycles;
        long approved;
        long denied;
        long failures;
        final List<String> failureSamples = new ArrayList<>();
        boolean measuring;

        void reserve(long startedNanos, long nanos) {
            if (measuring) {
                reserve.record(startedNanos, nanos);
            }
        }

        void commit(long startedNanos, long nanos) {
            if (measuring) {
                commit.record(startedNanos, nanos);
            }
        }

        void query(long startedNanos, long nanos) {
            if (measuring) {
                query.record(startedNanos, nanos);
            }
        }

        /** A whole cycle (reserve and commit, or one query) finished; throughput counts these. */
        void completed() {
            if (measuring) {
                cycles++;
            }
        }

        /** Approvals and denials are counted whether measured or not: the correctness checks need them all. */
        void approved() {
            approved++;
        }

        void denied() {
            denied++;
        }

        void failed(Exception failure) {
            failures++;
            if (failureSamples.size() < FAILURE_SAMPLES_MAX) {
                failureSamples.add(failure.getClass().getSimpleName() + ": " + failure.getMessage());
            }
        }
    }

    /** The merged tallies of a load, over the measured seconds. */
    record Result(double seconds, long cycles, long approved, long denied, long failures, List<String> failureSamples,
            LatencySummary reserve, LatencySummary commit, LatencySummary query, SlowCalls slowReserves) {

        Result {
            failureSamples = List.copyOf(failureSamples);
        }

        double cyclesPerSecond() {
            return seconds <= 0 ? 0 : cycles / seconds;
        }

        static Result of(double seconds, List<Tally> tallies, Window window) {
            long cycles = 0;
            long approved = 0;
            long denied = 0;
            long failures = 0;
            var samples = new ArrayList<String>();
            for (Tally tally : tallies) {
                cycles += tally.cycles;
                approved += tally.approved;
                denied += tally.denied;
                failures += tally.failures;
                for (String sample : tally.failureSamples) {
                    if (samples.size() < FAILURE_SAMPLES_MAX) {
                        samples.add(sample);
                    }
                }
            }
            var reserves = Latencies.merge(tallies.stream().map(t -> t.reserve).toList());
            var reserve = reserves.summarize();
            var slowReserves = SlowCalls.of(reserves.starts(Math.round(reserve.p99Millis() * 1_000_000)),
                    reserve.p99Millis(), window.fromNanos(), window.from());
            return new Result(seconds, cycles, approved, denied, failures, samples, reserve,
                    Latencies.merge(tallies.stream().map(t -> t.commit).toList()).summarize(),
                    Latencies.merge(tallies.stream().map(t -> t.query).toList()).summarize(), slowReserves);
        }

        static Result of(Measured measured) {
            return of(measured.seconds(), measured.tallies(), measured.window());
        }

        /** Several loads as one, e.g. the rounds of the contended scenario. */
        static Result combine(List<Measured> loads) {
            return of(loads.stream().mapToDouble(Measured::seconds).sum(),
                    loads.stream().flatMap(load -> load.tallies().stream()).toList(), loads.getFirst().window());
        }
    }

    /**
     * When a measured window began and ended, to cut a profile down to the load it measured; {@code fromNanos}
     * is the {@link System#nanoTime} of {@code from}, to place the calls' start times on the wall clock.
     */
    record Window(Instant from, Instant to, long fromNanos) {
        boolean contains(Instant instant) {
            return !instant.isBefore(from) && instant.isBefore(to);
        }
    }

    /** The tallies of one load and the measured window. */
    record Measured(List<Tally> tallies, double seconds, Window window) {
        Measured {
            tallies = List.copyOf(tallies);
        }
    }

    /** Observes the edges of the measured window (CPU counters, database statistics); called by the driver. */
    interface Probe {
        Probe NONE = new Probe() {
            @Override
            public void windowStarted() {}

            @Override
            public void windowEnded() {}
        };

        void windowStarted();

        void windowEnded();

        /** A call failed; called on the client's thread, so it must return quickly. */
        default void failed(Exception failure) {}
    }

    /**
     * Runs {@code clients} clients for {@code warmup} (unmeasured) then {@code duration} (measured), or until
     * every client has stopped by itself, whichever comes first.
     */
    static Measured run(int clients, Duration warmup, Duration duration, Probe probe, IntFunction<Client> clientFactory)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + duration.toNanos();
        var tallies = new ArrayList<Tally>();
        var futures = new ArrayList<Future<?>>();
        var running = new CountDownLatch(clients);
        long measuredNanos;
        Instant windowFrom;
        long windowFromNanos;
        Instant windowTo;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                var tally = new Tally();
                tallies.add(tally);
                int index = i;
                futures.add(executor.submit(() -> {
                    try {
                        return drive(clientFactory.apply(index), tally, measureFrom, end, probe);
                    } finally {
                        running.countDown();
                    }
                }));
            }
            running.await(measureFrom - System.nanoTime(), TimeUnit.NANOSECONDS);
            probe.windowStarted();
            windowFrom = Instant.now();
            windowFromNanos = System.nanoTime();
            running.await(end - System.nanoTime(), TimeUnit.NANOSECONDS);
            probe.windowEnded();
            windowTo = Instant.now();
            measuredNanos = Math.max(0, Math.min(System.nanoTime(), end) - measureFrom);
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("A load client could not run", e.getCause());
            }
        }
        return new Measured(tallies, measuredNanos / 1e9, new Window(windowFrom, windowTo, windowFromNanos));
    }

    private static Void drive(Client client, Tally tally, long measureFrom, long end, Probe probe) throws Exception {
        try (client) {
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    return null;
                }
                tally.measuring = now >= measureFrom;
                boolean more;
                try {
                    more = client.cycle(tally);
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    tally.failed(e);
                    probe.failed(e);
                    more = true;
                }
                if (!more) {
                    return null;
                }
            }
        }
    }
}
