package dev.tollgate.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the console scenario's pages read, at the size of a real operation: accounts (created through the
 * API, so each has its subscription, budget, signup grant and event) spread over every plan and status, and
 * then, written straight into the tables with INSERT ... SELECT over generate_series, usage records over
 * this month and the previous one, the ledger entries of this month's usage, denials over the last 24 hours
 * and the month before, usage events, pending reservations, an account's conversations and failed webhook
 * deliveries. Every meter is moved in the same statement as the entries that explain it, so the ledger
 * still reconciles.
 */
final class ConsoleData {

    static final String PREFIX = "bench-console-";
    /** The account the scenario opens: on the business plan, active, with a share of every kind of row. */
    static final int HEAVY = 7;
    /** One usage record in this many is the heavy account's: 20,000 of a million. */
    static final int HEAVY_EVERY = 50;
    static final List<String> PLANS = List.of("trial", "free", "credits", "payg", "starter", "lite", "pro", "business");
    static final List<String> DOMAINS = List.of("example.com", "acme.io", "mail.test", "corp.example");
    static final int DENIALS = 25_000;
    /** One denial in this many is in the last 24 hours, the others over the 37 days before. */
    static final int DENIALS_RECENT_EVERY = 5;
    static final int PENDING_RESERVATIONS = 2_000;
    static final int PENDING_OF_HEAVY = 30;
    static final int CREDIT_ENTRIES_OF_HEAVY = 500;
    static final int CONVERSATIONS_OF_HEAVY = 40;
    static final int FAILED_DELIVERIES = 15;

    /** The account index of an id: the digits after {@link #PREFIX}. */
    private static final String INDEX = "substring(account_id, " + (PREFIX.length() + 1) + ")::int";

    /** Periods start at the month's start, so that this month's usage is this period's; statuses spread. */
    private static final String PERIODS_AND_STATUSES = """
            WITH moved AS (
                UPDATE subscription
                   SET period_start = ?,
                       status = CASE WHEN plan_code = 'trial' THEN status
                                     WHEN %1$s %% 10 = 3 THEN 'past_due'
                                     WHEN %1$s %% 10 = 5 THEN 'canceled'
                                     WHEN %1$s %% 10 = 9 THEN 'expired'
                                     ELSE status END
                 WHERE account_id LIKE '%2$s%%'
                RETURNING account_id
            )
            UPDATE budget b SET period_start = ? FROM moved WHERE b.account_id = moved.account_id
            """.formatted(INDEX, PREFIX);

    /** Row g is the heavy account's when g is a multiple of HEAVY_EVERY; times spread by a multiplicative hash. */
    private static final String USAGE = """
            INSERT INTO usage_record (id, account_id, provider, model, input_tokens, output_tokens,
                                      cached_input_tokens, total_tokens, cost_micros, priced, byok, billing_period,
                                      created_at)
            SELECT 'use_bench_console_' || g,
                   '%1$s' || lpad((CASE WHEN g %% %2$d = 0 THEN %3$d ELSE g %% ? END)::text, 6, '0'),
                   (ARRAY['openai', 'openai', 'openai', 'anthropic', 'anthropic', 'openai'])[1 + g %% 6],
                   (ARRAY['gpt-4o', 'gpt-4o-mini', 'o3', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'gpt-4.1'])[1 + g %% 6],
                   100 + g %% 900, 50 + g %% 450, 0, (100 + g %% 900) + (50 + g %% 450), g %% 5000, true, false,
                   to_char(t.at AT TIME ZONE 'UTC', 'YYYY-MM'), t.at
              FROM generate_series(1, ?) AS g
             CROSS JOIN LATERAL (SELECT ?::timestamptz - ((g::bigint * 7919) %% ?) * interval '1 second' AS at) AS t
            """.formatted(PREFIX, HEAVY_EVERY, HEAVY);

    /** A usage entry on the tokens meter for each of this month's records, and the meter moved by their sum. */
    private static final String USAGE_ENTRIES = """
            WITH entries AS (
                INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, description, reference, actor,
                                          metadata, created_at)
                SELECT u.account_id, 'tokens', 'usage', u.total_tokens,
                       b.tokens_used + sum(u.total_tokens) OVER (PARTITION BY u.account_id ORDER BY u.created_at, u.id),
                       u.model, NULL, 'bench', jsonb_build_object('usage_record_id', u.id), u.created_at
                  FROM usage_record u
                  JOIN budget b ON b.account_id = u.account_id
                 WHERE u.account_id LIKE '%1$s%%' AND u.created_at >= ?
                 ORDER BY u.account_id, u.created_at, u.id
                RETURNING account_id, amount
            )
            UPDATE budget b SET tokens_used = b.tokens_used + e.amount
              FROM (SELECT account_id, sum(amount) AS amount FROM entries GROUP BY account_id) e
             WHERE b.account_id = e.account_id
            """.formatted(PREFIX);

