package dev.tollgate.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.TestClock;
import dev.tollgate.TestDatabase;
import dev.tollgate.TollgateNode;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Events older than the retention (90 days by default) go by whole month partitions, with their deliveries;
 * a month that is partly inside the retention stays whole, and the ledger and usage records are never dropped.
 * On a database of its own, so that dropping months and writing deliveries touches no other test's data.
 */
class EventRetentionTests {

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy_MM");
    private static final String ACCOUNT = "event-retention";

    @Test
    void months_wholly_older_than_the_retention_are_dropped_with_their_deliveries_and_later_ones_are_kept() {
        String url = TestDatabase.createDatabase("event_retention");
        try (var node = TollgateNode.start(url, Map.of())) {
            var sql = JdbcClient.create(new DriverManagerDataSource(url, "postgres", ""));
            Instant now = TestClock.SHARED.instant();
            LocalDate current = LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1);
            LocalDate old = current.minusMonths(6);
            LocalDate recent = current.minusMonths(2);
            sql.sql("INSERT INTO account (id, created_at, updated_at) VALUES (:a, :at, :at)").param("a", ACCOUNT)
                    .param("at", Timestamp.from(now)).update();
            // An endpoint that takes only this test's events, so that its deliveries exist; nothing listens there.
            sql.sql("""
                    INSERT INTO webhook_endpoint (id, url, event_types, secret, created_at)
                    VALUES ('we_retention', 'http://127.0.0.1:9/', '{retention.test}', 'whsec_retention', :at)
                    """).param("at", Timestamp.from(now)).update();
            for (LocalDate month : new LocalDate[] {old, recent, current}) {
                sql.sql("SELECT history_partition_create('event', :month)").param("month", Date.valueOf(month))
                        .query((rs, row) -> rs.getString(1)).list();
                sql.sql("SELECT history_partition_create('ledger_entry', :month)").param("month", Date.valueOf(month))
                        .query((rs, row) -> rs.getString(1)).list();
                Instant at = month.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600);
                sql.sql("""
                        INSERT INTO event (account_id, type, data, created_at)
                        VALUES (:a, 'retention.test', '{}', :at)
                        """).param("a", ACCOUNT).param("at", Timestamp.from(at)).update();
                sql.sql("""
                        INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, actor, created_at)
                        VALUES (:a, 'credits', 'expiry', 0, 0, 'test', :at)
                        """).param("a", ACCOUNT).param("at", Timestamp.from(at)).update();
            }
            assertThat(count(sql, "webhook_delivery")).isEqualTo(3);

            var dropped = node.bean(EventRetention.class).dropExpiredMonths();

            assertThat(dropped).containsExactly("event_" + old.format(MONTH));
            assertThat(exists(sql, "event_" + old.format(MONTH))).isFalse();
            assertThat(exists(sql, "event_" + recent.format(MONTH))).isTrue();
            assertThat(sql.sql("SELECT created_at FROM event WHERE account_id = :a ORDER BY created_at")
                            .param("a", ACCOUNT).query(Timestamp.class).list())
                    .extracting(at -> LocalDate.ofInstant(at.toInstant(), ZoneOffset.UTC).withDayOfMonth(1))
                    .containsExactly(recent, current);
            assertThat(count(sql, "webhook_delivery")).isEqualTo(2);
            assertThat(count(sql, "ledger_entry")).as("the ledger keeps every month").isEqualTo(3);
            assertThat(exists(sql, "ledger_entry_" + old.format(MONTH))).isTrue();
            assertThat(node.bean(EventRetention.class).dropExpiredMonths()).isEmpty();
        }
    }

    private static long count(JdbcClient sql, String table) {
        return sql.sql("SELECT count(*) FROM " + table + " WHERE account_id = :a").param("a", ACCOUNT)
                .query(Long.class).single();
    }

    private static boolean exists(JdbcClient sql, String table) {
        return sql.sql("SELECT to_regclass(:name) IS NOT NULL").param("name", table).query(Boolean.class).single();
    }
}
