package dev.tollgate.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tollgate.IntegrationTest;
import dev.tollgate.TollgateNode;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The month partitions of usage_record, ledger_entry and event are made ahead, and take over DEFAULT's rows. */
class HistoryPartitionsTests extends IntegrationTest {

    private static final List<String> TABLES = List.of("event", "ledger_entry", "usage_record");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy_MM");

    @Autowired
    HistoryPartitions partitions;

    @Test
    void a_node_creates_the_partitions_of_the_current_month_and_the_months_ahead_at_start() {
        YearMonth current = currentMonth();
        YearMonth last = current.plusMonths(3);
        for (String table : TABLES) {
            dropEmpty(partition(table, last), table);
        }

        try (var node = TollgateNode.start(Map.of())) {
            assertThat(node.bean(HistoryPartitions.class).monthsAhead()).isEqualTo(3);
        }

        for (String table : TABLES) {
            for (int ahead = 0; ahead <= 3; ahead++) {
                assertThat(exists(partition(table, current.plusMonths(ahead))))
                        .as("%s, %d months ahead", table, ahead)
                        .isTrue();
            }
            assertThat(exists(table + "_default")).isTrue();
        }
    }

    @Test
    void a_later_month_gets_the_next_partition_and_the_rows_that_waited_for_it_in_default() {
        partitions.createAhead();
        YearMonth next = currentMonth().plusMonths(1);
        YearMonth beyond = next.plusMonths(partitions.monthsAhead());
        assertThat(exists(partition("ledger_entry", beyond))).isFalse();
        String account = unique("history");
        assertThat(admin.post("/v1/accounts", Map.of("id", account)).status()).isEqualTo(201);
        Instant early = beyond.atDay(2).atStartOfDay(ZoneOffset.UTC).toInstant();
        writeHistory(account, early);
        assertThat(partitionsHolding(account)).containsOnly("event_default", "ledger_entry_default",
                "usage_record_default");

        clock.advanceTo(next.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(60));
        List<String> created = partitions.createAhead();

        assertThat(created).containsExactlyInAnyOrder(partition("event", beyond), partition("ledger_entry", beyond),
                partition("usage_record", beyond));
        assertThat(partitionsHolding(account)).containsExactlyInAnyOrder(partition("event", beyond),
                partition("ledger_entry", beyond), partition("usage_record", beyond));
        // Moved, not copied: each row once, and the ledger still refuses to lose one.
        assertThat(sql.sql("SELECT count(*) FROM ledger_entry WHERE account_id = :a AND type = 'expiry'")
                .param("a", account).query(Long.class).single()).isEqualTo(1);
        assertThat(sql.sql("SELECT count(*) FROM usage_record WHERE account_id = :a").param("a", account)
                .query(Long.class).single()).isEqualTo(1);
        assertThat(partitions.createAhead()).isEmpty();
    }

    @Test
    void two_runs_at_once_create_each_missing_partition_once_and_neither_fails() throws Exception {
        YearMonth last = currentMonth().plusMonths(partitions.monthsAhead());
        partitions.createAhead();
        for (String table : TABLES) {
            dropEmpty(partition(table, last), table);
        }

        var start = new CountDownLatch(1);
        var created = new ArrayList<String>();
        try (var pool = Executors.newFixedThreadPool(2)) {
            var runs = new ArrayList<Future<List<String>>>();
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return partitions.createAhead();
                }));
            }
            start.countDown();
            for (var run : runs) {
                created.addAll(run.get());
            }
        }

        assertThat(created).containsExactlyInAnyOrder(partition("event", last), partition("ledger_entry", last),
                partition("usage_record", last));
        TABLES.forEach(table -> assertThat(exists(partition(table, last))).isTrue());
    }

    @Test
    void a_partition_of_the_ledger_refuses_truncate_update_and_delete_as_the_ledger_does() {
        String account = unique("history");
        assertThat(admin.post("/v1/accounts", Map.of("id", account)).status()).isEqualTo(201);
        writeHistory(account, clock.instant());
        String name = partition("ledger_entry", currentMonth());
        for (String statement :
                List.of("TRUNCATE " + name, "DELETE FROM " + name, "UPDATE " + name + " SET amount = amount")) {
            var refused = catchThrowable(() -> sql.sql(statement).update());
            assertThat(refused).as(statement).isNotNull().hasMessageContaining("append-only");
        }
    }

    /** One event, one ledger entry that moves no meter (the account still reconciles) and one usage record. */
    private void writeHistory(String account, Instant at) {
        var time = Timestamp.from(at);
        sql.sql("INSERT INTO event (account_id, type, data, created_at) VALUES (:a, 'history.test', '{}', :at)")
                .param("a", account).param("at", time).update();
        sql.sql("""
                INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, actor, created_at)
                VALUES (:a, 'credits', 'expiry', 0, 3, 'test', :at)
                """).param("a", account).param("at", time).update();
        sql.sql("""
                INSERT INTO usage_record (id, account_id, provider, model, input_tokens, output_tokens,
                                          cached_input_tokens, total_tokens, cost_micros, priced, byok, billing_period,
                                          created_at)
                VALUES (:id, :a, 'openai', 'gpt-4o', 1, 1, 0, 2, 0, true, true, 'test', :at)
                """).param("id", unique("use")).param("a", account).param("at", time).update();
    }

    /** Drops a month partition that holds no row, so that a test sees it made again. */
    private void dropEmpty(String name, String table) {
        if (!exists(name)) {
            return;
        }
        assertThat(sql.sql("SELECT count(*) FROM " + name).query(Long.class).single()).as(name).isZero();
        sql.sql("ALTER TABLE " + table + " DETACH PARTITION " + name).update();
        sql.sql("DROP TABLE " + name).update();
    }

    private List<String> partitionsHolding(String account) {
        return sql.sql("""
                        SELECT tableoid::regclass::text FROM event WHERE account_id = :a AND type = 'history.test'
                        UNION ALL
                        SELECT tableoid::regclass::text FROM ledger_entry WHERE account_id = :a AND type = 'expiry'
                        UNION ALL
                        SELECT tableoid::regclass::text FROM usage_record WHERE account_id = :a
                        """)
                .param("a", account)
                .query(String.class)
                .list();
    }

    private YearMonth currentMonth() {
        return YearMonth.now(clock.withZone(ZoneOffset.UTC));
    }

    private static String partition(String table, YearMonth month) {
        return table + "_" + month.format(MONTH);
    }

    private boolean exists(String table) {
        @Nullable String found = sql.sql("SELECT CAST(to_regclass(:name) AS text)").param("name", table)
                .query((rs, row) -> rs.getString(1)).list().getFirst();
        return found != null;
    }
}
