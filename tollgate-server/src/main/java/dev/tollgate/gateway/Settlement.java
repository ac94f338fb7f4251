package dev.tollgate.gateway;

import dev.tollgate.ledger.CommitCommand;
import dev.tollgate.ledger.Ledger;
import dev.tollgate.ledger.ReserveResult.Reserved;
import dev.tollgate.ledger.UsageRecord;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reservation of a proxied call, settled exactly once: committed with the usage, or released when
 * the upstream billed nothing. {@link #releaseIfOpen()} runs on every way out, so no path (an exception, a
 * cancelled request) leaves the reservation held until it expires.
 */
final class Settlement {

    private static final Logger log = LoggerFactory.getLogger(Settlement.class);

    private final Ledger ledger;
    private final Reserved reserved;
    private final String actor;
    private final long startedNanos = System.nanoTime();
    private boolean settled;

    Settlement(Ledger ledger, Reserved reserved, String actor) {
        this.ledger = ledger;
        this.reserved = reserved;
        this.actor = actor;
    }

    Reserved reserved() {
        return reserved;
    }

    UsageRecord commit(Usage usage, Map<String, Object> metadata) {
        settled = true;
        long durationMs = (System.nanoTime() - startedNanos) / 1_000_000;
        var command = new CommitCommand(usage.inputTokens(), usage.outputTokens(), usage.cachedInputTokens(), null,
                durationMs, metadata);
        return ledger.commit(reserved.reservation().id(), command, actor).usage();
    }

    void release() {
        settled = true;
        ledger.release(reserved.reservation().id(), actor);
    }

    void releaseIfOpen() {
        if (settled) {
            return;
        }
        settled = true;
        try {
            ledger.release(reserved.reservation().id(), actor);
        } catch (RuntimeException e) {
            // Already on an error path; the reservation expires after its TTL instead.
            log.warn("Could not release reservation {}: {}", reserved.reservation().id(), e.toString());
        }
    }
}
