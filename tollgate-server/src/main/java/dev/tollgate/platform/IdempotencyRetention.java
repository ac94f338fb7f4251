package dev.tollgate.platform;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets idempotency records older than the retention (default 7 days): a client retries for
 * minutes or hours, not weeks, and the table must not grow forever. Deletes in bounded batches.
 */
@Component
class IdempotencyRetention {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyRetention.class);
    private static final int DELETE_BATCH_SIZE = 10_000;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration retention;

    IdempotencyRetention(JdbcClient jdbc, Clock clock,
            @Value("${tollgate.idempotency.retention:P7D}") Duration retention) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.retention = retention;
    }

    @Scheduled(fixedDelayString = "${tollgate.idempotency.cleanup-interval:PT1H}", initialDelayString = "PT1M")
    void forgetOldRecords() {
        try {
            int deleted = jdbc.sql("""
                            DELETE FROM idempotency_record
                             WHERE ctid IN (SELECT ctid FROM idempotency_record
                                             WHERE created_at < :cutoff
                                             LIMIT :batch)
                            """)
                    .param("cutoff", Timestamp.from(clock.instant().minus(retention)))
                    .param("batch", DELETE_BATCH_SIZE)
                    .update();
            if (deleted > 0) {
                log.info("Forgot {} idempotency records older than {}", deleted, retention);
            }
        } catch (RuntimeException e) {
            log.warn("Idempotency cleanup failed: {}", e.toString());
        }
    }
}