    private static final String HEAVY_ID = PREFIX + "%06d".formatted(HEAVY);

    private static final String CREDIT_ENTRIES = """
            WITH base AS (SELECT credits FROM budget WHERE account_id = '%1$s'),
            entries AS (
                INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, description, reference, actor,
                                          metadata, created_at)
                SELECT '%1$s', 'credits', 'add', 1, base.credits + g, 'bench adjustment ' || g, NULL, 'bench', '{}',
                       ?::timestamptz + (?::timestamptz - ?::timestamptz) * g / (? + 1)
                  FROM generate_series(1, ?) AS g, base
                RETURNING amount
            )
            UPDATE budget SET credits = credits + (SELECT sum(amount) FROM entries) WHERE account_id = '%1$s'
            """.formatted(HEAVY_ID);

    private static final String DENIAL_EVENTS = """
            INSERT INTO event (account_id, type, data, created_at)
            SELECT '%1$s' || lpad((g * 37 %% ?)::text, 6, '0'), 'limit_enforced',
                   jsonb_build_object('code', (ARRAY['limit_exceeded', 'insufficient_tokens', 'insufficient_tokens',
                                                     'trial_expired', 'subscription_inactive',
                                                     'conversation_limit_reached', 'insufficient_credits',
                                                     'insufficient_balance'])[1 + g %% 8],
                                      'provider', 'openai', 'model', 'gpt-4o-mini', 'tokens', 2000),
                   ?::timestamptz - ((g::bigint * 7919) %% (CASE WHEN g %% %2$d = 0 THEN 86400 ELSE 86400 * 37 END))
                                    * interval '1 second'
              FROM generate_series(1, ?) AS g
            """.formatted(PREFIX, DENIALS_RECENT_EVERY);

    private static final String USAGE_EVENTS = """
            INSERT INTO event (account_id, type, data, created_at)
            SELECT account_id, 'usage.committed', jsonb_build_object('usage_record_id', id, 'provider', provider,
                   'model', model, 'total_tokens', total_tokens, 'input_tokens', input_tokens,
                   'output_tokens', output_tokens), created_at
              FROM usage_record
             WHERE account_id LIKE '%1$s%%' AND created_at >= ?
             ORDER BY created_at
            """.formatted(PREFIX);

    /** The first PENDING_OF_HEAVY are the heavy account's, the others one in every 50 accounts; meters moved. */
    private static final String PENDING = """
            WITH r AS (
                INSERT INTO reservation (id, account_id, status, provider, model, byok, tokens, conversations, credits,
                                         amount_micros, input_tokens_estimated, max_output_tokens, period_start,
                                         created_at, expires_at)
                SELECT 'rsv_bench_console_' || g, b.account_id, 'pending', 'openai', 'gpt-4o-mini', false, 1000, 0, 0, 0,
                       400, 600, b.period_start, ?::timestamptz - g * interval '1 second', ?::timestamptz
                  FROM generate_series(1, ?) AS g
                  JOIN budget b ON b.account_id = '%1$s'
                           || lpad((CASE WHEN g <= %2$d THEN %3$d ELSE (g * 50 + 1) %% ? END)::text, 6, '0')
                RETURNING account_id, tokens
            )
            UPDATE budget b SET tokens_reserved = b.tokens_reserved + r.tokens
              FROM (SELECT account_id, sum(tokens) AS tokens FROM r GROUP BY account_id) r
             WHERE b.account_id = r.account_id
            """.formatted(PREFIX, PENDING_OF_HEAVY, HEAVY);

    private static final String CONVERSATIONS = """
            WITH c AS (
                INSERT INTO conversation (account_id, period_start, conversation_id, created_at, committed)
                SELECT b.account_id, b.period_start, 'conversation-' || g,
                       b.period_start + (?::timestamptz - b.period_start) * g / (? + 1), true
                  FROM generate_series(1, ?) AS g, budget b
                 WHERE b.account_id = '%1$s'
                RETURNING account_id, created_at
            ),
            base AS (SELECT conversations_used FROM budget WHERE account_id = '%1$s'),
            e AS (
                INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, description, reference, actor,
                                          metadata, created_at)
                SELECT c.account_id, 'conversations', 'usage', 1,
                       base.conversations_used + row_number() OVER (ORDER BY c.created_at), 'Conversation', NULL,
                       'bench', '{}', c.created_at
                  FROM c, base
                RETURNING amount
            )
            UPDATE budget SET conversations_used = conversations_used + (SELECT sum(amount) FROM e)
             WHERE account_id = '%1$s'
            """.formatted(HEAVY_ID);

