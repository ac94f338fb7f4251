package dev.tollgate.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * The usage history of the report scenario, written straight into usage_record with one INSERT ... SELECT
 * over generate_series, and the bare aggregate query that is the report's floor.
 */
final class ReportData {

    /**
     * Row g belongs to the heavy account when g is a multiple of {@code heavyEvery}, otherwise to one of the
     * other accounts; its time is spread over the history by a multiplicative hash, so every day holds rows.
     */
    private static final String LOAD = """
            INSERT INTO usage_record (id, account_id, provider, model, input_tokens, output_tokens,
                                      cached_input_tokens, total_tokens, cost_micros, priced, byok, billing_period,
                                      created_at)
            SELECT 'use_bench_' || g,
                   CASE WHEN g % ? = 0 THEN ? ELSE ? || lpad((g % ?)::text, 5, '0') END,
                   'openai',
                   (ARRAY['gpt-4o', 'gpt-4o-mini', 'o3'])[1 + g % 3],
                   100 + g % 900,
                   50 + g % 450,
                   0,
                   (100 + g % 900) + (50 + g % 450),
                   g % 5000,
                   true,
                   false,
                   to_char(t.at AT TIME ZONE 'UTC', 'YYYY-MM'),
                   t.at
              FROM generate_series(1, ?) AS g
             CROSS JOIN LATERAL (SELECT ?::timestamptz - ((g * 7919) % ?) * interval '1 second' AS at) AS t
            """;

    private static final String DAYS = """
            SELECT count(DISTINCT date_trunc('day', created_at AT TIME ZONE 'UTC'))
              FROM usage_record
             WHERE account_id = ? AND created_at >= ? AND created_at < ?
            """;

    static final String USAGE_BY_DAY = """
            SELECT date_trunc('day', created_at AT TIME ZONE 'UTC') AS day,
                   count(*), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), sum(total_tokens),
                   sum(cost_micros)
              FROM usage_record
             WHERE account_id = ? AND created_at >= ? AND created_at < ?
             GROUP BY 1
             ORDER BY 1
            """;

    private ReportData() {}

    /** Writes {@code rows} usage records and returns how many belong to the heavy account. */
    static long load(Postgres postgres, long rows, String heavyAccount, int heavyEvery, String otherPrefix,
            int otherAccounts, Instant now, Duration history) throws SQLException {
        try (Connection connection = postgres.connect()) {
            try (var insert = connection.prepareStatement(LOAD)) {
                insert.setInt(1, heavyEvery);
                insert.setString(2, heavyAccount);
                insert.setString(3, otherPrefix);
                insert.setInt(4, otherAccounts);
                insert.setLong(5, rows);
                insert.setTimestamp(6, Timestamp.from(now));
                insert.setLong(7, history.toSeconds());
                insert.executeUpdate();
            }
            try (var statement = connection.createStatement()) {
                statement.execute("ANALYZE usage_record");
            }
        }
        return rows / heavyEvery;
    }

    static long daysWithUsage(Postgres postgres, String account, Instant from, Instant to) throws SQLException {
        try (Connection connection = postgres.connect(); var query = connection.prepareStatement(DAYS)) {
            query.setString(1, account);
            query.setTimestamp(2, Timestamp.from(from));
            query.setTimestamp(3, Timestamp.from(to));
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** A client of the raw report: the aggregate over its own connection, reading every row of the answer. */
    static Load.Client rawClient(Postgres postgres, String account, Instant from, Instant to) {
        try {
            Connection connection = postgres.connect();
            var query = connection.prepareStatement(USAGE_BY_DAY);
            return new Load.Client() {
                @Override
                public boolean cycle(Load.Tally tally) throws SQLException {
                    long started = System.nanoTime();
                    query.setString(1, account);
                    query.setTimestamp(2, Timestamp.from(from));
                    query.setTimestamp(3, Timestamp.from(to));
                    try (var rows = query.executeQuery()) {
                        while (rows.next()) {
                            rows.getLong(7);
                        }
                    }
                    tally.query(System.nanoTime() - started);
                    tally.completed();
                    return true;
                }

                @Override
                public void close() throws SQLException {
                    connection.close();
                }
            };
        } catch (SQLException e) {
            throw new IllegalStateException("No connection for the raw report", e);
        }
    }
}
