package dev.tollgate.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.EngineTest;
import dev.tollgate.TestDatabase;
import dev.tollgate.TollgateNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The database refuses what the code refuses, and the application's role cannot rewrite the ledger. */
class DatabaseHardeningTests extends EngineTest {

    private static final String RUNTIME_ROLE = "tollgate_runtime_test";

    private String accountWithLedger() {
        String account = newAccount("trial");
        var topUp = admin.post("/v1/accounts/" + account + "/top-ups", Map.of("amount_usd", "5.00"));
        assertThat(topUp.status()).as(topUp.toString()).isEqualTo(201);
        return account;
    }

    private void ensureRuntimeRole() {
        sql.sql("""
                DO $$ BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%s') THEN
                        CREATE ROLE %s LOGIN IN ROLE tollgate_app;
                    END IF;
                END $$
                """.formatted(RUNTIME_ROLE, RUNTIME_ROLE)).update();
    }

    private Connection connectAsRuntimeRole() throws SQLException {
        ensureRuntimeRole();
        return DriverManager.getConnection(TestDatabase.jdbcUrl().replace("user=postgres", "user=" + RUNTIME_ROLE));
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return "";
    }

    @Test
    void not_even_the_owner_may_change_or_delete_a_ledger_entry() {
        String account = accountWithLedger();
        assertThatThrownBy(() -> sql.sql("UPDATE ledger_entry SET amount = amount + 1 WHERE account_id = :a")
                .param("a", account).update()).hasMessageContaining("append-only");
        assertThatThrownBy(() -> sql.sql("DELETE FROM ledger_entry WHERE account_id = :a")
                .param("a", account).update()).hasMessageContaining("append-only");
    }

    @Test
    void the_application_role_appends_to_the_ledger_but_never_rewrites_it() throws SQLException {
        String account = accountWithLedger();
        try (var connection = connectAsRuntimeRole()) {
            // Everything runs in one transaction that is rolled back: the ledger must still reconcile.
            connection.setAutoCommit(false);
            var runtime = JdbcClient.create(new SingleConnectionDataSource(connection, true));
            assertThat(runtime.sql("SELECT count(*) FROM ledger_entry WHERE account_id = :a").param("a", account)
                    .query(Long.class).single()).isPositive();
            runtime.sql("""
                    INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, actor, created_at)
                    VALUES (:a, 'credits', 'add', 1, 4, 'test', now())
                    """).param("a", account).update();
            connection.rollback();
            for (String statement : new String[] {
                    "UPDATE ledger_entry SET amount = 0 WHERE account_id = :a",
                    "DELETE FROM ledger_entry WHERE account_id = :a",
                    "TRUNCATE ledger_entry",
                    "UPDATE usage_record SET input_tokens = 0 WHERE account_id = :a",
                    "DELETE FROM usage_record WHERE account_id = :a",
                    "TRUNCATE usage_record",
                    "UPDATE flyway_schema_history SET success = false WHERE version = :a",
                    "CREATE TABLE tollgate_app_may_not_create (id int)"}) {
                assertThatThrownBy(() -> runtime.sql(statement).param("a", account).update())
                        .as(statement)
                        .satisfies(e -> assertThat(sqlState(e)).isEqualTo("42501"));
                connection.rollback();
            }
            assertThat(runtime.sql("UPDATE budget SET updated_at = updated_at WHERE account_id = :a")
                    .param("a", account).update()).as("meters are updated in place").isEqualTo(1);
            connection.rollback();
        }
    }

