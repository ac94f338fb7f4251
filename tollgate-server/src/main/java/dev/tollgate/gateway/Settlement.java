package dev.tollgate.gateway;

import dev.tollgate.ledger.CommitCommand;
import dev.tollgate.ledger.ReserveResult.Reserved;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reservation of a proxied call, settled exactly once: its usage handed to {@link Settlements} to
 * commit once the answer is out, or released when the upstream billed nothing. {@link #releaseIfOpen()}
 * runs on every way out, so no path (an exception, a cancelled request) leaves the reservation held until it
 * expires.
 */
final class Settlement {

    private static final Logger log = LoggerFactory.getLogger(Settlement.class);

    private final Settlements settlements;
    private final Reserved reserved;
    private final String actor;
    private final long startedNanos = System.nanoTime();
    /** Set by whichever settles first: a drained stream may end on another thread than the request's. */
    private final AtomicBoolean settled = new AtomicBoolean();
    /** Set when a drain has taken the call over: the drain settles it, not the request that is ending. */
    private volatile boolean handedOver;

    Settlement(Settlements settlements, Reserved reserved, String actor) {
        this.settlements = settlements;
        this.reserved = reserved;
        this.actor = actor;
    }

    Reserved reserved() {
        return reserved;
    }

    /**
     * Hands the usage over to be committed after the answer; the duration is the call's, measured now, not
     * the commit's. A second settlement of the same call is a bug, not a retry.
     */
    void commit(Usage usage, Map<String, Object> metadata) {
        if (!settled.compareAndSet(false, true)) {
            throw new IllegalStateException("reservation " + reserved.reservation().id() + " is already settled");
        }
        long durationMs = (System.nanoTime() - startedNanos) / 1_000_000;
        var command = new CommitCommand(usage.inputTokens(), usage.outputTokens(), usage.cachedInputTokens(), null,
                durationMs, metadata);
        settlements.commitLater(new Settlements.Commit(reserved.reservation().id(), command, actor));
    }

    void release() {
        if (settled.compareAndSet(false, true)) {
            settlements.release(reserved.reservation().id(), actor);
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
            settlements.release(reserved.reservation().id(), actor);
        } catch (RuntimeException e) {
            // Already on an error path; the reservation expires after its TTL instead.
            log.warn("Could not release reservation {}: {}", reserved.reservation().id(), e.toString());
        }
    }
}
