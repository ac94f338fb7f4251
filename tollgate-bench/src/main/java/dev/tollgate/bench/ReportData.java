package dev.tollgate.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The usage history of the report scenario, written straight into usage_record with one INSERT ... SELECT
 * over generate_series (whose trigger fills the usage_hourly rollup), and the bare report query that is
 * the report's floor.
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
            SELECT ? || g,
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
              FROM generate_series(?, ?) AS g
             CROSS JOIN LATERAL (SELECT ?::timestamptz - ((g * 7919) % ?) * interval '1 second' AS at) AS t
            """;

    private static final String DAYS = """
            SELECT count(DISTINCT date_trunc('day', created_at AT TIME ZONE 'UTC'))
              FROM usage_record
             WHERE account_id = ? AND created_at >= ? AND created_at < ?
            """;

    /**
     * Reports.usageTotals by day (report/usage-totals.sql), as the server runs it: whole UTC hours from the
     * usage_hourly rollup, the partial hours at the window's ends from the records. Parameters: account,
     * fromHour, toHour (the first and last whole hour of the window), account, from, fromHour, account, toHour,
     * to.
     */
    private static final String USAGE_BY_DAY = """
            WITH parts AS (
                SELECT hour AS at, provider, model, requests, input_tokens, output_tokens, cached_input_tokens,
                       total_tokens, cost_micros
                  FROM usage_hourly
                 WHERE account_id = ? AND hour >= ? AND hour < ?
                 UNION ALL
                SELECT created_at, provider, model, 1, input_tokens, output_tokens, cached_input_tokens,
                       total_tokens, cost_micros
                  FROM usage_record
                 WHERE account_id = ? AND created_at >= ? AND created_at < ?
                 UNION ALL
                SELECT created_at, provider, model, 1, input_tokens, output_tokens, cached_input_tokens,
                       total_tokens, cost_micros
                  FROM usage_record
                 WHERE account_id = ? AND created_at >= ? AND created_at < ?
            )
            SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS key, sum(requests), sum(input_tokens),
                   sum(output_tokens), sum(cached_input_tokens), sum(total_tokens), sum(cost_micros)
              FROM parts
             GROUP BY 1
             ORDER BY 1
            """;

    private ReportData() {}

    /**
     * One usage entry of the tokens meter per usage record of {@code idPrefix}, at the record's time and in time
     * order (so that ids grow with time, as the engine writes them), then the accounts' tokens_used moved by
     * as much: the ledger agrees with the records and reconciliation stays empty.
     */
    private static final String LEDGER = """
            INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, reference, actor, created_at)
            SELECT account_id, 'tokens', 'usage', total_tokens, total_tokens, id, 'bench-history', created_at
              FROM usage_record
             WHERE starts_with(id, ?)
             ORDER BY created_at
            """;

    private static final String METERS = """
            UPDATE budget b SET tokens_used = b.tokens_used + h.tokens
              FROM (SELECT account_id, sum(amount) AS tokens FROM ledger_entry
                     WHERE actor = 'bench-history' GROUP BY account_id) h
             WHERE b.account_id = h.account_id
            """;

    /**
     * The month partitions of usage_record and ledger_entry for every month from {@code ?} to {@code ?}, made by
     * the server's own function (V41): a server that has run for months has them, where a history back-dated
     * into months without one would land in the DEFAULT partition, which no query can prune.
     */
    private static final String PARTITIONS = """
            SELECT history_partition_create(t.name, CAST(m AS date))
              FROM generate_series(date_trunc('month', ?::timestamptz AT TIME ZONE 'UTC'),
                                   date_trunc('month', ?::timestamptz AT TIME ZONE 'UTC'), interval '1 month') AS m
             CROSS JOIN (VALUES ('usage_record'), ('ledger_entry')) AS t (name)
            """;

    /** Rows per INSERT of a load: one statement's sort and WAL stay bounded. */
    private static final long BATCH_ROWS = 1_000_000;

    /** Writes {@code rows} usage records and returns how many belong to the heavy account. */
    static long load(Postgres postgres, long rows, String heavyAccount, int heavyEvery, String otherPrefix,
            int otherAccounts, Instant now, Duration history) throws SQLException {
        return load(postgres, "use_bench_", rows, heavyAccount, heavyEvery, otherPrefix, otherAccounts, now, history,
                false);
    }

    /**
     * Writes {@code rows} usage records with ids beginning {@code idPrefix}, in batches of a million, and with
     * {@code withLedger} a usage entry for each; returns how many rows belong to the heavy account.
     */
    static long load(Postgres postgres, String idPrefix, long rows, String heavyAccount, int heavyEvery,
            String otherPrefix, int otherAccounts, Instant now, Duration history, boolean withLedger)
            throws SQLException {
        try (Connection connection = postgres.connect()) {
            try (var partitions = connection.prepareStatement(PARTITIONS)) {
                partitions.setTimestamp(1, Timestamp.from(now.minus(history)));
                partitions.setTimestamp(2, Timestamp.from(now));
                partitions.executeQuery().close();
            }
            for (long first = 1; first <= rows; first += BATCH_ROWS) {
                long last = Math.min(rows, first + BATCH_ROWS - 1);
                try (var insert = connection.prepareStatement(LOAD)) {
                    insert.setString(1, idPrefix);
                    insert.setInt(2, heavyEvery);
                    insert.setString(3, heavyAccount);
                    insert.setString(4, otherPrefix);
                    insert.setInt(5, otherAccounts);
                    insert.setLong(6, first);
                    insert.setLong(7, last);
                    insert.setTimestamp(8, Timestamp.from(now));
                    insert.setLong(9, history.toSeconds());
                    insert.executeUpdate();
                }
            }
            if (withLedger) {
                try (var insert = connection.prepareStatement(LEDGER)) {
                    insert.setString(1, idPrefix);
                    insert.executeUpdate();
                }
                try (var statement = connection.createStatement()) {
                    statement.executeUpdate(METERS);
                }
            }
            try (var statement = connection.createStatement()) {
                statement.execute("ANALYZE usage_record");
                // Filled by V8's trigger during the INSERT above.
                statement.execute("ANALYZE usage_hourly");
                if (withLedger) {
                    statement.execute("ANALYZE ledger_entry");
                }
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

    /**
     * The parameters of {@link #USAGE_BY_DAY}: the window's whole hours [fromHour, toHour) as
     * Reports.usageTotals computes them (none when the window holds no whole hour), and its ends.
     */
    private static Object[] parameters(String account, Instant from, Instant to) {
        Instant fromHour = from.plus(Duration.ofHours(1)).minusNanos(1).truncatedTo(ChronoUnit.HOURS);
        Instant toHour = to.truncatedTo(ChronoUnit.HOURS);
        return fromHour.isBefore(toHour)
                ? new Object[] {account, fromHour, toHour, account, from, fromHour, account, toHour, to}
                : new Object[] {account, to, to, account, from, to, account, to, to};
    }

    /** A client of the raw report: the aggregate over its own connection, reading every row of the answer. */
    static Load.Client rawClient(Postgres postgres, String account, Instant from, Instant to) {
        try {
            Connection connection = postgres.connect();
            var query = connection.prepareStatement(USAGE_BY_DAY);
            Object[] parameters = parameters(account, from, to);
            return new Load.Client() {
                @Override
                public boolean cycle(Load.Tally tally) throws SQLException {
                    long started = System.nanoTime();
                    for (int i = 0; i < parameters.length; i++) {
                        if (parameters[i] instanceof Instant at) {
                            query.setTimestamp(i + 1, Timestamp.from(at));
                        } else {
                            query.setString(i + 1, (String) parameters[i]);
                        }
                    }
                    try (var rows = query.executeQuery()) {
                        while (rows.next()) {
                            rows.getLong(7);
                        }
                    }
                    tally.query(started, System.nanoTime() - started);
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
