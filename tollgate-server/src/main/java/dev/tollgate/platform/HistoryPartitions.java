package dev.tollgate.platform;

import java.sql.Date;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Creates the month partitions of the partitioned history tables (V41: {@code usage_record},
 * {@code ledger_entry}, {@code event}) ahead of time: at startup and then every
 * {@code tollgate.history.interval} (default daily), the current UTC month of the application's clock and
 * the next {@code tollgate.history.months-ahead} (default 3). A row whose month has no partition lands in
 * the table's DEFAULT partition, so an insert never fails; the month's partition, when created, takes such
 * rows over. Schema plumbing, not a module's data: the tables are read from the catalog and each partition
 * is made by the migration's {@code history_partition_create}, one partition per transaction, so that this
 * job holds one table's lock at a time; that function serializes nodes on an advisory lock.
 */
@Component
class HistoryPartitions {

    private static final Logger log = LoggerFactory.getLogger(HistoryPartitions.class);
    static final int MONTHS_AHEAD_MAX = 24;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final int monthsAhead;

    HistoryPartitions(JdbcClient jdbc, Clock clock, @Value("${tollgate.history.months-ahead:3}") int monthsAhead) {
        if (monthsAhead < 0 || monthsAhead > MONTHS_AHEAD_MAX) {
            throw new IllegalArgumentException("tollgate.history.months-ahead must be 0.." + MONTHS_AHEAD_MAX);
        }
        this.jdbc = jdbc;
        this.clock = clock;
        this.monthsAhead = monthsAhead;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStartup() {
        runLogged();
    }

    @Scheduled(
            fixedDelayString = "${tollgate.history.interval:P1D}",
            initialDelayString = "${tollgate.history.interval:P1D}")
    void onSchedule() {
        runLogged();
    }

    /**
     * Makes sure the partitions of the current month and the next months exist; returns the names of the
     * partitions this call created (none when another node or an earlier run made them).
     */
    List<String> createAhead() {
        YearMonth current = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        var created = new ArrayList<String>();
        for (String table : partitionedTables()) {
            for (int ahead = 0; ahead <= monthsAhead; ahead++) {
                String partition = create(table, current.plusMonths(ahead).atDay(1));
                if (partition != null) {
                    created.add(partition);
                }
            }
        }
        if (!created.isEmpty()) {
            log.info("Created history partitions {}", created);
        }
        return created;
    }

    /** The months ahead this node keeps, for tests and operators. */
    int monthsAhead() {
        return monthsAhead;
    }

    private void runLogged() {
        try {
            createAhead();
        } catch (RuntimeException e) {
            // The DEFAULT partitions take the rows meanwhile; the next run tries again.
            log.warn("Creating history partitions failed: {}", e.toString());
        }
    }

    /** Each call is a transaction of its own (the JdbcClient's autocommit statement). */
    private @Nullable String create(String table, LocalDate month) {
        return jdbc.sql("SELECT history_partition_create(:table, :month)")
                .param("table", table)
                .param("month", Date.valueOf(month))
                .query((rs, row) -> rs.getString(1))
                .list()
                .getFirst();
    }

    /** The partitioned tables of the application's schema (V41's history tables). */
    private List<String> partitionedTables() {
        return jdbc.sql("""
                        SELECT c.relname
                          FROM pg_partitioned_table p
                          JOIN pg_class c ON c.oid = p.partrelid
                         WHERE c.relnamespace = CAST(current_schema() AS regnamespace) AND NOT c.relispartition
                         ORDER BY c.relname
                        """)
                .query(String.class)
                .list();
    }
}
