package dev.tollgate.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.TestClock;
import dev.tollgate.TestDatabase;
import dev.tollgate.TollgateNode;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * V41 partitions a database that is at V40 with history in several months: every row is kept, in the
 * partition of its month, the meters still reconcile, and ids continue after the old ones.
 */
class HistoryMigrationTests {

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy_MM").withZone(ZoneOffset.UTC);
    private static final String ACCOUNT = "history-migration";
    /** Four months of history, the newest now. */
    private static final List<Duration> AGES =
            List.of(Duration.ZERO, Duration.ofDays(35), Duration.ofDays(70), Duration.ofDays(105));

    @Test
    void a_database_at_v40_keeps_every_row_in_its_months_partition_and_reconciles_after_v41() {
        String url = TestDatabase.createDatabase("history_migration");
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").target("40").load()
                .migrate();
        var sql = JdbcClient.create(new DriverManagerDataSource(url, "postgres", ""));
        Instant now = TestClock.SHARED.instant();
        writeV40History(sql, now);
        long ledgerMaxId = maxId(sql, "ledger_entry");
        long eventMaxId = maxId(sql, "event");

        try (var node = TollgateNode.start(url, Map.of())) {
            assertThat(sql.sql("SELECT count(*) FROM flyway_schema_history WHERE version = '41' AND success")
                            .query(Long.class)
                            .single())
                    .isEqualTo(1);
            for (String table : List.of("usage_record", "ledger_entry", "event")) {
                assertThat(partitionsOfRows(sql, table)).as(table).containsExactlyInAnyOrderElementsOf(AGES.stream()
                        .map(age -> table + "_" + MONTH.format(now.minus(age)))
                        .toList());
            }
            assertThat(sql.sql("SELECT count(*) FROM webhook_delivery WHERE event_created_at IS NOT NULL")
                    .query(Long.class).single()).isEqualTo(AGES.size());
            assertThat(sql.sql("SELECT count(*) FROM usage_record WHERE reservation_id = 'rsv_history'")
                    .query(Long.class).single()).isEqualTo(1);

            var reconciliation = node.admin().get("/v1/admin/reconciliation");
            assertThat(reconciliation.status()).isEqualTo(200);
            assertThat(reconciliation.json().path("data").size()).as(reconciliation.text()).isZero();
            var usage = node.admin().get("/v1/accounts/" + ACCOUNT + "/usage?limit=200");
            assertThat(usage.json().path("data").size()).as(usage.text()).isEqualTo(AGES.size());

            var at = Timestamp.from(now);
            long ledgerId = sql.sql("""
                            INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, actor, created_at)
                            VALUES (:a, 'credits', 'expiry', 0, 3, 'test', :at)
                            RETURNING id
                            """)
                    .param("a", ACCOUNT).param("at", at).query(Long.class).single();
            long eventId = sql.sql("""
                            INSERT INTO event (account_id, type, data, created_at)
                            VALUES (:a, 'history.test', '{}', :at)
                            RETURNING id
                            """)
                    .param("a", ACCOUNT).param("at", at).query(Long.class).single();
            assertThat(ledgerId).isGreaterThan(ledgerMaxId);
            assertThat(eventId).isGreaterThan(eventMaxId);
        }
    }

    /**
     * An account on the credits plan with, in each month, one usage record, one usage ledger entry of its
     * tokens and one event (which a webhook endpoint gets a delivery of); the budget holds the ledger's sums.
     */
    private static void writeV40History(JdbcClient sql, Instant now) {
        var at = Timestamp.from(now);
        sql.sql("INSERT INTO account (id, created_at, updated_at) VALUES (:a, :at, :at)").param("a", ACCOUNT)
                .param("at", at).update();
        sql.sql("""
                INSERT INTO webhook_endpoint (id, url, secret, created_at)
                VALUES ('we_history', 'https://hooks.example.com/in', 'whsec_history', :at)
                """).param("at", at).update();
        sql.sql("""
                INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, actor, created_at)
                VALUES (:a, 'credits', 'grant', 3, 3, 'signup', :at)
                """).param("a", ACCOUNT).param("at", Timestamp.from(now.minus(AGES.getLast()))).update();
        long tokens = 0;
        for (Duration age : AGES.reversed()) {
            var time = Timestamp.from(now.minus(age));
            tokens += 100;
            sql.sql("""
                    INSERT INTO usage_record (id, account_id, provider, model, input_tokens, output_tokens,
                                              cached_input_tokens, total_tokens, cost_micros, priced, byok,
                                              billing_period, created_at)
                    VALUES (:id, :a, 'openai', 'gpt-4o', 60, 40, 0, 100, 500, true, false, 'history', :at)
                    """).param("id", "use_history_" + age.toDays()).param("a", ACCOUNT).param("at", time).update();
            sql.sql("""
                    INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, actor, created_at)
                    VALUES (:a, 'tokens', 'usage', 100, :after, 'test', :at)
                    """).param("a", ACCOUNT).param("after", tokens).param("at", time).update();
            sql.sql("INSERT INTO event (account_id, type, data, created_at) VALUES (:a, 'usage.committed', '{}', :at)")
                    .param("a", ACCOUNT).param("at", time).update();
        }
        // One of the records settles a reservation, through the foreign key that V41 recreates.
        sql.sql("""
                INSERT INTO reservation (id, account_id, status, provider, model, byok, tokens, conversations, credits,
                                         amount_micros, input_tokens_estimated, max_output_tokens, period_start,
                                         created_at, expires_at, resolved_at, usage_record_id)
                VALUES ('rsv_history', :a, 'committed', 'openai', 'gpt-4o', false, 0, 0, 0, 0, 0, 0, :at, :at, :at,
                        :at, 'use_history_0')
                """).param("a", ACCOUNT).param("at", at).update();
        sql.sql("UPDATE usage_record SET reservation_id = 'rsv_history' WHERE id = 'use_history_0'").update();
        // Delivered already: the node started on this database has nothing to send.
        sql.sql("UPDATE webhook_delivery SET status = 'succeeded', completed_at = :at").param("at", at).update();
        sql.sql("""
                INSERT INTO budget (account_id, period_start, tokens_used, credits, updated_at)
                VALUES (:a, :at, :tokens, 3, :at)
                """).param("a", ACCOUNT).param("at", at).param("tokens", tokens).update();
    }

    private static long maxId(JdbcClient sql, String table) {
        return sql.sql("SELECT max(id) FROM " + table).query(Long.class).single();
    }

    private static List<String> partitionsOfRows(JdbcClient sql, String table) {
        return sql.sql("SELECT DISTINCT tableoid::regclass::text FROM " + table + " WHERE account_id = :a")
                .param("a", ACCOUNT)
                .query(String.class)
                .list();
    }
}
