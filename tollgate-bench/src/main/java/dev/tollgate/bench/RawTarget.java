package dev.tollgate.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * The raw baseline: the SQL a reserve-then-commit cycle needs, and nothing else, issued over one JDBC
 * connection per client. No HTTP, no JSON, no framework: what is left is PostgreSQL's own cost of the
 * same statements in the same transactions, which is the floor Tollgate's figures are compared to.
 */
final class RawTarget implements CycleTarget {

    private static final Duration RESERVATION_TTL = Duration.ofMinutes(15);
    private static final String SCOPE = "bench-raw";
    private static final String RESPONSE_TYPE = "application/json";
    /** The stored response of an idempotent call is about this long in Tollgate, so the row is too. */
    private static final String RESPONSE_BODY = "{\"id\":\"%s\",\"status\":\"%s\",\"padding\":\"" + "x".repeat(300) + "\"}";
    private static final String REQUEST_HASH = "0".repeat(64);

    private static final String CLAIM_KEY = """
            INSERT INTO idempotency_record (scope, idempotency_key, request_hash, created_at)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (scope, idempotency_key) DO NOTHING
            """;

    private static final String STORE_RESPONSE = """
            UPDATE idempotency_record
               SET response_status = ?, response_body = ?, response_type = ?
             WHERE scope = ? AND idempotency_key = ?
            """;

    /** Admission and the pending entry in one statement: the conditional UPDATE decides the race. */
    private static final String RESERVE = """
            WITH admitted AS (
                UPDATE budget b
                   SET tokens_reserved = b.tokens_reserved + ?, updated_at = ?
                  FROM subscription s
                  JOIN plan p ON p.code = s.plan_code
                 WHERE b.account_id = ?
                   AND s.account_id = b.account_id
                   AND s.status IN ('trialing', 'active')
                   AND b.tokens_used + b.tokens_reserved + ?
                       <= COALESCE(s.tokens_per_period_override, p.tokens_per_period, 9223372036854775807)
             RETURNING b.account_id, b.period_start, b.tokens_used, b.tokens_reserved
            ), pending AS (
                INSERT INTO reservation (id, account_id, status, provider, model, byok, tokens, conversations,
                                         credits, amount_micros, input_tokens_estimated, max_output_tokens,
                                         period_start, created_at, expires_at)
                SELECT ?, account_id, 'pending', ?, ?, false, ?, 0, 0, 0, ?, ?, period_start, ?, ?
                  FROM admitted
             RETURNING id, account_id
            ), approved AS (
                INSERT INTO event (account_id, type, data, created_at)
                SELECT account_id, 'reservation.approved', jsonb_build_object('reservation_id', id, 'tokens', ?::bigint), ?
                  FROM pending
            )
            SELECT tokens_used, tokens_reserved FROM admitted
            """;

    private static final String RESOLVE = """
            UPDATE reservation
               SET status = 'committed', resolved_at = ?, usage_record_id = ?
             WHERE id = ? AND status = 'pending'
            RETURNING account_id, tokens, period_start, provider, model
            """;

    private static final String MOVE_RESERVED_TO_USED = """
            UPDATE budget
               SET tokens_reserved = tokens_reserved - ?, tokens_used = tokens_used + ?, updated_at = ?
             WHERE account_id = ?
            RETURNING tokens_used
            """;

    private static final String INSERT_USAGE = """
            INSERT INTO usage_record (id, account_id, reservation_id, provider, model, input_tokens, output_tokens,
                                      cached_input_tokens, total_tokens, cost_micros, priced, byok, billing_period,
                                      created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, true, false, ?, ?)
            """;

    private static final String INSERT_LEDGER = """
            INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, reference, actor, created_at)
            VALUES (?, 'tokens', 'usage', ?, ?, ?, 'bench', ?)
            """;

    private static final String INSERT_EVENT = """
            INSERT INTO event (account_id, type, data, created_at)
            VALUES (?, 'usage.committed', jsonb_build_object('usage_record_id', ?::text, 'total_tokens', ?::bigint), ?)
            """;

    private final Connection connection;
    private final String provider;
    private final String model;
    private final String idPrefix;
    private final PreparedStatement claimKey;
    private final PreparedStatement storeResponse;
    private final PreparedStatement reserve;
    private final PreparedStatement resolve;
    private final PreparedStatement moveReservedToUsed;
    private final PreparedStatement insertUsage;
    private final PreparedStatement insertLedger;
    private final PreparedStatement insertEvent;
    private long nextId;

    RawTarget(Connection connection, String provider, String model, String idPrefix) throws SQLException {
        this.connection = connection;
        this.provider = provider;
        this.model = model;
        this.idPrefix = idPrefix;
        connection.setAutoCommit(false);
        this.claimKey = connection.prepareStatement(CLAIM_KEY);
        this.storeResponse = connection.prepareStatement(STORE_RESPONSE);
        this.reserve = connection.prepareStatement(RESERVE);
        this.resolve = connection.prepareStatement(RESOLVE);
        this.moveReservedToUsed = connection.prepareStatement(MOVE_RESERVED_TO_USED);
        this.insertUsage = connection.prepareStatement(INSERT_USAGE);
        this.insertLedger = connection.prepareStatement(INSERT_LEDGER);
        this.insertEvent = connection.prepareStatement(INSERT_EVENT);
    }

