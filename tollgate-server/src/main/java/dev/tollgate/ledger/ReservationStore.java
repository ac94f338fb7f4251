package dev.tollgate.ledger;

import static dev.tollgate.platform.Sql.ts;

import dev.tollgate.plan.Subscription;
import dev.tollgate.plan.Subscriptions;
import dev.tollgate.platform.Sql;
import dev.tollgate.shared.Money;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code reservation} table: the reserve statement ({@code reserve.sql}, where the admission rule is
 * applied), the reads of a reservation, its resolution, and the sweeper's search for expired ones.
 */
@Repository
class ReservationStore {

    private static final String RESERVE = Sql.file(ReservationStore.class, "reserve.sql");
    private static final String FOR_SETTLEMENT = Sql.file(ReservationStore.class, "reservation-for-settlement.sql");

    private static final String BY_ID = """
            SELECT id, account_id, status, provider, model, byok, tokens, conversations, credits, amount_micros,
                   input_tokens_estimated, max_output_tokens, job_type, job_id, conversation_id, metadata,
                   period_start, created_at, expires_at, resolved_at, usage_record_id
              FROM reservation
             WHERE id = :id
            """;

    private static final String BY_ID_FOR_UPDATE = """
            SELECT id, account_id, status, provider, model, byok, tokens, conversations, credits, amount_micros,
                   input_tokens_estimated, max_output_tokens, job_type, job_id, conversation_id, metadata,
                   period_start, created_at, expires_at, resolved_at, usage_record_id
              FROM reservation
             WHERE id = :id
               FOR UPDATE
            """;

    /** On a sharded database, a read of the account's shard only. */
    private static final String OF_ACCOUNT = """
            SELECT id, account_id, status, provider, model, byok, tokens, conversations, credits, amount_micros,
                   input_tokens_estimated, max_output_tokens, job_type, job_id, conversation_id, metadata,
                   period_start, created_at, expires_at, resolved_at, usage_record_id
              FROM reservation
             WHERE id = :id AND account_id = :accountId
            """;

    private static final String PENDING = """
            SELECT id, account_id, status, provider, model, byok, tokens, conversations, credits, amount_micros,
                   input_tokens_estimated, max_output_tokens, job_type, job_id, conversation_id, metadata,
                   period_start, created_at, expires_at, resolved_at, usage_record_id
              FROM reservation
             WHERE account_id = :accountId AND status = 'pending'
             ORDER BY created_at DESC
             LIMIT :limit
            """;

    /** Rows another node is expiring are skipped, so that nodes share the sweep. */
    private static final String EXPIRED = """
            SELECT id, account_id, status, provider, model, byok, tokens, conversations, credits, amount_micros,
                   input_tokens_estimated, max_output_tokens, job_type, job_id, conversation_id, metadata,
                   period_start, created_at, expires_at, resolved_at, usage_record_id
              FROM reservation
             WHERE status = 'pending' AND expires_at <= :now
               AND (CAST(:accountId AS text) IS NULL OR account_id = CAST(:accountId AS text))
             ORDER BY expires_at
             LIMIT :limit
               FOR UPDATE SKIP LOCKED
            """;

