package dev.tollgate.event;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Forgets events older than {@code tollgate.events.retention} (default 90 days) by dropping whole month
 * partitions of {@code event} (V41) whose month ended before the cutoff: one catalog change instead of a
 * delete of every row. The deliveries of those events go first, in the same transaction, because each
 * references its event; finished ones are usually gone already ({@code tollgate.webhooks.retention}, 30
 * days). Events of a month that is partly inside the retention are all kept until the whole month is out.
 */
@Component
class EventRetention {

    private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration retention;

    EventRetention(JdbcClient jdbc, TransactionTemplate transactions, Clock clock,
            @Value("${tollgate.events.retention:P90D}") Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("tollgate.events.retention must be positive");
        }
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.retention = retention;
    }

    @Scheduled(fixedDelayString = "${tollgate.events.cleanup-interval:PT6H}", initialDelayString = "PT10M")
    void onSchedule() {
        try {
            dropExpiredMonths();
        } catch (RuntimeException e) {
            log.warn("Event retention failed: {}", e.toString());
        }
    }

    /** Drops the event partitions of every month that ended before now minus the retention; returns their names. */
    List<String> dropExpiredMonths() {
        Instant cutoff = clock.instant().minus(retention);
        var dropped = new ArrayList<String>();
        for (LocalDate month : monthsEndedBefore(cutoff)) {
            String partition = transactions.execute(status -> drop(month));
            if (partition != null) {
                dropped.add(partition);
            }
        }
        if (!dropped.isEmpty()) {
            log.info("Dropped event partitions {}: their events are older than {}", dropped, retention);
        }
        return dropped;
    }

    /** The months of event's month partitions (named event_YYYY_MM by V41) that end before {@code cutoff}. */
    private List<LocalDate> monthsEndedBefore(Instant cutoff) {
        return jdbc.sql("""
                        SELECT to_date(substring(c.relname FROM '^event_([0-9]{4}_[0-9]{2})$'), 'YYYY_MM') AS month
                          FROM pg_inherits i
                          JOIN pg_class c ON c.oid = i.inhrelid
                         WHERE i.inhparent = CAST('event' AS regclass)
                           AND c.relname ~ '^event_[0-9]{4}_[0-9]{2}$'
                         ORDER BY 1
                        """)
                .query((rs, row) -> rs.getDate("month").toLocalDate())
                .list()
                .stream()
                .filter(month -> !month.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(cutoff))
                .toList();
    }

    private @Nullable String drop(LocalDate month) {
        Instant from = month.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = month.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        int deliveries = jdbc.sql("""
                        DELETE FROM webhook_delivery
                         WHERE event_created_at >= :from AND event_created_at < :to
                        """)
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .update();
        if (deliveries > 0) {
            log.info("Deleted {} webhook deliveries of the events of {}", deliveries, month);
        }
        return jdbc.sql("SELECT history_partition_drop('event', :month)")
                .param("month", Date.valueOf(month))
                .query((rs, row) -> rs.getString(1))
                .list()
                .getFirst();
    }
}
