package dev.tollgate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * <p>Every statement is the server's own {@code .sql} file, put on the bench's classpath by its build, so they
 * cannot drift: the ledger's three (reserve, the commit's locking read, settle), Idempotency's insert and
 * EventStore's.
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

    private static final NamedSql STORE_KEY_AND_RESPONSE =
            NamedSql.parse(serverSql("platform/store-response.sql"));

    // ---- ReservationStore.tryReserve ------------------------------------------------------------------

    private static final NamedSql RESERVE = NamedSql.parse(serverSql("ledger/reserve.sql"));

    // ---- EventStore.insert ----------------------------------------------------------------------------

    private static final NamedSql INSERT_EVENT = NamedSql.parse(serverSql("event/insert-event.sql"));

    // ---- ReservationStore.forSettlement: the commit's reads, the reservation and budget locked ---------

    private static final NamedSql LOCK_FOR_SETTLEMENT = NamedSql.parse(serverSql("ledger/reservation-for-settlement.sql"));

    // ---- SettlementStore.settle: one statement posts budget, entries, usage record, event and resolution --

    private static final NamedSql SETTLE = NamedSql.parse(serverSql("ledger/settle.sql"));

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
            values.put("cacheWrite", 0L);
            values.put("cacheWrite1h", 0L);
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

    /** A statement of tollgate-server's, from the {@code .sql} file its store runs ({@code module/file.sql}). */
    private static String serverSql(String path) {
        try (InputStream in = RawTarget.class.getResourceAsStream("/dev/tollgate/" + path)) {
            if (in == null) {
                throw new IllegalStateException("dev/tollgate/" + path + " is not on the classpath; "
                        + "the bench's build copies it from tollgate-server");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
