package dev.tollgate.console;

import dev.tollgate.ledger.Ledger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The overview's reconciliation status: the result of the latest full check, and when it was made. The full
 * check sums every ledger entry of every account (0.4 s at 100,000 accounts, the bench's console scenario),
 * far too slow for a page that is read every few seconds, so the overview shows the latest result and a read
 * that finds it older than {@link #FRESH_FOR} starts the next check in the background. Nothing runs while
 * nobody looks at the console; the reconciliation page still checks on every read.
 */
@Component
class ReconciliationWatch {

    static final Duration FRESH_FOR = Duration.ofMinutes(1);
    /**
     * Asked for this many, because the ledger's query, asked for a single discrepancy, is planned as nested
     * loops that took 36 s at 100,000 accounts; from about 50 on it is planned as merge joins (0.4 s).
     */
    static final int DISCREPANCIES_ASKED = 50;

    private static final Logger log = LoggerFactory.getLogger(ReconciliationWatch.class);

    /** How many accounts disagreed (up to {@link #DISCREPANCIES_ASKED}) when the check made at {@code checkedAt} ran. */
    record Status(int discrepancies, Instant checkedAt) {
        boolean agrees() {
            return discrepancies == 0;
        }
    }

    private final Ledger ledger;
    private final Clock clock;
    private final AtomicReference<Status> latest = new AtomicReference<>();
    private final AtomicBoolean checking = new AtomicBoolean();

    ReconciliationWatch(Ledger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** The latest result, empty until the first check has finished; starts a check when it is stale. */
    Optional<Status> latest() {
        var status = latest.get();
        if ((status == null || status.checkedAt().plus(FRESH_FOR).isBefore(clock.instant()))
                && checking.compareAndSet(false, true)) {
            Thread.ofVirtual().name("console-reconciliation").start(this::check);
        }
        return Optional.ofNullable(status);
    }

    private void check() {
        try {
            Instant started = clock.instant();
            latest.set(new Status(ledger.reconcile(null, DISCREPANCIES_ASKED).size(), started));
        } catch (RuntimeException e) {
            // The overview keeps showing the previous result with its time; the next read tries again.
            log.warn("The console's reconciliation check failed", e);
        } finally {
            checking.set(false);
        }
    }
}
