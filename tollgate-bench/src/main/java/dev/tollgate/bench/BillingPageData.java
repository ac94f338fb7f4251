package dev.tollgate.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * The billing-page account's history: its period moved back so that it holds days of usage, and that
 * usage written straight into usage_record (not a meter: the ledger still reconciles).
 */
final class BillingPageData {

    private static final String MOVE_PERIOD_BACK = """
            WITH subscription_moved AS (
                UPDATE subscription SET period_start = period_start - ?::interval WHERE account_id = ?
            )
            UPDATE budget SET period_start = period_start - ?::interval WHERE account_id = ?
            """;

    private static final String USAGE = """
            INSERT INTO usage_record (id, account_id, provider, model, input_tokens, output_tokens,
                                      cached_input_tokens, total_tokens, cost_micros, priced, byok, billing_period,
                                      created_at)
            SELECT 'use_bench_page_' || g, ?, 'openai', (ARRAY['gpt-4o', 'gpt-4o-mini', 'o3'])[1 + g % 3],
                   100 + g % 900, 50 + g % 450, 0, (100 + g % 900) + (50 + g % 450), g % 5000, true, false,
                   to_char(t.at AT TIME ZONE 'UTC', 'YYYY-MM'), t.at
              FROM generate_series(1, ?) AS g
             CROSS JOIN LATERAL (SELECT ?::timestamptz - ((g * 7919) % ?) * interval '1 second' AS at) AS t
            """;

    private BillingPageData() {}

    static void load(Postgres postgres, String account, Duration history, long usageRecords, Instant now)
            throws SQLException {
        String interval = history.toSeconds() + " seconds";
        try (Connection connection = postgres.connect()) {
            try (var move = connection.prepareStatement(MOVE_PERIOD_BACK)) {
                move.setString(1, interval);
                move.setString(2, account);
                move.setString(3, interval);
                move.setString(4, account);
                move.executeUpdate();
            }
            try (var insert = connection.prepareStatement(USAGE)) {
                insert.setString(1, account);
                insert.setLong(2, usageRecords);
                insert.setTimestamp(3, Timestamp.from(now));
                insert.setLong(4, history.toSeconds());
                insert.executeUpdate();
            }
            try (var statement = connection.createStatement()) {
                statement.execute("ANALYZE usage_record");
                statement.execute("ANALYZE usage_hourly");
            }
        }
    }
}
