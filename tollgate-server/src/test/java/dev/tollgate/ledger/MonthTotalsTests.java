package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.EngineTest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The month totals (V42, recorded day by day since V44): reconciliation reads the recorded totals plus the entries
 * after them, and says the same as summing every entry. Each test runs the job on a clock of its own, months after the
 * latest recorded one, and writes its history there straight into the ledger with the meters moved to match.
 */
class MonthTotalsTests extends EngineTest {

    @Autowired
    MonthTotalStore store;

    @Autowired
    TransactionTemplate transactions;

    /** The job as a node whose clock reads {@code at}. */
    private MonthTotals jobAt(Instant at) {
        return new MonthTotals(store, transactions, Clock.fixed(at, ZoneOffset.UTC));
    }

    /** The first month after both the one recording has reached and the test clock's month. */
    private YearMonth firstFreeMonth() {
        YearMonth current = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        YearMonth recorded = store.recordedThrough().map(through -> YearMonth.from(through.atZone(ZoneOffset.UTC)))
                .orElse(current);
        return (recorded.isAfter(current) ? recorded : current).plusMonths(1);
    }

    /** An instant just after {@code month}'s last day is closed by {@link MonthTotals#GRACE}. */
    private static Instant closed(YearMonth month) {
        return start(month.plusMonths(1)).plus(MonthTotals.GRACE).plus(Duration.ofHours(1));
    }

    private static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Appends a tokens usage and a credits add entry (each if not 0) at {@code at}, and moves the meters by as much. */
    private void history(String account, Instant at, long tokens, long credits) {
        sql.sql("""
                INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, actor, created_at)
                SELECT :a, meter, type, amount, amount, 'test', :at
                  FROM (VALUES ('tokens', 'usage', CAST(:tokens AS bigint)), ('credits', 'add', :credits)) v (meter, type, amount)
                 WHERE amount > 0
                """).param("a", account).param("tokens", tokens).param("credits", credits)
                .param("at", Timestamp.from(at)).update();
        sql.sql("UPDATE budget SET tokens_used = tokens_used + :tokens, credits = credits + :credits"
                        + " WHERE account_id = :a")
                .param("a", account).param("tokens", tokens).param("credits", credits).update();
    }

    private long recorded(String account, YearMonth month, String meter) {
        return sql.sql("SELECT coalesce(sum(amount), 0) FROM ledger_month_total"
                        + " WHERE account_id = :a AND month = :m AND meter = :meter")
                .param("a", account).param("m", month.atDay(1)).param("meter", meter).query(Long.class).single();
    }

    /** The recorded totals and the live entries together equal the sum of every entry, meter by meter. */
    private void totalsReproduceTheEntries(String account) {
        for (String meter : List.of("tokens", "conversations", "credits", "balance")) {
            long all = sql.sql("SELECT coalesce(sum(amount), 0) FROM ledger_entry WHERE account_id = :a AND meter = :m")
                    .param("a", account).param("m", meter).query(Long.class).single();
            long totals = sql.sql("SELECT coalesce(sum(amount), 0) FROM ledger_month_total"
                            + " WHERE account_id = :a AND meter = :m")
                    .param("a", account).param("m", meter).query(Long.class).single();
            long live = sql.sql("""
                    SELECT coalesce(sum(l.amount), 0) FROM ledger_entry l
                      LEFT JOIN ledger_account_cut c ON c.account_id = l.account_id
                     WHERE l.account_id = :a AND l.meter = :m AND l.id > coalesce(c.live_from_id, 0)
                       AND (c.account_id IS NULL OR l.created_at >= c.recorded_through OR l.id > c.recorded_to_id)
                    """).param("a", account).param("m", meter).query(Long.class).single();
            assertThat(totals + live).as("%s of %s", meter, account).isEqualTo(all);
        }
    }

    private List<Map<String, Object>> discrepancies(String account) {
        var response = admin.get("/v1/admin/reconciliation?account_id=" + account);
        assertThat(response.status()).isEqualTo(200);
        var found = new ArrayList<Map<String, Object>>();
        response.json().path("data").forEach(d -> d.path("differences").forEach(m -> found.add(Map.of(
                "meter", m.path("meter").asString(), "field", m.path("field").asString(),
                "cached", m.path("cached").asLong(), "expected", m.path("expected").asLong()))));
        return found;
    }

