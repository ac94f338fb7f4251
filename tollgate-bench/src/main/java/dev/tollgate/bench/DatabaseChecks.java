package dev.tollgate.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Correctness read straight from the tables, independently of Tollgate's API: a bench that only asked
 * Tollgate whether Tollgate overspent would trust the code it is meant to check.
 */
final class DatabaseChecks {

    /** The allowance of an account: its override, else its plan's; null means unlimited. */
    private static final String LIMIT = "COALESCE(s.tokens_per_period_override, p.tokens_per_period)";

    private final Postgres postgres;

    DatabaseChecks(Postgres postgres) {
        this.postgres = postgres;
    }

    /** Accounts whose used plus reserved tokens exceed their allowance. */
    List<String> overspent(Collection<String> accounts) throws SQLException {
        return strings("""
                SELECT b.account_id
                  FROM budget b
                  JOIN subscription s ON s.account_id = b.account_id
                  JOIN plan p ON p.code = s.plan_code
                 WHERE b.account_id = ANY (?)
                   AND %s IS NOT NULL
                   AND b.tokens_used + b.tokens_reserved > %s
                 ORDER BY b.account_id
                """.formatted(LIMIT, LIMIT), accounts);
    }

    /** Tokens still set aside by pending reservations on these accounts. */
    long reservedTokens(Collection<String> accounts) throws SQLException {
        return number("SELECT COALESCE(SUM(tokens_reserved), 0) FROM budget WHERE account_id = ANY (?)", accounts);
    }

    long usedTokens(String account) throws SQLException {
        return number("SELECT COALESCE(SUM(tokens_used), 0) FROM budget WHERE account_id = ANY (?)", List.of(account));
    }

    long committedReservations(String account) throws SQLException {
        return number("SELECT count(*) FROM reservation WHERE account_id = ANY (?) AND status = 'committed'",
                List.of(account));
    }

    /** Reservations of these accounts in a status ({@code pending}, {@code committed}, ...). */
    long reservations(Collection<String> accounts, String status) throws SQLException {
        try (Connection connection = postgres.connect(); var statement = connection.prepareStatement(
                "SELECT count(*) FROM reservation WHERE account_id = ANY (?) AND status = ?")) {
            statement.setArray(1, connection.createArrayOf("text", accounts.toArray()));
            statement.setString(2, status);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private long number(String sql, Collection<String> accounts) throws SQLException {
        try (Connection connection = postgres.connect(); var statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", accounts.toArray()));
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private List<String> strings(String sql, Collection<String> accounts) throws SQLException {
        try (Connection connection = postgres.connect(); var statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", accounts.toArray()));
            var result = new ArrayList<String>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(rows.getString(1));
                }
            }
            return result;
        }
    }
}
