package dev.tollgate.platform;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ProblemDetail;

/**
 * Tells a database that cannot be reached (stopped, restarting, failing over, out of connections) from
 * a bug. The first is answered {@code 503 database_unavailable}, retryable, because a retry after the
 * outage succeeds; the second stays a 500. Spring wraps the driver's exception in different ways
 * (CannotGetJdbcConnectionException, CannotCreateTransactionException, DataAccessResourceFailureException,
 * a failed commit), so the decision reads the SQL exceptions anywhere in the cause chain.
 */
public final class DatabaseFailures {

    /** What a 503 database_unavailable tells the client to wait before retrying. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    /** Causes past this depth are not the database's: real chains are three or four deep. */
    private static final int CAUSE_DEPTH_MAX = 16;

    private DatabaseFailures() {}

    /** Whether the database was unreachable or unusable for a while, so that the same call may succeed later. */
    public static boolean unavailable(Throwable failure) {
        return find(failure, DatabaseFailures::unavailableHere) != null;
    }

    /**
     * Whether a connection attempt failed because no database answered (not merely because every pooled
     * connection was busy): the signal that an outage began.
     */
    static boolean unreachable(Throwable failure) {
        return find(failure, DatabaseFailures::lostConnection) != null;
    }

    /** The body of the answer: the same for every outage, never the driver's message. */
    public static ProblemDetail problem() {
        return Problems.detail(PlatformProblem.DATABASE_UNAVAILABLE,
                "The database is unavailable. Retry after " + RETRY_AFTER.toSeconds()
                        + " s with the same Idempotency-Key: a call that took effect is replayed, not repeated.");
    }

    /** The driver's message, for one log line instead of a stack trace: an outage is not a bug. */
    public static String describe(Throwable failure) {
        Throwable root = find(failure, DatabaseFailures::lostConnection);
        if (root == null) {
            root = find(failure, DatabaseFailures::unavailableHere);
        }
        Throwable shown = root == null ? failure : root;
        String state = shown instanceof SQLException sql && sql.getSQLState() != null ? " [" + sql.getSQLState() + "]"
                : "";
        return shown.getClass().getSimpleName() + state + ": " + shown.getMessage();
    }

    private static boolean unavailableHere(Throwable failure) {
        // Hikari's "connection is not available, request timed out": the database or the pool cannot serve now.
        return failure instanceof SQLTransientConnectionException
                || failure instanceof SQLRecoverableException
                || lostConnection(failure)
                || failure instanceof SQLException sql && "53300".equals(sql.getSQLState());
    }

    /**
     * SQLSTATE class 08 is "connection exception"; 57P01 admin_shutdown, 57P02 crash_shutdown and 57P03
     * cannot_connect_now are what PostgreSQL says while it stops, recovers or starts; 25006
     * read_only_sql_transaction is a write that reached a server just demoted to a standby.
     */
    private static boolean lostConnection(Throwable failure) {
        if (!(failure instanceof SQLException sql) || sql.getSQLState() == null) {
            return false;
        }
        String state = sql.getSQLState();
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.equals("25006");
    }

    private static @Nullable Throwable find(Throwable failure, java.util.function.Predicate<Throwable> test) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return find(failure, test, seen, 0);
    }

    private static @Nullable Throwable find(
            @Nullable Throwable failure, java.util.function.Predicate<Throwable> test, Set<Throwable> seen, int depth) {
        if (failure == null || depth > CAUSE_DEPTH_MAX || !seen.add(failure)) {
            return null;
        }
        if (test.test(failure)) {
            return failure;
        }
        if (failure instanceof SQLException sql && sql.getNextException() != null) {
            Throwable next = find(sql.getNextException(), test, seen, depth + 1);
            if (next != null) {
                return next;
            }
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            Throwable found = find(suppressed, test, seen, depth + 1);
            if (found != null) {
                return found;
            }
        }
        return find(failure.getCause(), test, seen, depth + 1);
    }
}
