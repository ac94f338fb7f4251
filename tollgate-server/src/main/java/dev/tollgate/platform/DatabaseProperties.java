package dev.tollgate.platform;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Tollgate keeps its state: an external PostgreSQL when {@code url} is set, otherwise an
 * embedded PostgreSQL whose data lives in {@code dataDir}. The timeouts bound how long a call waits on a
 * database that does not answer: {@code connectionTimeout} for a connection (from the pool, or a new
 * one), {@code validationTimeout} for the pool's liveness check of an idle connection, and
 * {@code socketTimeout} for any one read from the server (a query, a commit), after which the call is
 * answered {@code 503 database_unavailable}.
 */
@ConfigurationProperties("tollgate.database")
public record DatabaseProperties(
        @Nullable String url, @Nullable String user, @Nullable String password, Path dataDir, int poolSize,
        @DefaultValue("PT2S") Duration connectionTimeout, @DefaultValue("PT1S") Duration validationTimeout,
        @DefaultValue("PT60S") Duration socketTimeout) {

    /** Hikari's floor for both timeouts. */
    private static final Duration POOL_TIMEOUT_MIN = Duration.ofMillis(250);

    public DatabaseProperties {
        if (poolSize < 1) {
            throw new IllegalArgumentException("tollgate.database.pool-size must be at least 1, was " + poolSize);
        }
        if (connectionTimeout.compareTo(POOL_TIMEOUT_MIN) < 0) {
            throw new IllegalArgumentException("tollgate.database.connection-timeout must be at least 250ms, was "
                    + connectionTimeout);
        }
        // The pool checks an idle connection within the wait for it, so the check must fit in the wait.
        if (validationTimeout.compareTo(POOL_TIMEOUT_MIN) < 0 || validationTimeout.compareTo(connectionTimeout) >= 0) {
            throw new IllegalArgumentException("tollgate.database.validation-timeout must be at least 250ms and "
                    + "shorter than connection-timeout, was " + validationTimeout);
        }
        if (socketTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("tollgate.database.socket-timeout must be at least 1s, was "
                    + socketTimeout);
        }
    }

    boolean embedded() {
        return url == null || url.isBlank();
    }

    @Override
    public String toString() {
        return "DatabaseProperties[url=" + url + ", user=" + user + ", dataDir=" + dataDir + ", poolSize=" + poolSize
                + ", connectionTimeout=" + connectionTimeout + ", validationTimeout=" + validationTimeout
                + ", socketTimeout=" + socketTimeout + "]";
    }
}
