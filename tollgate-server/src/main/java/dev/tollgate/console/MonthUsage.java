package dev.tollgate.console;

import dev.tollgate.ledger.Ledger;
import dev.tollgate.report.UsageTotals;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * Usage of every account by model for the overview: today, and the month so far (UTC). The month's earlier
 * days are summed from the hourly rollup once and kept, because their hours no longer change: a usage
 * record is written at the time of its commit. Summing them again for every overview read a quarter of a
 * million rollup rows at 100,000 accounts (390 ms, the bench's console scenario). Kept for at most
 * {@link #CLOSED_DAYS_TTL}, so that a record written into the past by hand (SQL, a backfill) shows up.
 */
@Component
class MonthUsage {

    static final Duration CLOSED_DAYS_TTL = Duration.ofMinutes(10);

    /** Today's and the month's usage by model, the month's including today's, each in descending cost. */
    record Totals(List<UsageTotals> today, List<UsageTotals> month) {
        Totals {
            today = List.copyOf(today);
            month = List.copyOf(month);
        }
    }

    /** The sums of the days [month start, today start), as of {@code summedAt}. */
    private record ClosedDays(Instant todayStart, Instant summedAt, List<UsageTotals> totals) {}

    private final Ledger ledger;
    private final Clock clock;
    private final AtomicReference<ClosedDays> closed = new AtomicReference<>();

    MonthUsage(Ledger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    Totals now() {
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Instant todayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        var today = ledger.usageByModelOfAll(todayStart, now);
        return new Totals(today, merge(closedDays(day, todayStart, now).totals(), today));
    }

    private ClosedDays closedDays(LocalDate day, Instant todayStart, Instant now) {
        var kept = closed.get();
        if (kept != null && kept.todayStart().equals(todayStart)
                && kept.summedAt().plus(CLOSED_DAYS_TTL).isAfter(now)) {
            return kept;
        }
        Instant monthStart = day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        // usageByModelOfAll reads whole hours up to the end of the hour holding its end; one nanosecond before
        // today's start keeps today's first hour out, which today's own sum counts.
        var totals = monthStart.equals(todayStart) ? List.<UsageTotals>of()
                : ledger.usageByModelOfAll(monthStart, todayStart.minusNanos(1));
        var summed = new ClosedDays(todayStart, now, totals);
        closed.set(summed);
        return summed;
    }

    /** Sums the totals of both lists per model, in descending cost as the ledger orders them. */
    static List<UsageTotals> merge(List<UsageTotals> first, List<UsageTotals> second) {
        var byKey = new LinkedHashMap<String, UsageTotals>();
        for (var totals : List.of(first, second)) {
            for (var t : totals) {
                byKey.merge(t.key(), t, (a, b) -> new UsageTotals(a.key(), Math.addExact(a.requests(), b.requests()),
                        Math.addExact(a.inputTokens(), b.inputTokens()), Math.addExact(a.outputTokens(), b.outputTokens()),
                        Math.addExact(a.cachedInputTokens(), b.cachedInputTokens()),
                        Math.addExact(a.totalTokens(), b.totalTokens()), Math.addExact(a.costMicros(), b.costMicros())));
            }
        }
        return byKey.values().stream()
                .sorted(java.util.Comparator.comparingLong(UsageTotals::costMicros).reversed()
                        .thenComparing(UsageTotals::key))
                .toList();
    }
}
