package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.EngineTest;
import dev.tollgate.TestDatabase;
import dev.tollgate.report.UsageGrouping;
import dev.tollgate.shared.Money;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Usage reports read whole hours from the usage_hourly rollup that a trigger keeps, and the partial hours
 * at the ends of the window from the records: whatever the window and however the records were written,
 * the report must equal the plain sum of the records in the window.
 */
class UsageRollupTests extends EngineTest {

    private static final String[][] MODELS = {
            {"openai", "gpt-4o"}, {"openai", "gpt-4o-mini"}, {"anthropic", "claude-sonnet-4"}};
    private static final Duration HOUR = Duration.ofHours(1);

    @Autowired
    private Ledger ledger;

    @Test
    void a_report_over_any_window_equals_the_sum_of_the_records_in_it() {
        String account = newAccount("pro");
        var random = new Random(20261121);
        // The first UTC midnight at least 5 hours ahead: the records start 5 hours before it and cross it.
        Instant midnight = clock.instant().plus(Duration.ofHours(5)).truncatedTo(ChronoUnit.DAYS)
                .plus(Duration.ofDays(1));
        clock.advanceTo(midnight.minus(Duration.ofHours(5)));
        for (int i = 0; i < 60; i++) {
            String[] model = MODELS[random.nextInt(MODELS.length)];
            long input = 10 + random.nextInt(500);
            var usage = admin.post("/v1/usage", Map.of("account_id", account, "provider", model[0],
                    "model", model[1], "input_tokens", input, "output_tokens", 1 + random.nextInt(200),
                    "cached_input_tokens", random.nextLong(input + 1)));
            assertThat(usage.status()).as(usage.toString()).isEqualTo(201);
            clock.advance(Duration.ofMinutes(5 + random.nextInt(36)).plusNanos(random.nextInt(1_000_000_000)));
        }
        assertRollupEqualsRecords(account);
        List<Instant> times = sql.sql("SELECT created_at FROM usage_record WHERE account_id = :a ORDER BY created_at")
                .param("a", account).query(Instant.class).list();
        Instant first = times.getFirst();
        Instant last = times.getLast();
        Instant firstHour = first.truncatedTo(ChronoUnit.HOURS);

        var windows = new ArrayList<Instant[]>(List.of(
                window(firstHour.plus(HOUR), firstHour.plus(Duration.ofHours(7))),           // whole hours
                window(firstHour.plusSeconds(600), firstHour.plusSeconds(3000)),              // inside one hour
                window(firstHour.plusSeconds(1200), firstHour.plus(HOUR)),                     // ends on the hour
                window(firstHour.plus(HOUR), firstHour.plus(HOUR).plusSeconds(1700)),         // starts on the hour
                window(firstHour.plusSeconds(1799), firstHour.plus(HOUR).plusSeconds(1)),     // no whole hour
                window(firstHour.plusSeconds(1799), firstHour.plus(Duration.ofHours(9)).plusMillis(1)),
                window(firstHour.minus(Duration.ofHours(3)), firstHour),                       // nothing in it
                window(midnight.minusSeconds(5400).plusMillis(7), midnight.plusSeconds(7200).minusMillis(13)),
                window(midnight.minus(HOUR), midnight.plus(HOUR)),                             // around midnight
                window(first.minus(Duration.ofDays(2)), last.plus(Duration.ofDays(1))),       // several days
                window(times.get(3), times.get(40)),                                           // on records
                window(times.get(10).minusNanos(1), times.get(20).plusNanos(1))));
        for (int i = 0; i < 100; i++) {
            long spanMicros = ChronoUnit.MICROS.between(first, last) + 2 * HOUR.toNanos() / 1000;
            Instant from = first.minus(HOUR).plus(random.nextLong(spanMicros), ChronoUnit.MICROS);
            Instant to = from.plus(1 + random.nextLong(spanMicros / 2), ChronoUnit.MICROS);
            windows.add(window(random.nextInt(4) == 0 ? from.truncatedTo(ChronoUnit.HOURS) : from,
                    random.nextInt(4) == 0 ? to.truncatedTo(ChronoUnit.HOURS).plus(HOUR) : to));
        }
        for (Instant[] w : windows) {
            for (String groupBy : new String[] {"day", "model"}) {
                assertThat(reported(account, groupBy, w[0], w[1]))
                        .as("%s by %s", List.of(w), groupBy)
                        .isEqualTo(recordTotals(account, groupBy, w[0], w[1]));
            }
        }
        assertThat(reported(account, "day", first.minus(HOUR), last.plus(HOUR)))
                .as("the records span UTC midnight").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void a_window_of_no_time_reports_nothing() {
        String account = newAccount("pro");
        use(account, 100);
        Instant at = clock.instant();
        assertThat(ledger.usageTotals(account, UsageGrouping.DAY, at, at)).isEmpty();
        assertThat(ledger.usageTotals(account, UsageGrouping.MODEL, at.truncatedTo(ChronoUnit.HOURS),
                at.truncatedTo(ChronoUnit.HOURS))).isEmpty();
    }

    @Test
    void records_inserted_by_hand_many_to_a_statement_are_rolled_up_in_utc_hours() throws SQLException {
        String first = newAccount("pro");
        String second = newAccount("pro");
        Instant day = LocalDate.of(2021, 3, 14).atStartOfDay(ZoneOffset.UTC).toInstant();
        // A session in a zone half an hour off UTC would put records in other hours if the trigger used it.
        try (Connection connection = DriverManager.getConnection(TestDatabase.jdbcUrl())) {
            var session = JdbcClient.create(new SingleConnectionDataSource(connection, true));
            session.sql("SET TIME ZONE 'Asia/Kolkata'").update();
            insertRecords(session, "a", first, second, day);
            // The same hours again: the rollup adds to its rows instead of replacing them.
            insertRecords(session, "b", first, second, day);
        }
        assertRollupEqualsRecords(first, second);
        assertThat(sql.sql("SELECT sum(requests) FROM usage_hourly WHERE account_id IN (:a, :b)")
                .param("a", first).param("b", second).query(Long.class).single()).isEqualTo(2 * 240);
        assertThat(sql.sql("SELECT count(*) FROM usage_hourly WHERE account_id = :a AND hour = :h")
                .param("a", first).param("h", Timestamp.from(day.plus(Duration.ofHours(10))))
                .query(Long.class).single()).as("every model has its row in hour 10:00 UTC").isEqualTo(3);

        for (Instant[] w : List.of(
                window(day, day.plus(Duration.ofDays(1))),
                window(day.plus(Duration.ofHours(10)), day.plus(Duration.ofHours(12))),
                window(day.plus(Duration.ofHours(10)).minusNanos(1000), day.plus(Duration.ofHours(12)).plusNanos(1000)),
                window(day.plus(Duration.ofHours(10)).plusNanos(1000), day.plus(Duration.ofHours(12)).minusNanos(1000)),
                window(day.minus(Duration.ofHours(2)), day.plus(Duration.ofDays(2))))) {
            for (String account : List.of(first, second)) {
                for (String groupBy : new String[] {"day", "model"}) {
                    assertThat(reported(account, groupBy, w[0], w[1])).as("%s by %s", List.of(w), groupBy)
                            .isEqualTo(recordTotals(account, groupBy, w[0], w[1]));
                }
            }
        }
    }

    @Test
    void two_transactions_adding_to_the_same_hour_and_model_both_count() throws Exception {
        String account = newAccount("pro");
        Instant at = Instant.parse("2022-06-01T08:30:00Z");
        try (Connection one = DriverManager.getConnection(TestDatabase.jdbcUrl());
             Connection two = DriverManager.getConnection(TestDatabase.jdbcUrl())) {
            one.setAutoCommit(false);
            two.setAutoCommit(false);
            int twoPid = JdbcClient.create(new SingleConnectionDataSource(two, true))
                    .sql("SELECT pg_backend_pid()").query(Integer.class).single();
            // First round: the hour's row does not exist yet (both insert it); second: both update it.
            for (int round = 0; round < 2; round++) {
                insertRecord(one, account, "one-" + round, at.plusSeconds(round));
                String id = "two-" + round;
                Instant when = at.plusSeconds(60 + round);
                var blocked = CompletableFuture.runAsync(() -> {
                    try {
                        insertRecord(two, account, id, when);
                        two.commit();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                awaitLockWait(twoPid);
                assertThat(blocked).as("the second insert waits for the first transaction").isNotDone();
                one.commit();
                blocked.get(10, TimeUnit.SECONDS);
            }
        }
        assertRollupEqualsRecords(account);
        assertThat(sql.sql("SELECT requests FROM usage_hourly WHERE account_id = :a").param("a", account)
                .query(Long.class).single()).isEqualTo(4);
    }

    @Test
    void the_application_role_may_write_the_rollup() {
        assertThat(sql.sql("""
                SELECT has_table_privilege('tollgate_app', 'usage_hourly', 'INSERT')
                   AND has_table_privilege('tollgate_app', 'usage_hourly', 'UPDATE')
                """).query(Boolean.class).single()).isTrue();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static Instant[] window(Instant from, Instant to) {
        return new Instant[] {from, to};
    }

    /** The report as the API answers it, one line per day or model. */
    private List<String> reported(String account, String groupBy, Instant from, Instant to) {
        var response = admin.get("/v1/accounts/" + account + "/usage?group_by=" + groupBy + "&from=" + from
                + "&to=" + to);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        var lines = new ArrayList<String>();
        response.json().path("data").forEach(t -> lines.add(String.join(" ", t.path(groupBy).asString(),
                t.path("requests").asString(), t.path("input_tokens").asString(), t.path("output_tokens").asString(),
                t.path("cached_input_tokens").asString(), t.path("total_tokens").asString(),
                t.path("cost_usd").asString())));
        return lines;
    }

    /** The same report summed straight from the usage records. */
    private List<String> recordTotals(String account, String groupBy, Instant from, Instant to) {
        String key = groupBy.equals("day") ? "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
                : "provider || '/' || model";
        return sql.sql("SELECT " + key + """
                         AS key, count(*) AS requests, sum(input_tokens) AS input_tokens,
                               sum(output_tokens) AS output_tokens, sum(cached_input_tokens) AS cached,
                               sum(total_tokens) AS total_tokens, sum(cost_micros) AS cost_micros
                          FROM usage_record
                         WHERE account_id = :a AND created_at >= :from AND created_at < :to
                         GROUP BY 1
                         ORDER BY 1
                        """)
                .param("a", account)
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .query((rs, row) -> String.join(" ", rs.getString("key"), rs.getString("requests"),
                        rs.getString("input_tokens"), rs.getString("output_tokens"), rs.getString("cached"),
                        rs.getString("total_tokens"), Money.format(rs.getLong("cost_micros"))))
                .list();
    }

    /** Every hour, provider and model of the accounts' records has its row with their exact sums, and no other. */
    private void assertRollupEqualsRecords(String... accounts) {
        String fromRecords = """
                SELECT account_id, date_trunc('hour', created_at, 'UTC'), provider, model, count(*), sum(input_tokens),
                       sum(output_tokens), sum(cached_input_tokens), sum(total_tokens), sum(cost_micros)
                  FROM usage_record WHERE account_id IN (:accounts) GROUP BY 1, 2, 3, 4""";
        String fromRollup = """
                SELECT account_id, hour, provider, model, requests, input_tokens, output_tokens, cached_input_tokens,
                       total_tokens, cost_micros
                  FROM usage_hourly WHERE account_id IN (:accounts)""";
        assertThat(sql.sql("SELECT count(*) FROM (" + fromRecords + " EXCEPT " + fromRollup + ") AS d")
                .param("accounts", List.of(accounts)).query(Long.class).single())
                .as("hours of records the rollup lacks or sums wrongly").isZero();
        assertThat(sql.sql("SELECT count(*) FROM (" + fromRollup + " EXCEPT " + fromRecords + ") AS d")
                .param("accounts", List.of(accounts)).query(Long.class).single())
                .as("rollup rows that are not the sum of their records").isZero();
    }

    /**
     * 240 records in one statement: two accounts, three models, every hour of the day, on the hour, a
     * microsecond before it and in between.
     */
    private static void insertRecords(JdbcClient session, String batch, String first, String second, Instant day) {
        int inserted = session.sql("""
                        INSERT INTO usage_record (id, account_id, provider, model, input_tokens, output_tokens,
                                                  cached_input_tokens, total_tokens, cost_micros, priced, byok,
                                                  billing_period, created_at)
                        SELECT 'use_rollup_' || :batch || '_' || :first || '_' || g,
                               CASE WHEN g % 4 = 0 THEN :second ELSE :first END,
                               (ARRAY['openai', 'openai', 'anthropic'])[1 + g % 3],
                               (ARRAY['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4'])[1 + g % 3],
                               g, 2 * g, g / 2, 3 * g, 17 * g, true, false, '2021-03',
                               CAST(:day AS timestamptz) + (g / 10) * interval '1 hour'
                                   + (ARRAY[interval '0', interval '-1 microsecond', interval '23 minutes'])[1 + (g / 3) % 3]
                          FROM generate_series(0, 239) AS g
                        """)
                .param("batch", batch)
                .param("first", first)
                .param("second", second)
                .param("day", Timestamp.from(day))
                .update();
        assertThat(inserted).isEqualTo(240);
    }

    private static void insertRecord(Connection connection, String account, String id, Instant at)
            throws SQLException {
        try (var insert = connection.prepareStatement("""
                INSERT INTO usage_record (id, account_id, provider, model, input_tokens, output_tokens,
                                          cached_input_tokens, total_tokens, cost_micros, priced, byok,
                                          billing_period, created_at)
                VALUES (?, ?, 'openai', 'gpt-4o', 100, 10, 0, 110, 5, true, false, '2022-06', ?)
                """)) {
            insert.setString(1, "use_race_" + id + "_" + account);
            insert.setString(2, account);
            insert.setTimestamp(3, Timestamp.from(at));
            insert.executeUpdate();
        }
    }

    private void awaitLockWait(int pid) {
        await("the second transaction waits for the first's lock").atMost(Duration.ofSeconds(10))
                .until(() -> sql.sql("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid AND wait_event_type = 'Lock'")
                        .param("pid", pid).query(Long.class).single() == 1);
    }
}
