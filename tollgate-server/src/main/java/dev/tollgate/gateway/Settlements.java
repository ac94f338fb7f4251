package dev.tollgate.gateway;

import dev.tollgate.gateway.LedgerGate.Lane;
import dev.tollgate.ledger.CommitCommand;
import dev.tollgate.ledger.Ledger;
import dev.tollgate.platform.DatabaseFailures;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Commits the usage of answered calls after their answer has gone out, so that no client waits for the
 * ledger's commit: the request hands the usage over and returns, and a few workers (as many as the
 * {@link LedgerGate} lets settle at once) commit it through the ledger's public API in arrival order.
 *
 * <p>The queue holds at most {@link #QUEUED_MAX} commits. When it is full the database is behind, and the
 * request thread commits its own usage, which slows new calls down until the workers catch up instead of
 * holding ever more usage in memory. A database that is unavailable is waited out, with growing pauses, for
 * up to {@link #RETRY_PERIOD_MAX}; a commit after the reservation expired is still accepted and charged, so
 * waiting never loses usage. On shutdown (after the web server has finished its requests) the queue is
 * committed before the database goes away. Usage that could not be committed at all is logged in full, one
 * line per reservation, so that it can be committed by hand ({@code POST /v1/reservations/{id}/commit}).
 * A node that dies loses what is queued; README "Use the gateway" says what is billed then.
 */
@Component
class Settlements implements DisposableBean {

    /**
     * About a second of commits on a small node. The queue is a debt: kept small, the commits keep pace with
     * the reservations (a node that is behind slows its callers down rather than piling up work it may
     * never do), and a node that dies loses little.
     */
    static final int QUEUED_MAX = 256;
    static final Duration RETRY_PERIOD_MAX = Duration.ofMinutes(2);
    static final Duration RETRY_PAUSE_FIRST = Duration.ofMillis(250);
    static final Duration RETRY_PAUSE_MAX = Duration.ofSeconds(10);
    /** How long a shutdown waits for the queue to be committed; the lifecycle's own phase timeout is 20 s. */
    static final Duration DRAIN_WAIT_MAX = Duration.ofSeconds(15);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final Logger log = LoggerFactory.getLogger(Settlements.class);

    private final Ledger ledger;
    private final LedgerGate gate;
    private final BlockingQueue<Commit> queue = new ArrayBlockingQueue<>(QUEUED_MAX);
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean stopping;

    Settlements(Ledger ledger, LedgerGate gate, MeterRegistry meters) {
        this.ledger = ledger;
        this.gate = gate;
        var factory = Thread.ofPlatform().daemon().name("gateway-settlement-", 1).factory();
        for (int i = 0; i < Math.max(1, gate.settlementPermits()); i++) {
            var worker = factory.newThread(this::work);
            workers.add(worker);
            worker.start();
        }
        Gauge.builder("tollgate.gateway.settlements.queued", queue, BlockingQueue::size)
                .description("Answered gateway calls whose usage waits to be committed")
                .register(meters);
    }

    /** One commit to make: the reservation, the usage, who made the call. */
    record Commit(String reservationId, CommitCommand command, String actor) {}

    /** Commits later, on a worker; on the caller's thread when the queue is full or the node is stopping. */
    void commitLater(Commit commit) {
        if (stopping || !queue.offer(commit)) {
            commitOrLog(commit, stopping ? Duration.ZERO : RETRY_PERIOD_MAX);
        }
    }

    /** Releases now: a release frees a budget for the next call, and the failed call's client waits anyway. */
    void release(String reservationId, String actor) {
        gate.call(Lane.SETTLEMENT, () -> ledger.release(reservationId, actor));
    }

    private void work() {
        while (true) {
            Commit commit;
            try {
                commit = queue.poll(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // Only a shutdown that gave up on the queue interrupts; what is left is logged there.
                return;
            }
            if (commit != null) {
                commitOrLog(commit, stopping ? Duration.ZERO : RETRY_PERIOD_MAX);
            } else if (stopping) {
                return;
            }
        }
    }

    /**
     * Commits, waiting out an unavailable database for up to {@code retryPeriod}. A repeated commit with the
     * same numbers is answered with the first one's record, so a retry after a commit whose answer was lost
     * never charges twice.
     */
    private void commitOrLog(Commit commit, Duration retryPeriod) {
        long giveUpNanos = System.nanoTime() + retryPeriod.toNanos();
        Duration pause = RETRY_PAUSE_FIRST;
        for (int attempt = 1; ; attempt++) {
            try {
                gate.call(Lane.SETTLEMENT, () -> ledger.commit(commit.reservationId(), commit.command(),
                        commit.actor()));
                return;
            } catch (RuntimeException e) {
                boolean retryable = DatabaseFailures.unavailable(e);
                if (!retryable || System.nanoTime() + pause.toNanos() > giveUpNanos || !pause(pause)) {
                    lost(commit, retryable ? DatabaseFailures.describe(e) : e.toString());
                    if (!retryable) {
                        log.error("The commit of reservation {} failed", commit.reservationId(), e);
                    }
                    return;
                }
                log.info("Commit of reservation {} waits for the database (attempt {}): {}", commit.reservationId(),
                        attempt, DatabaseFailures.describe(e));
                pause = pause.multipliedBy(2).compareTo(RETRY_PAUSE_MAX) > 0 ? RETRY_PAUSE_MAX : pause.multipliedBy(2);
            }
        }
    }

    private static boolean pause(Duration pause) {
        try {
            Thread.sleep(pause);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Everything needed to commit by hand; the reservation stays pending until it expires. */
    private static void lost(Commit commit, String why) {
        var c = commit.command();
        log.error("Usage not committed, commit it by hand: reservation {} input_tokens {} output_tokens {} "
                        + "cached_input_tokens {} duration_ms {} metadata {} ({})", commit.reservationId(),
                c.inputTokens(), c.outputTokens(), c.cachedInputTokens(), c.durationMs(), c.metadata(), why);
    }

    /** Runs after the web server has finished its requests, and before the database is closed. */
    @Override
    public void destroy() throws InterruptedException {
        stopping = true;
        long deadline = System.nanoTime() + DRAIN_WAIT_MAX.toNanos();
        for (Thread worker : workers) {
            worker.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        workers.forEach(Thread::interrupt);
        for (Commit left; (left = queue.poll()) != null; ) {
            lost(left, "the node stopped before the database answered");
        }
    }
}
