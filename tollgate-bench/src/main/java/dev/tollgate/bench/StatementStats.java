package dev.tollgate.bench;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where PostgreSQL's time goes, statement by statement, from pg_stat_statements: a snapshot at each edge of
 * a measured window, and the difference between the two. Only profiling runs load the extension.
 */
final class StatementStats {

    private static final int TOP_MAX = 12;
    private static final int QUERY_LENGTH_MAX = 110;

    private final Postgres postgres;

    StatementStats(Postgres postgres) {
        this.postgres = postgres;
    }

    /** One statement's cumulative counters. */
    record Row(long queryId, String query, long calls, double totalMillis) {}

    /** One statement's share of the database time of a window. */
    record Share(String query, long calls, double meanMillis, double totalMillis, double percent) {}

    void enable() throws SQLException {
        try (var connection = postgres.connect(); var statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        }
    }

    Map<Long, Row> snapshot() {
        var rows = new HashMap<Long, Row>();
        try (var connection = postgres.connect(); var statement = connection.createStatement();
                var result = statement.executeQuery("""
                        SELECT queryid, regexp_replace(query, '\\s+', ' ', 'g'), calls, total_exec_time
                          FROM pg_stat_statements
                         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                        """)) {
            while (result.next()) {
                rows.put(result.getLong(1), new Row(result.getLong(1), result.getString(2), result.getLong(3),
                        result.getDouble(4)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read pg_stat_statements", e);
        }
        return rows;
    }

    /** What ran between two snapshots, the most expensive first. */
    static List<Row> between(Map<Long, Row> before, Map<Long, Row> after) {
        var ran = new ArrayList<Row>();
        after.forEach((id, row) -> {
            Row earlier = before.get(id);
            long calls = row.calls() - (earlier == null ? 0 : earlier.calls());
            double millis = row.totalMillis() - (earlier == null ? 0 : earlier.totalMillis());
            if (calls > 0) {
                ran.add(new Row(id, row.query(), calls, millis));
            }
        });
        return ran;
    }

    /** Several windows' statements as one, e.g. the rounds of the contended scenario. */
    static List<Row> combine(List<List<Row>> windows) {
        var combined = new HashMap<Long, Row>();
        for (List<Row> window : windows) {
            for (Row row : window) {
                combined.merge(row.queryId(), row, (a, b) -> new Row(a.queryId(), a.query(), a.calls() + b.calls(),
                        a.totalMillis() + b.totalMillis()));
            }
        }
        return List.copyOf(combined.values());
    }

    static List<Share> shares(List<Row> rows) {
        double total = rows.stream().mapToDouble(Row::totalMillis).sum();
        return rows.stream()
                .sorted(Comparator.comparingDouble(Row::totalMillis).reversed())
                .limit(TOP_MAX)
                .map(row -> new Share(abbreviate(row.query()), row.calls(), row.totalMillis() / row.calls(),
                        row.totalMillis(), total <= 0 ? 0 : 100 * row.totalMillis() / total))
                .toList();
    }

    private static String abbreviate(String query) {
        String trimmed = query.trim();
        return trimmed.length() <= QUERY_LENGTH_MAX ? trimmed : trimmed.substring(0, QUERY_LENGTH_MAX) + "…";
    }
}