    private static final String RESOLVE = """
            UPDATE reservation SET status = :status, resolved_at = :at
             WHERE id = :id AND account_id = :accountId
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ReservationStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * The reserve statement's answer. With {@code budgetLocked} the caller locked the budget row before the
     * statement began, so its snapshot holds every earlier call: only then is a named conversation on a plan
     * that limits conversations approved, because whether a call is its first is read from the
     * {@code conversation} table ({@link ConversationSlots}). Empty when the account has no subscription or
     * budget row.
     */
    Optional<Admission> tryReserve(String id, ReserveCommand command, Money amount, Instant now, Instant expiresAt,
            boolean budgetLocked) {
        return jdbc.sql(RESERVE)
                .param("id", id)
                .param("budgetLocked", budgetLocked)
                .param("accountId", command.accountId())
                .param("provider", command.provider())
                .param("model", command.model())
                .param("byok", command.byok())
                .param("tokens", command.tokens())
                .param("conversationId", command.conversationId())
                .param("amount", amount.micros())
                .param("inputTokens", command.inputTokens())
                .param("maxOutputTokens", command.maxOutputTokens())
                .param("jobType", command.jobType())
                .param("jobId", command.jobId())
                .param("metadata", json.writeValueAsString(command.metadata()))
                .param("now", ts(now))
                .param("expiresAt", ts(expiresAt))
                .param("expiresAtText", expiresAt.toString())
                .param("amountUsd", amount.format())
                .query((rs, row) -> Admission.of(command.accountId(), rs))
                .optional();
    }

    Optional<Reservation> reservation(String id, boolean forUpdate) {
        return jdbc.sql(forUpdate ? BY_ID_FOR_UPDATE : BY_ID)
                .param("id", id)
                .query(this::reservation)
                .optional();
    }

    /** The reservation of a known account: on a sharded database, a read of that account's shard only. */
    Optional<Reservation> reservation(String accountId, String id) {
        return jdbc.sql(OF_ACCOUNT)
                .param("id", id)
                .param("accountId", accountId)
                .query(this::reservation)
                .optional();
    }

    /** A reservation locked for settlement; see {@link #forSettlement}. */
    record ForSettlement(Reservation reservation, @Nullable Subscription subscription, @Nullable Budget budget) {}

    /**
     * The reservation, locked; with its account's subscription and locked budget row when it is pending or
     * expired and the subscription needs no refresh at {@code now} (both null otherwise).
     */
    Optional<ForSettlement> forSettlement(String id, Instant now) {
        return jdbc.sql(FOR_SETTLEMENT)
                .param("id", id)
                .param("now", ts(now))
                .query((rs, row) -> {
                    boolean current = rs.getString("b_account_id") != null;
                    return new ForSettlement(reservation(rs, row),
                            current ? Subscriptions.fromTermsRow(rs, "s_") : null,
                            current ? BudgetStore.budget(rs, "b_") : null);
                })
                .optional();
    }

    /** Records that a pending reservation was released or expired; a commit is recorded by the settling statement. */
    void resolve(Reservation resolved) {
        jdbc.sql(RESOLVE)
                .param("accountId", resolved.accountId())
                .param("id", resolved.id())
                .param("status", resolved.status().wireName())
                .param("at", ts(Objects.requireNonNull(resolved.resolvedAt(), "a resolved reservation")))
                .update();
    }

    /** Pending reservations past their expiry, locked; rows another node is expiring are skipped. */
    List<Reservation.Pending> lockExpired(Instant now, @Nullable String accountId, int limit) {
        return jdbc.sql(EXPIRED)
                .param("now", ts(now))
                .param("accountId", accountId)
                .param("limit", limit)
                .query((rs, row) -> (Reservation.Pending) reservation(rs, row))
                .list();
    }

    /** The account's pending reservations, newest first. */
    List<Reservation> pending(String accountId, int limit) {
        return jdbc.sql(PENDING)
                .param("accountId", accountId)
                .param("limit", limit)
                .query(this::reservation)
                .list();
    }

    private Reservation reservation(ResultSet rs, int row) throws SQLException {
        var terms = new Reservation.Terms(rs.getString("id"), rs.getString("account_id"), rs.getString("provider"),
                rs.getString("model"), rs.getBoolean("byok"), rs.getLong("tokens"), rs.getLong("conversations"),
                rs.getLong("credits"), Money.ofMicros(rs.getLong("amount_micros")),
                rs.getLong("input_tokens_estimated"), rs.getLong("max_output_tokens"), rs.getString("job_type"),
                rs.getString("job_id"), rs.getString("conversation_id"),
                json.readValue(rs.getString("metadata"), EntryStore.MAP), rs.getTimestamp("period_start").toInstant(),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("expires_at").toInstant());
        var status = ReservationStatus.ofWireName(rs.getString("status"));
        if (status == ReservationStatus.PENDING) {
            return new Reservation.Pending(terms);
        }
        // The table's CHECK constraints pair each status with its columns; a missing one is a broken invariant.
        Instant resolvedAt = Objects.requireNonNull(rs.getTimestamp("resolved_at"), "resolved_at of " + status)
                .toInstant();
        return switch (status) {
            case COMMITTED -> new Reservation.Committed(terms, rs.getString("usage_record_id"), resolvedAt);
            case RELEASED -> new Reservation.Released(terms, resolvedAt);
            case EXPIRED -> new Reservation.Expired(terms, resolvedAt);
            case PENDING -> throw new IllegalStateException("handled above");
        };
    }
}