    @Override
    public Outcome reserve(Request request, String idempotencyKey) throws SQLException {
        var now = Timestamp.from(Instant.now());
        String id = "rsv_" + idPrefix + "_" + nextId++;
        try {
            claim(idempotencyKey, now);
            reserve.setLong(1, request.tokens());
            reserve.setTimestamp(2, now);
            reserve.setString(3, request.accountId());
            reserve.setLong(4, request.tokens());
            reserve.setString(5, id);
            reserve.setString(6, provider);
            reserve.setString(7, model);
            reserve.setLong(8, request.tokens());
            reserve.setLong(9, request.inputTokens());
            reserve.setLong(10, request.maxOutputTokens());
            reserve.setTimestamp(11, now);
            reserve.setTimestamp(12, Timestamp.from(now.toInstant().plus(RESERVATION_TTL)));
            reserve.setLong(13, request.tokens());
            reserve.setTimestamp(14, now);
            boolean admitted;
            try (var rows = reserve.executeQuery()) {
                admitted = rows.next();
            }
            Outcome outcome = admitted ? new Outcome.Approved(id) : new Outcome.Denied("limit_exceeded");
            respond(idempotencyKey, admitted ? 201 : 402, id, admitted ? "pending" : "denied");
            connection.commit();
            return outcome;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    @Override
    public void commit(String reservationId, long inputTokens, long outputTokens, String idempotencyKey)
            throws SQLException {
        var now = Timestamp.from(Instant.now());
        String usageId = "use_" + reservationId.substring("rsv_".length());
        long totalTokens = inputTokens + outputTokens;
        try {
            claim(idempotencyKey, now);
            resolve.setTimestamp(1, now);
            resolve.setString(2, usageId);
            resolve.setString(3, reservationId);
            String accountId;
            long reservedTokens;
            Timestamp periodStart;
            try (var rows = resolve.executeQuery()) {
                if (!rows.next()) {
                    throw new CycleFailure("reservation " + reservationId + " was not pending");
                }
                accountId = rows.getString(1);
                reservedTokens = rows.getLong(2);
                periodStart = rows.getTimestamp(3);
            }
            moveReservedToUsed.setLong(1, reservedTokens);
            moveReservedToUsed.setLong(2, totalTokens);
            moveReservedToUsed.setTimestamp(3, now);
            moveReservedToUsed.setString(4, accountId);
            long usedAfter;
            try (var rows = moveReservedToUsed.executeQuery()) {
                rows.next();
                usedAfter = rows.getLong(1);
            }
            insertUsage.setString(1, usageId);
            insertUsage.setString(2, accountId);
            insertUsage.setString(3, reservationId);
            insertUsage.setString(4, provider);
            insertUsage.setString(5, model);
            insertUsage.setLong(6, inputTokens);
            insertUsage.setLong(7, outputTokens);
            insertUsage.setLong(8, totalTokens);
            insertUsage.setLong(9, Math.ceilDiv(totalTokens * 600_000L, 1_000_000L));
            insertUsage.setString(10, periodStart.toInstant().toString());
            insertUsage.setTimestamp(11, now);
            insertUsage.executeUpdate();
            insertLedger.setString(1, accountId);
            insertLedger.setLong(2, totalTokens);
            insertLedger.setLong(3, usedAfter);
            insertLedger.setString(4, usageId);
            insertLedger.setTimestamp(5, now);
            insertLedger.executeUpdate();
            insertEvent.setString(1, accountId);
            insertEvent.setString(2, usageId);
            insertEvent.setLong(3, totalTokens);
            insertEvent.setTimestamp(4, now);
            insertEvent.executeUpdate();
            respond(idempotencyKey, 200, usageId, "committed");
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    private void claim(String idempotencyKey, Timestamp now) throws SQLException {
        if (idempotencyKey == null) {
            return;
        }
        claimKey.setString(1, SCOPE);
        claimKey.setString(2, idempotencyKey);
        claimKey.setString(3, REQUEST_HASH);
        claimKey.setTimestamp(4, now);
        if (claimKey.executeUpdate() != 1) {
            throw new CycleFailure("idempotency key " + idempotencyKey + " was already used");
        }
    }

    private void respond(String idempotencyKey, int status, String id, String state) throws SQLException {
        if (idempotencyKey == null) {
            return;
        }
        storeResponse.setInt(1, status);
        storeResponse.setString(2, RESPONSE_BODY.formatted(id, state));
        storeResponse.setString(3, RESPONSE_TYPE);
        storeResponse.setString(4, SCOPE);
        storeResponse.setString(5, idempotencyKey);
        storeResponse.executeUpdate();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