    /**
     * An endpoint whose receiver went away, written here because the API refuses a receiver on this machine's
     * loopback (the bench has no public one), and its deliveries of the newest denials, given up after their
     * retries as a dead receiver leaves them.
     */
    private static final String ENDPOINT = """
            INSERT INTO webhook_endpoint (id, url, description, secret, created_at)
            VALUES (?, 'https://receiver.bench.invalid/tollgate', 'bench console', 'whsec_bench_console', ?)
            """;

    static final String ENDPOINT_ID = "whe_bench_console";

    private static final String FAILED = """
            INSERT INTO webhook_delivery (endpoint_id, event_id, event_created_at, account_id, status, attempts,
                                          next_attempt_at, last_attempt_at, last_http_status, last_error,
                                          completed_at, created_at)
            SELECT ?, id, created_at, account_id, 'failed', 8, created_at, ?::timestamptz, 503,
                   'HTTP 503 from the receiver', ?::timestamptz, created_at
              FROM event
             WHERE type = 'limit_enforced' AND account_id LIKE '%1$s%%'
             ORDER BY id DESC
             LIMIT ?
            """.formatted(PREFIX);

    private ConsoleData() {}

    static String id(int index) {
        return PREFIX + "%06d".formatted(index);
    }

    /** The accounts as the batch API takes them: ids in order, plans and email domains in turn. */
    static List<Map<String, Object>> accounts(int count) {
        var accounts = new ArrayList<Map<String, Object>>(count);
        for (int i = 0; i < count; i++) {
            var account = new LinkedHashMap<String, Object>();
            account.put("id", id(i));
            account.put("plan", PLANS.get(i % PLANS.size()));
            account.put("email", "user%06d@%s".formatted(i, DOMAINS.get(i / PLANS.size() % DOMAINS.size())));
            accounts.add(account);
        }
        return accounts;
    }

    /** A part of the emails matching about a tenth of the accounts: user01 of 100,000, user0002 of 2,000. */
    static String searchText(int accounts) {
        int tenth = Math.max(1, accounts / 10);
        int digits = (int) Math.floor(Math.log10(tenth));
        return "user" + "%06d".formatted(tenth).substring(0, 6 - digits);
    }

    /** Writes the history of the accounts (created before through the API) and vacuums what it wrote. */
    static void load(Postgres postgres, int accounts, long records, Instant now) throws SQLException {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        var monthStart = Timestamp.from(today.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        var previousMonthStart = Timestamp.from(today.withDayOfMonth(1).minusMonths(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant());
        var at = Timestamp.from(now);
        long historySeconds = (now.toEpochMilli() - previousMonthStart.getTime()) / 1000;
        try (Connection connection = postgres.connect()) {
            run(connection, PERIODS_AND_STATUSES, monthStart, monthStart);
            run(connection, USAGE, accounts, records, at, historySeconds);
            run(connection, USAGE_ENTRIES, monthStart);
            run(connection, CREDIT_ENTRIES, monthStart, at, monthStart, CREDIT_ENTRIES_OF_HEAVY, CREDIT_ENTRIES_OF_HEAVY);
            run(connection, DENIAL_EVENTS, accounts, at, DENIALS);
            run(connection, USAGE_EVENTS, monthStart);
            run(connection, PENDING, at, Timestamp.from(now.plusSeconds(6 * 3600)), PENDING_RESERVATIONS, accounts);
            run(connection, CONVERSATIONS, at, CONVERSATIONS_OF_HEAVY, CONVERSATIONS_OF_HEAVY);
            try (var statement = connection.createStatement()) {
                // As autovacuum would have left a database that grew to this size: statistics and visibility maps.
                statement.execute("VACUUM ANALYZE");
            }
        }
    }

    /** Writes the dead receiver's endpoint and its failed deliveries; returns the endpoint's id. */
    static String failedDeliveries(Postgres postgres, Instant now) throws SQLException {
        try (Connection connection = postgres.connect()) {
            run(connection, ENDPOINT, ENDPOINT_ID, Timestamp.from(now));
            run(connection, FAILED, ENDPOINT_ID, Timestamp.from(now), Timestamp.from(now), FAILED_DELIVERIES);
        }
        return ENDPOINT_ID;
    }

    private static void run(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
