package dev.tollgate.ledger;

import static dev.tollgate.platform.Sql.ts;

import dev.tollgate.event.EventType;
import dev.tollgate.event.Events;
import dev.tollgate.plan.Plan;
import dev.tollgate.plan.Subscription;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The alert thresholds: each configured share of a periodic meter is announced once per meter and
 * period, when usage reaches it. The {@code threshold_crossing} table remembers which were announced;
 * its key makes a second announcement impossible even when two commits cross together.
 */
@Component
class Thresholds {

    private final JdbcClient jdbc;
    private final Events events;
    private final LedgerSettings settings;

    Thresholds(JdbcClient jdbc, Events events, LedgerSettings settings) {
        this.jdbc = jdbc;
        this.events = events;
        this.settings = settings;
    }

    /** Announces the thresholds that settling from {@code before} to {@code after} reached. */
    void crossed(Subscription sub, Plan plan, Budget before, Budget after, Instant now) {
        announce(Meter.TOKENS, sub.tokenLimit(plan), before.tokensUsed(), after.tokensUsed(), after, now);
        announce(Meter.CONVERSATIONS, plan.conversationsPerPeriod(), before.conversationsUsed(),
                after.conversationsUsed(), after, now);
    }

    private void announce(Meter meter, @Nullable Long limit, long usedBefore, long usedAfter, Budget after,
            Instant now) {
        if (limit == null || limit == 0 || usedAfter <= usedBefore) {
            return;
        }
        List<Integer> reached = settings.thresholdPercents().stream()
                .filter(percent -> usedAfter * 100 >= (long) percent * limit)
                .toList();
        for (int percent : record(after.accountId(), meter, after.periodStart(), reached, now)) {
            var data = new LinkedHashMap<String, Object>();
            data.put("meter", meter.wireName());
            data.put("threshold_percent", percent);
            data.put("percent_used", SoftWarnings.percent(usedAfter, limit));
            data.put("used", usedAfter);
            data.put("limit", limit);
            data.put("period_start", after.periodStart().toString());
            events.append(after.accountId(), EventType.THRESHOLD_CROSSED, data);
        }
    }

    /** Records the thresholds reached this period and returns those that were not recorded before. */
    private List<Integer> record(String accountId, Meter meter, Instant periodStart, List<Integer> percents,
            Instant now) {
        if (percents.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        INSERT INTO threshold_crossing (account_id, meter, period_start, threshold_percent, created_at)
                        SELECT :accountId, :meter, :periodStart, p, :now FROM unnest(CAST(:percents AS int[])) AS p
                        ON CONFLICT DO NOTHING
                        RETURNING threshold_percent
                        """)
                .param("accountId", accountId)
                .param("meter", meter.wireName())
                .param("periodStart", ts(periodStart))
                .param("percents", percents.toArray(Integer[]::new))
                .param("now", ts(now))
                .query(Integer.class)
                .list();
    }
}
