package dev.tollgate.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records the ledger totals of every closed UTC day into its month's totals, so that reconciliation sums them and
 * reads only the entries of the day under way, and marks a month recorded once its last day is, so that an
 * operator may archive it (README "Archiving a month"). A day is closed a {@link #GRACE} after its end by this
 * node's clock: node clocks differ, and an entry carries the time of the node that wrote it (one that arrives
 * later still counts, read live by its id until the next run folds it in). Every node runs it; each range is
 * recorded once, a month at most per transaction.
 */
@Component
class MonthTotals {

    /** How long after a day's end its entries may still arrive from a node whose clock runs behind. */
    static final Duration GRACE = Duration.ofHours(1);

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
            var completed = recordClosedDays();
            if (!completed.isEmpty()) {
                log.info("Recorded the ledger totals of {}", completed);
            }
        } catch (RuntimeException e) {
            // The next run retries; a failure here must not stop the schedule.
            log.warn("Month totals run failed: {}", e.toString());
        }
    }

    /**
     * Records every closed day not recorded yet, oldest first and a month at a time; returns the months this call
     * completed. A run on a day already recorded reads one row and records nothing.
     */
    List<YearMonth> recordClosedDays() {
        Instant now = clock.instant();
        Instant until = now.minus(GRACE).truncatedTo(ChronoUnit.DAYS);
        var completed = new ArrayList<YearMonth>();
        while (true) {
            Optional<Instant> through = store.recordedThrough();
            Optional<Instant> from = through.or(store::firstEntryDay);
            if (from.isEmpty() || !from.get().isBefore(until)) {
                return completed;
            }
            YearMonth month = YearMonth.from(from.get().atZone(ZoneOffset.UTC));
            Instant monthEnd = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant to = until.isBefore(monthEnd) ? until : monthEnd;
            boolean completesMonth = to.equals(monthEnd);
            boolean recorded = Boolean.TRUE.equals(transactions.execute(
                    tx -> store.record(through.orElse(null), from.get(), to, completesMonth, now)));
            if (recorded && completesMonth) {
                completed.add(month);
            } else if (!recorded && store.recordedThrough().equals(through)) {
                // Nothing moved the end, so there is no row to move (an operator's edit): do not spin.
                log.warn("ledger_recorded has no row; month totals are not recorded");
                return completed;
            }
            // Else another node recorded first and moved the end: the next pass reads where it got to.
        }
    }
}