    @Test
    void constraints_refuse_what_the_api_refuses() {
        String account = accountWithLedger();
        Map<String, String> refused = Map.of(
                "top-up on the credits meter", """
                        INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, actor, created_at)
                        VALUES (:a, 'credits', 'top_up', 5, 5, 'test', now())""",
                "negative add", """
                        INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, actor, created_at)
                        VALUES (:a, 'credits', 'add', -5, 0, 'test', now())""",
                "tokens used below zero", """
                        INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, actor, created_at)
                        VALUES (:a, 'tokens', 'reset', -5, -5, 'test', now())""",
                "oversized metadata", """
                        UPDATE account SET metadata = jsonb_build_object('x', repeat('x', 70000)) WHERE id = :a""",
                "committed reservation without usage", """
                        INSERT INTO reservation (id, account_id, status, provider, model, byok, tokens, conversations,
                            credits, amount_micros, input_tokens_estimated, max_output_tokens, period_start,
                            created_at, expires_at, resolved_at)
                        VALUES ('rsv_test_' || :a, :a, 'committed', 'openai', 'gpt-4o', false, 1, 0, 0, 0, 1, 0,
                            now(), now(), now(), now())""",
                "unknown threshold meter", """
                        INSERT INTO threshold_crossing (account_id, meter, period_start, threshold_percent, created_at)
                        VALUES (:a, 'dollars', now(), 90, now())""");
        refused.forEach((what, statement) -> assertThatThrownBy(
                () -> sql.sql(statement).param("a", account).update())
                .as(what)
                .satisfies(e -> assertThat(sqlState(e)).as(what).isEqualTo("23514")));
    }

    @Test
    void tollgate_runs_as_the_application_role_with_flyway_as_the_owner() {
        ensureRuntimeRole();
        // The test URL names its user, which would outrank the configured one.
        try (var node = TollgateNode.start(Map.of(
                "tollgate.database.url", TestDatabase.jdbcUrl().replaceAll("[?&]user=postgres", ""),
                "tollgate.database.user", RUNTIME_ROLE,
                "spring.flyway.user", "postgres",
                "spring.flyway.password", ""))) {
            var runtime = node.admin();
            String account = unique("least-privilege");
            assertThat(runtime.post("/v1/accounts", Map.of("id", account)).status()).isEqualTo(201);
            track(account);
            var reservation = runtime.post("/v1/reservations", Map.of("account_id", account, "provider", "openai",
                    "model", "gpt-4o", "input_tokens", 100, "max_output_tokens", 100));
            assertThat(reservation.status()).as(reservation.toString()).isEqualTo(201);
            var commit = runtime.post("/v1/reservations/" + reservation.json().path("id").asString() + "/commit",
                    Map.of("input_tokens", 100, "output_tokens", 50));
            assertThat(commit.status()).as(commit.toString()).isEqualTo(200);
            var credits = runtime.post("/v1/accounts/" + account + "/credits",
                    Map.of("type", "add", "amount", 2, "description", "least privilege"));
            assertThat(credits.status()).as(credits.toString()).isEqualTo(201);
            assertThat(sql.sql("SELECT count(*) FROM pg_stat_activity WHERE usename = :role")
                    .param("role", RUNTIME_ROLE).query(Long.class).single())
                    .as("the node's pool connects as the application role").isPositive();
        }
    }

    @Test
    void analyze_keeps_statistics_only_for_columns_queries_filter_group_or_order_by() {
        String account = accountWithLedger();
        var topUp = admin.idempotent("statistics-" + account)
                .post("/v1/accounts/" + account + "/top-ups", Map.of("amount_usd", "1.00"));
        assertThat(topUp.status()).as(topUp.toString()).isEqualTo(201);
        commit(approvedReservation(account, 100, 50), 100, 40);
        sql.sql("ANALYZE event, idempotency_record, reservation, ledger_entry, usage_record").update();
        var analyzed = sql.sql("""
                        SELECT tablename || '.' || attname FROM pg_stats
                         WHERE schemaname = 'public'
                           AND tablename IN ('event', 'idempotency_record', 'reservation', 'ledger_entry',
                                             'usage_record')
                        """)
                .query(String.class).list();
        assertThat(analyzed).contains("event.account_id", "event.type", "reservation.status", "reservation.expires_at",
                "ledger_entry.reference", "ledger_entry.meter", "usage_record.created_at", "usage_record.model",
                "idempotency_record.idempotency_key", "idempotency_record.created_at");
        assertThat(analyzed).doesNotContain("event.data", "idempotency_record.response_body",
                "idempotency_record.request_hash", "reservation.metadata", "reservation.model",
                "ledger_entry.metadata", "ledger_entry.description", "ledger_entry.amount", "usage_record.metadata",
                "usage_record.cost_micros");
    }
}