    @Test
    void reconciliation_over_several_recorded_months_is_empty_and_still_finds_a_corrupted_meter() {
        String account = newAccount("free");
        use(account, 100);
        YearMonth first = firstFreeMonth();
        history(account, start(first).plus(Duration.ofDays(10)), 1_000, 1);
        history(account, start(first.plusMonths(1)).plus(Duration.ofDays(10)), 2_000, 2);
        // Early in the month after the recorded ones, with a lower id than the last recorded month's entry (a node
        // whose clock ran ahead): it must stay live.
        history(account, start(first.plusMonths(3)).plusSeconds(30), 7, 0);
        history(account, start(first.plusMonths(2)).plus(Duration.ofDays(10)), 3_000, 3);

        var recorded = jobAt(closed(first.plusMonths(2))).recordClosedDays();

        assertThat(recorded).contains(first, first.plusMonths(1), first.plusMonths(2));
        for (int i = 0; i < 3; i++) {
            assertThat(recorded(account, first.plusMonths(i), "tokens")).isEqualTo(1_000L * (i + 1));
            assertThat(recorded(account, first.plusMonths(i), "credits")).isEqualTo(i + 1);
        }
        totalsReproduceTheEntries(account);
        assertThat(discrepancies(account)).isEmpty();

        // Entries written now (before the recorded months, by this clock) arrived after their month was recorded.
        use(account, 50);
        assertThat(discrepancies(account)).isEmpty();
        var next = jobAt(closed(first.plusMonths(3))).recordClosedDays();
        assertThat(next).containsExactly(first.plusMonths(3));
        assertThat(recorded(account, first.plusMonths(3), "tokens")).isEqualTo(7);
        totalsReproduceTheEntries(account);
        assertThat(discrepancies(account)).isEmpty();

        long used = sql.sql("SELECT tokens_used FROM budget WHERE account_id = :a").param("a", account)
                .query(Long.class).single();
        sql.sql("UPDATE budget SET tokens_used = tokens_used + 3 WHERE account_id = :a").param("a", account).update();
        try {
            assertThat(discrepancies(account)).containsExactly(
                    Map.of("meter", "tokens", "field", "used", "cached", used + 3, "expected", used));
        } finally {
            sql.sql("UPDATE budget SET tokens_used = tokens_used - 3 WHERE account_id = :a").param("a", account)
                    .update();
        }
    }

    @Test
    void the_closed_days_of_a_month_under_way_are_recorded_and_its_last_day_completes_it() {
        String account = newAccount("free");
        YearMonth month = firstFreeMonth();
        history(account, start(month).plus(Duration.ofDays(2)), 300, 0);
        Instant tenthDay = start(month).plus(Duration.ofDays(9));
        history(account, tenthDay.plus(Duration.ofHours(3)), 40, 0);

        var completed = jobAt(tenthDay.plus(Duration.ofHours(5))).recordClosedDays();

        assertThat(completed).doesNotContain(month);
        assertThat(store.recordedThrough()).contains(tenthDay);
        assertThat(recorded(account, month, "tokens")).as("the third day, not the tenth under way").isEqualTo(300);
        assertThat(problems(month)).extracting(p -> p.get("problem"))
                .containsExactly("month not recorded in ledger_month");
        totalsReproduceTheEntries(account);
        assertThat(discrepancies(account)).isEmpty();

        assertThat(jobAt(closed(month)).recordClosedDays()).contains(month);
        assertThat(recorded(account, month, "tokens")).isEqualTo(340);
        assertThat(problems(month)).isEmpty();
        assertThat(discrepancies(account)).isEmpty();
    }

    @Test
    void two_concurrent_runs_record_each_month_once_and_a_rerun_records_nothing() throws Exception {
        String account = newAccount("free");
        YearMonth first = firstFreeMonth();
        history(account, start(first).plus(Duration.ofDays(3)), 500, 2);
        history(account, start(first.plusMonths(1)).plus(Duration.ofDays(3)), 600, 3);
        Instant at = closed(first.plusMonths(1));

        var go = new CountDownLatch(1);
        var runs = List.of(
                CompletableFuture.supplyAsync(() -> awaitThen(go, () -> jobAt(at).recordClosedDays())),
                CompletableFuture.supplyAsync(() -> awaitThen(go, () -> jobAt(at).recordClosedDays())));
        go.countDown();
        var months = new ArrayList<YearMonth>();
        for (var run : runs) {
            months.addAll(run.get());
        }

        assertThat(months).doesNotHaveDuplicates().contains(first, first.plusMonths(1));
        assertThat(recorded(account, first, "tokens")).isEqualTo(500);
        assertThat(recorded(account, first.plusMonths(1), "tokens")).isEqualTo(600);
        assertThat(jobAt(at).recordClosedDays()).isEmpty();
        assertThat(recorded(account, first, "credits")).isEqualTo(2);
        assertThat(recorded(account, first.plusMonths(1), "credits")).isEqualTo(3);
        totalsReproduceTheEntries(account);
        assertThat(discrepancies(account)).isEmpty();
    }

