package dev.tollgate.gateway;

import dev.tollgate.ledger.RequestGate.Lane;
import dev.tollgate.ledger.CommitCommand;
import dev.tollgate.ledger.Ledger;
import dev.tollgate.ledger.ReserveResult.Reserved;
import dev.tollgate.ledger.UsageRecord;
import dev.tollgate.platform.DatabaseFailures;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reservation of a proxied call, settled exactly once: committed with the usage, or released when
 * the upstream billed nothing. {@link #releaseIfOpen()} runs on every way out, so no path (an exception, a
 * cancelled request) leaves the reservation held until it expires.
 */
final class Settlement {

    private static final Logger log = LoggerFactory.getLogger(Settlement.class);
    private static final int COMMIT_ATTEMPTS_MAX = 4;
    private static final Duration COMMIT_RETRY_DELAY = Duration.ofMillis(500);

    private final Ledger ledger;
    private final LedgerGate gate;
    private final Reserved reserved;
    private final String actor;
    private final long startedNanos = System.nanoTime();
    /** Set by whichever settles first: a drained stream may end on another thread than the request's. */
    private final AtomicBoolean settled = new AtomicBoolean();
    /** Set when a drain has taken the call over: the drain settles it, not the request that is ending. */
    private volatile boolean handedOver;

    Settlement(Ledger ledger, LedgerGate gate, Reserved reserved, String actor) {
        this.ledger = ledger;
        this.gate = gate;
        this.reserved = reserved;
        this.actor = actor;
    }

    Reserved reserved() {
        return reserved;
    }

    /**
     * Commits the usage. A database that is briefly unavailable (pool exhausted, failover) is waited out a
     * few times: the provider has billed the call, so giving up would lose usage. A repeated commit with the
     * same numbers is answered with the first one's record, so a retry never charges twice. A second
     * settlement of the same call is a bug, not a retry.
     */
    UsageRecord commit(Usage usage, Map<String, Object> metadata) {
        if (!settled.compareAndSet(false, true)) {
            throw new IllegalStateException("reservation " + reserved.reservation().id() + " is already settled");
        }
        long durationMs = (System.nanoTime() - startedNanos) / 1_000_000;
        var command = new CommitCommand(usage.inputTokens(), usage.outputTokens(), usage.cachedInputTokens(),
                usage.cacheWriteInputTokens(), usage.cacheWrite1hInputTokens(), null, durationMs, metadata);
        for (int attempt = 1; ; attempt++) {
            try {
                return gate.call(Lane.SETTLEMENT, () -> ledger.commit(reserved.reservation().id(), command, actor))
                        .usage();
            } catch (RuntimeException e) {
                if (attempt >= COMMIT_ATTEMPTS_MAX || !DatabaseFailures.unavailable(e)) {
                    throw e;
                }
                log.info("Commit of reservation {} waits for the database (attempt {}): {}",
                        reserved.reservation().id(), attempt, DatabaseFailures.describe(e));
                pause(COMMIT_RETRY_DELAY.multipliedBy(attempt));
            }
        }
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to commit", e);
        }
    }

    void release() {
        if (settled.compareAndSet(false, true)) {
            gate.call(Lane.SETTLEMENT, () -> ledger.release(reserved.reservation().id(), actor));
        }
    }

    /** The request ends before the call does (a drain reads on): from now on the drain settles it. */
    void handOver() {
        handedOver = true;
    }

    void releaseIfOpen() {
        if (handedOver || !settled.compareAndSet(false, true)) {
            return;
        }
        try {
            gate.call(Lane.SETTLEMENT, () -> ledger.release(reserved.reservation().id(), actor));
        } catch (RuntimeException e) {
            // Already on an error path; the reservation expires after its TTL instead.
            log.warn("Could not release reservation {}: {}", reserved.reservation().id(), e.toString());
        }
    }
}
