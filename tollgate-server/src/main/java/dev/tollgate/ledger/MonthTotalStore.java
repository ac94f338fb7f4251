package dev.tollgate.ledger;

import static dev.tollgate.platform.Sql.ts;

import dev.tollgate.platform.Sql;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The tables {@code ledger_month}, {@code ledger_month_total} and {@code ledger_account_cut} (V42). */
@Repository
class MonthTotalStore {

    private static final String RECORD_MONTH = Sql.file(MonthTotalStore.class, "record-month.sql");

    private final JdbcClient jdbc;

    MonthTotalStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The latest recorded month, if any. */
    Optional<YearMonth> lastRecorded() {
        return jdbc.sql("SELECT max(month) AS month FROM ledger_month")
                .query((rs, row) -> Optional.ofNullable(rs.getObject("month", LocalDate.class)))
                .single()
                .map(YearMonth::from);
    }

    /** The month of the oldest entry; read only before the first month is recorded (it reads every entry). */
    Optional<YearMonth> firstEntryMonth() {
        return jdbc.sql("SELECT min(created_at) AS first FROM ledger_entry")
                .query((rs, row) -> Optional.ofNullable(rs.getTimestamp("first")))
                .single()
                .map(first -> YearMonth.from(first.toInstant().atZone(ZoneOffset.UTC)));
    }

    /**
     * Records {@code month}'s totals unless it is recorded already; returns whether this call recorded it. The
     * marker's key decides between two nodes: the second waits for the first's transaction, then inserts nothing.
     */
    boolean record(YearMonth month, Instant now) {
        boolean marked = jdbc.sql("""
                        INSERT INTO ledger_month (month, recorded_at) VALUES (:month, :now)
                        ON CONFLICT (month) DO NOTHING
                        """)
                .param("month", month.atDay(1))
                .param("now", ts(now))
                .update() == 1;
        if (marked) {
            Instant from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            jdbc.sql(RECORD_MONTH)
                    .param("from", ts(from))
                    .param("to", ts(to))
                    .update();
        }
        return marked;
    }

    /** The recorded months, oldest first. */
    List<YearMonth> recordedMonths() {
        return jdbc.sql("SELECT month FROM ledger_month ORDER BY month")
                .query((rs, row) -> YearMonth.from(rs.getObject("month", LocalDate.class)))
                .list();
    }
}
