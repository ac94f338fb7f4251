package dev.tollgate.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records the ledger totals of every closed month, so that reconciliation sums them and reads only the entries
 * after them, and so that an operator may archive a recorded month (README "Archiving a month"). A month is
 * closed a {@link #GRACE} after its end by this node's clock: node clocks differ, and an entry carries the time
 * of the node that wrote it. Every node runs it; each month is recorded once, in a transaction of its own.
 */
@Component
class MonthTotals {

    /** How long after a month's end its entries may still arrive from a node whose clock runs behind. */
    static final Duration GRACE = Duration.ofDays(1);

    private static final Logger log = LoggerFactory.getLogger(MonthTotals.class);

    private final MonthTotalStore store;
    private final TransactionTemplate transactions;
    private final Clock clock;

    MonthTotals(MonthTotalStore store, TransactionTemplate transactions, Clock clock) {
        this.store = store;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${tollgate.ledger.month-totals-interval:PT10M}", initialDelayString = "PT20S")
    void run() {
        try {
            var recorded = recordClosedMonths();
            if (!recorded.isEmpty()) {
                log.info("Recorded the ledger totals of {}", recorded);
            }
        } catch (RuntimeException e) {
            // The next run retries; a failure here must not stop the schedule.
            log.warn("Month totals run failed: {}", e.toString());
        }
    }

    /** Records every closed month not recorded yet, oldest first; returns the months this call recorded. */
    List<YearMonth> recordClosedMonths() {
        Instant now = clock.instant();
        YearMonth lastClosed = YearMonth.from(now.minus(GRACE).atZone(ZoneOffset.UTC)).minusMonths(1);
        var next = store.lastRecorded().map(m -> m.plusMonths(1)).or(store::firstEntryMonth);
        var recorded = new ArrayList<YearMonth>();
        for (YearMonth month = next.orElse(lastClosed.plusMonths(1)); !month.isAfter(lastClosed);
                month = month.plusMonths(1)) {
            YearMonth current = month;
            if (Boolean.TRUE.equals(transactions.execute(tx -> store.record(current, now)))) {
                recorded.add(current);
            }
        }
        return recorded;
    }
}
