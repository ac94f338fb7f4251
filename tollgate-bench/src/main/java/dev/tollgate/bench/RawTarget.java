package dev.tollgate.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/**
 * The raw baseline: the statements Tollgate runs for a reserve and for a commit, in the same transactions
 * and in the same order, issued over one plain JDBC connection per client, and nothing else: no HTTP, no
 * JSON mapping, no framework. What is left is PostgreSQL's own cost of a cycle, the floor that Tollgate's
 * figures are compared with.
 *
 * <p>The SQL is copied verbatim from tollgate-server (Idempotency, LedgerStore, PlanStore, EventStore) as
 * of the commit this file was last aligned with; when those statements change, change them here too, or
 * the baseline stops being the floor of the same work.
 */
final class RawTarget implements CycleTarget {

    private static final Duration RESERVATION_TTL = Duration.ofMinutes(15);
    private static final DateTimeFormatter BILLING_MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);
    private static final String SCOPE = "bench-raw";
    private static final String ACTOR = "key_bench_raw";
    /** The request fingerprint Idempotency stores: a SHA-256 in hex (computing it is the server's work). */
    private static final String REQUEST_HASH = "0".repeat(64);
    /** A stored response as long as Tollgate's reservation and usage responses (about 600 bytes). */
    private static final String RESPONSE_PADDING = "x".repeat(540);
    /** The price of the bench's model, per million tokens, as the catalog holds it. */
    private static final long INPUT_MICROS_PER_MILLION = 150_000;
    private static final long OUTPUT_MICROS_PER_MILLION = 600_000;

    // ---- Idempotency ----------------------------------------------------------------------------------

    private static final NamedSql STORE_KEY_AND_RESPONSE = NamedSql.parse("""
            INSERT INTO idempotency_record (scope, idempotency_key, request_hash, response_status,
                                            response_type, response_body, created_at)
            VALUES (:scope, :key, :hash, :status, :type, :body, :now)
            ON CONFLICT (scope, idempotency_key) DO NOTHING
            """);

    // ---- LedgerStore.tryReserve -----------------------------------------------------------------------

    private static final NamedSql RESERVE = NamedSql.parse("""
            WITH need AS (
                SELECT s.account_id, s.period_start, s.period_end, s.status, s.trial_ends_at,
                       p.code AS plan_code, p.trial_days > 0 AS plan_is_trial,
                       COALESCE(s.tokens_per_period_override, p.tokens_per_period) AS tokens_limit,
                       p.conversations_per_period AS conversations_limit,
                       CASE WHEN :byok THEN 0 ELSE CAST(:tokens AS bigint) END AS tokens,
                       CASE WHEN p.conversations_per_period IS NULL OR :byok THEN 0
                            WHEN CAST(:conversationId AS text) IS NULL THEN 1
                            WHEN EXISTS (SELECT 1 FROM conversation c
                                          WHERE c.account_id = s.account_id AND c.period_start = s.period_start
                                            AND c.conversation_id = CAST(:conversationId AS text)) THEN 0
                            ELSE 1 END AS conversations,
                       CASE WHEN :byok THEN 0 ELSE p.credits_per_request END AS credits,
                       CASE WHEN p.charges_balance AND NOT :byok THEN CAST(:amount AS bigint) ELSE 0 END AS amount
                  FROM subscription s
                  JOIN plan p ON p.code = s.plan_code
                 WHERE s.account_id = :accountId
            ),
            approved AS (
                UPDATE budget b
                   SET tokens_reserved = b.tokens_reserved + n.tokens,
                       conversations_reserved = b.conversations_reserved + n.conversations,
                       credits_reserved = b.credits_reserved + n.credits,
                       balance_reserved_micros = b.balance_reserved_micros + n.amount,
                       updated_at = :now
                  FROM need n
                 WHERE b.account_id = n.account_id
                   AND admission_refusal(n.status, n.trial_ends_at, n.plan_is_trial, n.period_end,
                           b.period_start = n.period_start, :now,
                           b.tokens_used, b.tokens_reserved, n.tokens_limit, n.tokens,
                           b.conversations_used, b.conversations_reserved, n.conversations_limit, n.conversations,
                           b.credits, b.credits_reserved, n.credits,
                           b.balance_micros, b.balance_reserved_micros, n.amount) IS NULL
                   AND (n.conversations_limit IS NULL OR CAST(:conversationId AS text) IS NULL OR :byok
                        OR :budgetLocked)
                RETURNING b.tokens_used, b.tokens_reserved, b.conversations_used, b.conversations_reserved,
                          b.credits, b.credits_reserved, b.balance_micros, b.balance_reserved_micros,
                          n.tokens_limit, n.conversations_limit, n.tokens AS tokens_needed,
                          n.conversations AS conversations_needed, n.credits AS credits_needed,
                          n.amount AS amount_needed, n.period_start, n.period_end, n.plan_code, n.status
            ),
            inserted AS (
                INSERT INTO reservation (id, account_id, status, provider, model, byok, tokens, conversations,
                                         credits, amount_micros, input_tokens_estimated, max_output_tokens,
                                         job_type, job_id, conversation_id, metadata, period_start, created_at,
                                         expires_at)
                SELECT :id, :accountId, 'pending', :provider, :model, :byok, tokens_needed, conversations_needed,
                       credits_needed, amount_needed, :inputTokens, :maxOutputTokens, :jobType, :jobId,
                       CAST(:conversationId AS text), CAST(:metadata AS jsonb), period_start, :now, :expiresAt
                  FROM approved
            ),
            slot AS (
                INSERT INTO conversation (account_id, period_start, conversation_id, reservation_id, created_at,
                                          open_reservations, committed)
                SELECT :accountId, period_start, CAST(:conversationId AS text), :id, :now, 1, false
                  FROM approved
                 WHERE conversations_limit IS NOT NULL AND CAST(:conversationId AS text) IS NOT NULL AND NOT :byok
                    ON CONFLICT (account_id, period_start, conversation_id)
                    DO UPDATE SET open_reservations = conversation.open_reservations + 1
            ),
            approved_event AS (
                INSERT INTO event (account_id, type, data, created_at)
                SELECT :accountId, 'reservation.approved',
                       jsonb_build_object('reservation_id', CAST(:id AS text), 'provider', CAST(:provider AS text),
                                          'model', CAST(:model AS text), 'byok', CAST(:byok AS boolean),
                                          'tokens', tokens_needed, 'conversations', conversations_needed,
                                          'credits', credits_needed,
                                          'amount_usd', CASE WHEN amount_needed = 0 THEN '0.000000'
                                                             ELSE CAST(:amountUsd AS text) END,
                                          'job_id', CAST(:jobId AS text),
                                          'expires_at', CAST(:expiresAtText AS text)),
                       :now
                  FROM approved
            )
            SELECT true AS approved, NULL AS refusal,
                   tokens_used, tokens_reserved, conversations_used, conversations_reserved, credits,
                   credits_reserved, balance_micros, balance_reserved_micros, tokens_limit, conversations_limit,
                   tokens_needed, conversations_needed, credits_needed, amount_needed, period_start, period_end,
                   plan_code, status
              FROM approved
            UNION ALL
            SELECT false,
                   admission_refusal(n.status, n.trial_ends_at, n.plan_is_trial, n.period_end,
                           b.period_start = n.period_start, :now,
                           b.tokens_used, b.tokens_reserved, n.tokens_limit, n.tokens,
                           b.conversations_used, b.conversations_reserved, n.conversations_limit, n.conversations,
                           b.credits, b.credits_reserved, n.credits,
                           b.balance_micros, b.balance_reserved_micros, n.amount),
                   b.tokens_used, b.tokens_reserved, b.conversations_used, b.conversations_reserved, b.credits,
                   b.credits_reserved, b.balance_micros, b.balance_reserved_micros, n.tokens_limit,
                   n.conversations_limit, n.tokens, n.conversations, n.credits, n.amount, n.period_start,
                   n.period_end, n.plan_code, n.status
              FROM need n
              JOIN budget b ON b.account_id = n.account_id
             WHERE NOT EXISTS (SELECT 1 FROM approved)
            """);

    // ---- EventStore.insert ----------------------------------------------------------------------------

    private static final NamedSql INSERT_EVENT = NamedSql.parse("""
            INSERT INTO event (account_id, type, data, created_at)
            VALUES (:accountId, :type, CAST(:data AS jsonb), :at)
            RETURNING id
            """);

    // ---- LedgerStore.reservationForSettlement: the commit's reads, the reservation and budget locked --

    private static final NamedSql LOCK_FOR_SETTLEMENT = NamedSql.parse("""
            WITH r AS (
                SELECT id, account_id, status, provider, model, byok, tokens, conversations, credits, amount_micros,
                       input_tokens_estimated, max_output_tokens, job_type, job_id, conversation_id, metadata,
                       period_start, created_at, expires_at, resolved_at, usage_record_id
                  FROM reservation WHERE id = :id FOR UPDATE
            ),
            s AS (
                SELECT account_id, plan_code, status, started_at, trial_ends_at, period_start, period_end,
                       tokens_per_period_override, stripe_customer_id, stripe_subscription_id
                  FROM subscription
                 WHERE account_id = (SELECT account_id FROM r)
                   AND (SELECT status FROM r) IN ('pending', 'expired')
                   AND NOT (status IN ('trialing', 'active')
                   AND (period_end <= :now OR (status = 'trialing' AND COALESCE(trial_ends_at <= :now, false))))
            ),
            b AS (
                SELECT account_id, period_start, tokens_used, tokens_reserved, conversations_used, conversations_reserved,
                       credits, credits_reserved, balance_micros, balance_reserved_micros
                  FROM budget WHERE account_id = (SELECT account_id FROM s) FOR UPDATE
            )
            SELECT r.*, s.account_id AS s_account_id, s.plan_code AS s_plan_code, s.status AS s_status,
                   s.started_at AS s_started_at, s.trial_ends_at AS s_trial_ends_at, s.period_start AS s_period_start,
                   s.period_end AS s_period_end, s.tokens_per_period_override AS s_tokens_per_period_override,
                   s.stripe_customer_id AS s_stripe_customer_id, s.stripe_subscription_id AS s_stripe_subscription_id,
                   b.account_id AS b_account_id, b.period_start AS b_period_start, b.tokens_used AS b_tokens_used,
                   b.tokens_reserved AS b_tokens_reserved, b.conversations_used AS b_conversations_used,
                   b.conversations_reserved AS b_conversations_reserved, b.credits AS b_credits,
                   b.credits_reserved AS b_credits_reserved, b.balance_micros AS b_balance_micros,
                   b.balance_reserved_micros AS b_balance_reserved_micros
              FROM r LEFT JOIN s ON true LEFT JOIN b ON true
            """);

    // ---- LedgerStore.settle: one statement posts budget, entries, usage record, event and resolution --

    private static final NamedSql SETTLE = NamedSql.parse("""
WITH budget_after AS (            UPDATE budget
               SET period_start = :periodStart, tokens_used = :tokensUsed,
                   tokens_reserved = :tokensReserved, conversations_used = :conversationsUsed,
                   conversations_reserved = :conversationsReserved, credits = :credits,
                   credits_reserved = :creditsReserved, balance_micros = :balance,
                   balance_reserved_micros = :balanceReserved, updated_at = :now
             WHERE account_id = :budgetAccountId
            ), entries AS (            INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, description,
                                      reference, actor, metadata, created_at)
            SELECT a, m, t, amt, bal, d, r, act, CAST(md AS jsonb), :now
              FROM unnest(CAST(:accounts AS text[]), CAST(:meters AS text[]), CAST(:types AS text[]),
                          CAST(:amounts AS bigint[]), CAST(:balances AS bigint[]),
                          CAST(:descriptions AS text[]), CAST(:references AS text[]),
                          CAST(:actors AS text[]), CAST(:metadata AS text[]))
                   WITH ORDINALITY AS e(a, m, t, amt, bal, d, r, act, md, position)
             ORDER BY position
            ), usage AS (INSERT INTO usage_record (            id, account_id, reservation_id, provider, model, input_tokens, output_tokens, cached_input_tokens,
            total_tokens, cost_micros, priced, byok, overage_tokens, job_type, job_id, conversation_id, duration_ms,
            metadata, billing_period, created_at) VALUES             (:usageId, :usageAccountId, :reservationId, :provider, :model, :input, :output, :cached, :total,
             :cost, :priced, :byok, :overage, :jobType, :jobId, :conversationId, :durationMs,
             CAST(:usageMetadata AS jsonb), :billingPeriod, :createdAt)
            ), committed AS (INSERT INTO event (account_id, type, data, created_at) VALUES (:usageAccountId, :committedType, CAST(:committedEvent AS jsonb), :now)
            ), resolved AS (            UPDATE reservation SET status = :status, resolved_at = :at, usage_record_id = :usageRecordId
             WHERE id = :id AND account_id = :reservationAccountId
            ) SELECT 1""");





    private final Connection connection;
    private final String provider;
    private final String model;
    private final String idPrefix;
    private final Map<NamedSql, PreparedStatement> statements = new HashMap<>();
    private long nextId;

    RawTarget(Connection connection, String provider, String model, String idPrefix) throws SQLException {
        this.connection = connection;
        this.provider = provider;
        this.model = model;
        this.idPrefix = idPrefix;
        connection.setAutoCommit(false);
    }

    @Override
    public Outcome reserve(Request request, String idempotencyKey) throws SQLException {
        Instant now = Instant.now();
        String id = "rsv_" + idPrefix + "_" + nextId++;
        long estimatedCost = cost(request.inputTokens(), request.maxOutputTokens());
        try {
            var values = new HashMap<String, Object>();
            values.put("id", id);
            values.put("accountId", request.accountId());
            values.put("provider", provider);
            values.put("model", model);
            values.put("byok", false);
            values.put("tokens", request.tokens());
            values.put("conversationId", null);
            values.put("budgetLocked", false);
            values.put("amount", estimatedCost);
            values.put("inputTokens", request.inputTokens());
            values.put("maxOutputTokens", request.maxOutputTokens());
            values.put("jobType", null);
            values.put("jobId", null);
            values.put("metadata", "{}");
            values.put("now", Timestamp.from(now));
            values.put("expiresAt", Timestamp.from(now.plus(RESERVATION_TTL)));
            values.put("expiresAtText", now.plus(RESERVATION_TTL).toString());
            values.put("amountUsd", java.math.BigDecimal.valueOf(estimatedCost, 6).toPlainString());
            boolean approved;
            try (ResultSet rows = run(RESERVE, values).executeQuery()) {
                approved = rows.next() && rows.getBoolean("approved");
            }
            // The approval's event is written by the reserve statement itself; only a denial writes one.
            if (!approved) {
                event(request.accountId(), "limit_enforced", """
                        {"code": "limit_exceeded", "provider": "%s", "model": "%s", "tokens": %d}"""
                        .formatted(provider, model, request.tokens()), now);
            }
            respond(idempotencyKey, approved ? 201 : 402, id, now);
            connection.commit();
            return approved ? new Outcome.Approved(id) : new Outcome.Denied("limit_exceeded");
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    @Override
    public void commit(String reservationId, long inputTokens, long outputTokens, String idempotencyKey)
            throws SQLException {
        Instant now = Instant.now();
        var at = Timestamp.from(now);
        String usageId = "use_" + reservationId.substring("rsv_".length());
        long totalTokens = inputTokens + outputTokens;
        try {
            String accountId;
            long reservedTokens;
            long tokensUsed;
            var budget = new HashMap<String, Object>();
            try (ResultSet rows = run(LOCK_FOR_SETTLEMENT, Map.of("id", reservationId, "now", at)).executeQuery()) {
                if (!rows.next() || !rows.getString("status").equals("pending")
                        || rows.getString("b_account_id") == null) {
                    throw new CycleFailure("reservation " + reservationId + " is not pending on a current plan");
                }
                accountId = rows.getString("account_id");
                reservedTokens = rows.getLong("tokens");
                rows.getString("s_plan_code");
                tokensUsed = rows.getLong("b_tokens_used");
                // Every meter is written back as read, except the two a token commit moves.
                budget.put("accountId", accountId);
                budget.put("periodStart", rows.getTimestamp("b_period_start"));
                budget.put("tokensReserved", rows.getLong("b_tokens_reserved") - reservedTokens);
                budget.put("conversationsUsed", rows.getLong("b_conversations_used"));
                budget.put("conversationsReserved", rows.getLong("b_conversations_reserved"));
                budget.put("credits", rows.getLong("b_credits"));
                budget.put("creditsReserved", rows.getLong("b_credits_reserved"));
                budget.put("balance", rows.getLong("b_balance_micros"));
                budget.put("balanceReserved", rows.getLong("b_balance_reserved_micros"));
            }
            long covered = Math.min(totalTokens, reservedTokens);
            long usedAfter = tokensUsed + totalTokens;
            budget.put("tokensUsed", usedAfter);
            var values = new HashMap<String, Object>();
            values.put("budgetAccountId", accountId);
            budget.forEach((name, value) -> values.put(name.equals("accountId") ? "budgetAccountId" : name, value));
            values.put("now", at);
            String metadata = "{\"usage_record_id\": \"" + usageId + "\"}";
            values.put("accounts", new String[] {accountId});
            values.put("meters", new String[] {"tokens"});
            values.put("types", new String[] {covered == totalTokens ? "usage" : "overage"});
            values.put("amounts", new Long[] {totalTokens});
            values.put("balances", new Long[] {usedAfter});
            values.put("descriptions", new String[] {model});
            values.put("references", new String[] {reservationId});
            values.put("actors", new String[] {ACTOR});
            values.put("metadata", new String[] {metadata});
            values.put("usageId", usageId);
            values.put("usageAccountId", accountId);
            values.put("reservationId", reservationId);
            values.put("provider", provider);
            values.put("model", model);
            values.put("input", inputTokens);
            values.put("output", outputTokens);
            values.put("cached", 0L);
            values.put("total", totalTokens);
            values.put("cost", cost(inputTokens, outputTokens));
            values.put("priced", true);
            values.put("byok", false);
            values.put("overage", totalTokens - covered);
            values.put("jobType", null);
            values.put("jobId", null);
            values.put("conversationId", null);
            values.put("durationMs", null);
            values.put("usageMetadata", "{}");
            values.put("billingPeriod", BILLING_MONTH.format(now));
            values.put("createdAt", at);
            values.put("status", "committed");
            values.put("at", at);
            values.put("usageRecordId", usageId);
            values.put("reservationAccountId", accountId);
            values.put("id", reservationId);
            values.put("committedType", "usage.committed");
            values.put("committedEvent", """
                    {"usage_record_id": "%s", "reservation_id": "%s", "provider": "%s", "model": "%s", \
                    "input_tokens": %d, "output_tokens": %d, "total_tokens": %d, "cost_usd": "0.000000", \
                    "byok": false, "overage_tokens": 0, "job_type": null, "job_id": null, "conversation_id": null, \
                    "tokens_used": %d}""".formatted(usageId, reservationId, provider, model, inputTokens,
                    outputTokens, totalTokens, usedAfter));
            try (ResultSet rows = run(SETTLE, values).executeQuery()) {
                rows.next();
            }
            respond(idempotencyKey, 200, usageId, now);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    private static long cost(long inputTokens, long outputTokens) {
        return Math.ceilDiv(inputTokens * INPUT_MICROS_PER_MILLION + outputTokens * OUTPUT_MICROS_PER_MILLION,
                1_000_000L);
    }

    private void event(String accountId, String type, String data, Instant at) throws SQLException {
        try (ResultSet rows = run(INSERT_EVENT, Map.of("accountId", accountId, "type", type, "data", data, "at",
                Timestamp.from(at))).executeQuery()) {
            rows.next();
        }
    }

    /** The key is written last, with the response, as Idempotency does. */
    private void respond(String idempotencyKey, int status, String id, Instant now) throws SQLException {
        if (idempotencyKey == null) {
            return;
        }
        int stored = run(STORE_KEY_AND_RESPONSE, Map.of("scope", SCOPE, "key", idempotencyKey, "hash", REQUEST_HASH,
                "status", status, "type", "application/json", "body", "{\"id\":\"" + id + "\",\"padding\":\""
                        + RESPONSE_PADDING + "\"}", "now", Timestamp.from(now))).executeUpdate();
        if (stored != 1) {
            throw new CycleFailure("idempotency key " + idempotencyKey + " was already used");
        }
    }

    /** Each statement is prepared once per connection, as pgjdbc's statement cache does for Tollgate. */
    private PreparedStatement run(NamedSql sql, Map<String, ?> values) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = sql.prepare(connection);
            statements.put(sql, statement);
        }
        return sql.bind(statement, values);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
