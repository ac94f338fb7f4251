package dev.tollgate.ledger;

import static dev.tollgate.platform.Sql.ts;

import dev.tollgate.platform.Sql;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The tables {@code ledger_month}, {@code ledger_month_total} and {@code ledger_account_cut} (V42) and
 * {@code ledger_recorded} (V44).
 */
@Repository
class MonthTotalStore {

    private static final String RECORD_RANGE = Sql.file(MonthTotalStore.class, "record-month.sql");

    private final JdbcClient jdbc;

    MonthTotalStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** How far the totals are recorded: every entry created before it is summed; empty before the first run. */
    Optional<Instant> recordedThrough() {
        return jdbc.sql("SELECT through FROM ledger_recorded")
                .query((rs, row) -> Optional.ofNullable(rs.getTimestamp("through")).map(Timestamp::toInstant))
                .optional()
                .flatMap(through -> through);
    }

    /** The UTC day of the oldest entry; read only before the first run (it reads every entry). */
    Optional<Instant> firstEntryDay() {
        return jdbc.sql("SELECT min(created_at) AS first FROM ledger_entry")
                .query((rs, row) -> Optional.ofNullable(rs.getTimestamp("first")))
                .single()
                .map(first -> first.toInstant().truncatedTo(ChronoUnit.DAYS));
    }

    /**
     * Records the entries created in [{@code from}, {@code to}), within one month, unless another node has moved
     * the recorded end from {@code readThrough} meanwhile; returns whether this call recorded them. The second of
     * two nodes waits for the first's transaction on the row, then finds it moved and records nothing. With
     * {@code completesMonth} the month is marked recorded in the same transaction.
     */
    boolean record(@Nullable Instant readThrough, Instant from, Instant to, boolean completesMonth, Instant now) {
        boolean claimed = jdbc.sql("""
                        UPDATE ledger_recorded SET through = :to
                         WHERE through IS NOT DISTINCT FROM CAST(:readThrough AS timestamptz)
                        """)
                .param("to", ts(to))
                .param("readThrough", readThrough == null ? null : ts(readThrough))
                .update() == 1;
        if (!claimed) {
            return false;
        }
        jdbc.sql(RECORD_RANGE).param("from", ts(from)).param("to", ts(to)).update();
        if (completesMonth) {
            jdbc.sql("INSERT INTO ledger_month (month, recorded_at) VALUES (:month, :now) ON CONFLICT (month) DO NOTHING")
                    .param("month", YearMonth.from(from.atZone(ZoneOffset.UTC)).atDay(1))
                    .param("now", ts(now))
                    .update();
        }
        return true;
    }

    /** The recorded months, oldest first. */
    List<YearMonth> recordedMonths() {
        return jdbc.sql("SELECT month FROM ledger_month ORDER BY month")
                .query((rs, row) -> YearMonth.from(rs.getObject("month", LocalDate.class)))
                .list();
    }
}
