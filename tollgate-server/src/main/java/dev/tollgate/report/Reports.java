package dev.tollgate.report;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** Read-only reports: usage totals of an account or of all, and the reconciliation of meters with the ledger. */
@Service
public class Reports {

    private final ReportStore store;

    Reports(ReportStore store) {
        this.store = store;
    }

    /** Usage summed per UTC day or per model over [from, to). */
    public List<UsageTotals> usageTotals(String accountId, UsageGrouping grouping, Instant from, Instant to) {
        Instant fromHour = from.truncatedTo(ChronoUnit.HOURS);
        if (fromHour.isBefore(from)) {
            fromHour = fromHour.plus(1, ChronoUnit.HOURS);
        }
        Instant toHour = to.truncatedTo(ChronoUnit.HOURS);
        if (!fromHour.isBefore(toHour)) {
            // No whole hour inside the window: the rollup reads nothing, the records cover [from, to).
            fromHour = to;
            toHour = to;
        }
        return store.usageTotals(accountId, grouping, from, fromHour, toHour, to);
    }

    /**
     * Usage of every account per model from {@code from} up to the end of the hour holding {@code to}; {@code
     * from} is rounded down to its hour, as the hourly rollup keeps it.
     */
    public List<UsageTotals> usageByModelOfAll(Instant from, Instant to) {
        return store.usageByModelOfAll(from.truncatedTo(ChronoUnit.HOURS),
                to.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)));
    }

    /** Accounts whose meters disagree with their ledger sums or pending reservations; empty when all is well. */
    public List<Discrepancy> reconcile(@Nullable String accountId, int limit) {
        return store.discrepancies(accountId, limit);
    }
}