    @Test
    void the_archive_check_refuses_an_unrecorded_month_and_flags_an_entry_that_arrived_after_recording() {
        String account = newAccount("free");
        YearMonth month = firstFreeMonth();
        history(account, start(month).plus(Duration.ofDays(5)), 900, 1);
        assertThat(problems(month)).extracting(p -> p.get("problem")).containsExactly("month not recorded in ledger_month");

        jobAt(closed(month)).recordClosedDays();
        assertThat(problems(month)).isEmpty();

        // Written after its month was recorded: reconciliation reads it live, but the month is not archivable.
        history(account, start(month).plus(Duration.ofDays(6)), 40, 0);
        assertThat(discrepancies(account)).isEmpty();
        assertThat(problems(month)).containsExactly(Map.of("account_id", account, "meter", "tokens",
                "recorded", 900L, "in_ledger", 940L, "problem", "recorded total differs from the entries"));
    }

    @Test
    void archiving_a_recorded_month_as_the_readme_says_leaves_reconciliation_empty() {
        String account = newAccount("free");
        use(account, 100);
        YearMonth month = firstFreeMonth();
        String ledgerPartition = monthPartition("ledger_entry", month);
        String usagePartition = monthPartition("usage_record", month);
        history(account, start(month).plus(Duration.ofDays(5)), 900, 1);
        long inPartition = sql.sql("SELECT count(*) FROM " + ledgerPartition + " WHERE account_id = :a")
                .param("a", account).query(Long.class).single();
        assertThat(inPartition).isEqualTo(2);

        // Step 1: recorded, and its totals equal its entries.
        jobAt(closed(month)).recordClosedDays();
        assertThat(problems(month)).isEmpty();
        // Step 2: detach with a bounded wait for the table lock (the tables have a default partition, so
        // DETACH ... CONCURRENTLY is refused by PostgreSQL).
        for (String[] detach : List.of(new String[] {"ledger_entry", ledgerPartition},
                new String[] {"usage_record", usagePartition})) {
            transactions.executeWithoutResult(status -> {
                sql.sql("SET LOCAL lock_timeout = '5s'").update();
                sql.sql("ALTER TABLE " + detach[0] + " DETACH PARTITION " + detach[1]).update();
            });
        }
        // Step 3 (the copy is pg_dump's business): drop.
        sql.sql("DROP TABLE " + ledgerPartition + ", " + usagePartition).update();

        // Step 4: reconciliation reads the month from its totals, and the account meters on.
        assertThat(recorded(account, month, "tokens")).isEqualTo(900);
        assertThat(discrepancies(account)).isEmpty();
        use(account, 50);
        assertThat(discrepancies(account)).isEmpty();
        var ledger = admin.get("/v1/accounts/" + account + "/ledger");
        assertThat(ledger.status()).isEqualTo(200);
        assertThat(ledger.json().path("data")).isNotEmpty();
    }

    /** The month's own partition of a history table, created as the partition job does. */
    private String monthPartition(String table, YearMonth month) {
        sql.sql("SELECT history_partition_create(:t, :m)").param("t", table).param("m", month.atDay(1))
                .query(String.class).list();
        return table + "_" + month.format(java.time.format.DateTimeFormatter.ofPattern("yyyy_MM"));
    }

    private List<Map<String, Object>> problems(YearMonth month) {
        return sql.sql("SELECT account_id, meter, recorded, in_ledger, problem FROM ledger_month_archive_problems(:m)")
                .param("m", month.atDay(1))
                .query((rs, row) -> {
                    var p = new java.util.HashMap<String, Object>();
                    p.put("problem", rs.getString("problem"));
                    if (rs.getString("account_id") != null) {
                        p.put("account_id", rs.getString("account_id"));
                        p.put("meter", rs.getString("meter"));
                        p.put("recorded", rs.getLong("recorded"));
                        p.put("in_ledger", rs.getLong("in_ledger"));
                    }
                    return (Map<String, Object>) p;
                })
                .list();
    }

    private static <T> T awaitThen(CountDownLatch go, java.util.function.Supplier<T> then) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return then.get();
    }
}
