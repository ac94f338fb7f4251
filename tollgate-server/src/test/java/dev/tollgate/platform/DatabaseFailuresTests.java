package dev.tollgate.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures are a database outage (503 database_unavailable, retryable) and which stay bugs (500). */
class DatabaseFailuresTests {

    static Stream<Arguments> failures() {
        var refused = new PSQLException("Connection to 127.0.0.1:5432 refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT);
        var poolTimedOut = new SQLTransientConnectionException("tollgate - Connection is not available, request "
                + "timed out after 2000ms", "08001", refused);
        var poolExhausted = new SQLTransientConnectionException("tollgate - Connection is not available, request "
                + "timed out after 2000ms (total=20, active=20, idle=0, waiting=3)");
        var ioError = new PSQLException("An I/O error occurred while sending to the backend.",
                PSQLState.CONNECTION_FAILURE);
        return Stream.of(
                Arguments.of("no connection for a transaction",
                        new CannotCreateTransactionException("Could not open JDBC Connection", poolTimedOut), true, true),
                Arguments.of("no connection for a query",
                        new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", poolTimedOut), true,
                        true),
                Arguments.of("every pooled connection busy", poolExhausted, true, false),
                Arguments.of("connection lost during a query",
                        new DataAccessResourceFailureException("PreparedStatementCallback", ioError), true, true),
                Arguments.of("connection lost at commit", new TransactionSystemException("Could not commit", ioError),
                        true, true),
                Arguments.of("server shutting down (57P01)", new DataAccessResourceFailureException("query",
                        new SQLException("terminating connection due to administrator command", "57P01")), true, true),
                Arguments.of("server starting up (57P03)", new SQLException("the database system is starting up",
                        "57P03"), true, true),
                Arguments.of("too many connections (53300)", new SQLException("sorry, too many clients already",
                        "53300"), true, false),
                Arguments.of("a unique key violated (23505)", new DataIntegrityViolationException("insert",
                        new SQLException("duplicate key value violates unique constraint", "23505")), false, false),
                Arguments.of("a missing table (42P01)", new BadSqlGrammarException("select", "SELECT 1",
                        new SQLException("relation does not exist", "42P01")), false, false),
                Arguments.of("a bug", new IllegalStateException("broken invariant"), false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void outages_are_told_from_bugs_through_any_wrapping(String situation, Exception failure, boolean unavailable,
            boolean unreachable) {
        assertThat(DatabaseFailures.unavailable(failure)).as("unavailable").isEqualTo(unavailable);
        assertThat(DatabaseFailures.unreachable(failure)).as("unreachable").isEqualTo(unreachable);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void the_log_line_names_the_drivers_message_and_sql_state(String situation, Exception failure,
            boolean unavailable, boolean unreachable) {
        assertThat(DatabaseFailures.describe(failure)).isNotBlank();
        if (unreachable) {
            assertThat(DatabaseFailures.describe(failure)).containsPattern("\\[(08|57)...\\]");
        }
    }
}
