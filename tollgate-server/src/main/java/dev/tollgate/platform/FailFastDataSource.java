package dev.tollgate.platform;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The connection pool, failing fast while the database is unreachable. The pool alone makes every
 * caller wait its full connection timeout during an outage, and with metering requests queued behind
 * the admission gate those waits add up to minutes. Once a connection attempt has failed because no
 * database answered, callers are refused at once, except one at a time that probes: it waits for the
 * pool (at most its connection timeout), and the first probe that gets a connection ends the outage for
 * everyone. Recovery therefore needs no restart and takes at most about one connection timeout after
 * the database is back. The start and the end of an outage are logged once each, not every refusal.
 */
final class FailFastDataSource extends DelegatingDataSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FailFastDataSource.class);

    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile @Nullable Outage outage;

    private final HikariDataSource pool;

    FailFastDataSource(HikariDataSource pool) {
        super(pool);
        this.pool = pool;
    }

    /** The pool behind this view, whose URL and credentials the notification listener connects with. */
    HikariDataSource pool() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public Connection getConnection() throws SQLException {
        Outage current = outage;
        if (current == null) {
            return connect(null);
        }
        if (!probing.compareAndSet(false, true)) {
            current.refused().increment();
            throw new SQLTransientConnectionException(
                    "The database is unreachable; another caller is reconnecting", "08001");
        }
        try {
            return connect(current);
        } finally {
            probing.set(false);
        }
    }

    /** Whether callers are being refused at once because the database is known to be unreachable. */
    boolean failingFast() {
        return outage != null;
    }

    private Connection connect(@Nullable Outage current) throws SQLException {
        Connection connection;
        try {
            connection = obtainTargetDataSource().getConnection();
        } catch (SQLException e) {
            if (current == null && DatabaseFailures.unreachable(e)) {
                began(e);
            }
            throw e;
        }
        if (current != null) {
            ended(current);
        }
        return connection;
    }

    private synchronized void began(SQLException cause) {
        if (outage == null) {
            outage = new Outage(System.nanoTime(), new LongAdder());
            log.warn("Database unreachable ({}); refusing database work with 503 until a connection succeeds",
                    DatabaseFailures.describe(cause));
        }
    }

    private synchronized void ended(Outage ended) {
        if (outage == ended) {
            outage = null;
            log.info("Database reachable again after {} ms; {} calls were refused meanwhile",
                    Duration.ofNanos(System.nanoTime() - ended.sinceNanos()).toMillis(), ended.refused().sum());
        }
    }

    private record Outage(long sinceNanos, LongAdder refused) {}
}
