package dev.tollgate.ledger;

import dev.tollgate.event.EventType;
import dev.tollgate.plan.Subscription;
import dev.tollgate.plan.Subscriptions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
class LedgerStore {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private static final String BUDGET_COLUMNS = """
            account_id, period_start, tokens_used, tokens_reserved, conversations_used, conversations_reserved,
            credits, credits_reserved, balance_micros, balance_reserved_micros""";

    private static final String RESERVATION_COLUMNS = """
            id, account_id, status, provider, model, byok, tokens, conversations, credits, amount_micros,
            input_tokens_estimated, max_output_tokens, job_type, job_id, conversation_id, metadata, period_start,
            created_at, expires_at, resolved_at, usage_record_id""";

    private static final String USAGE_COLUMNS = """
            id, account_id, reservation_id, provider, model, input_tokens, output_tokens, cached_input_tokens,
            total_tokens, cost_micros, priced, byok, overage_tokens, job_type, job_id, conversation_id, duration_ms,
            metadata, billing_period, created_at""";

    private static final String ENTRY_COLUMNS = """
            id, account_id, meter, type, amount, balance_after, description, reference, actor, metadata, created_at""";

    /**
     * Admission in one statement. The rule itself is the database function {@code admission_refusal}
     * (migration V11): the conditional UPDATE of the one budget row approves only where it answers
     * NULL, and PostgreSQL re-checks that condition against the latest row version, so no two requests
     * can both take the last tokens. Nothing is written unless the request is admitted. The same
     * statement records the reservation, the conversation's slot and the {@code reservation.approved}
     * event (the outbox row; the event module's trigger fans it out), so an approval is one round trip.
     * Refused, the statement returns the same function's answer on the row it read, with the values a
     * denial message quotes; the row is absent only when the account has no subscription or budget.
     *
     * <p>A named conversation on a plan that limits conversations takes a slot only with its first call
     * ({@link ConversationSlots}). Whether a call is its first is read from the {@code conversation}
     * table, which the statement's snapshot may show out of date while a concurrent first call is
     * committing; so such calls are approved only with {@code budgetLocked}: the caller locked the budget
     * row before this statement began, and this statement's snapshot then holds every earlier call.
     */
    private static final String RESERVE = """
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
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    LedgerStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * The reserve statement's answer: approved, with the meters after it and what it set aside; or
     * refused, with {@code admission_refusal}'s answer ({@code refusal}, null when the budget row it read
     * admits the request but the latest one did not) and the meters it read.
     */
    record Admission(boolean approved, @Nullable String refusal, long tokensUsed, long tokensReserved,
            long conversationsUsed, long conversationsReserved, long credits, long creditsReserved,
            long balanceMicros, long balanceReservedMicros, @Nullable Long tokensLimit,
            @Nullable Long conversationsLimit, long tokensNeeded, long conversationsNeeded, long creditsNeeded,
            long amountNeeded, Instant periodStart, Instant periodEnd, String planCode, String status) {}

    /** Empty when the account has no subscription or budget row. */
    Optional<Admission> tryReserve(String id, ReserveCommand command, long amountMicros, Instant now,
            Instant expiresAt, boolean budgetLocked) {
        return jdbc.sql(RESERVE)
                .param("id", id)
                .param("budgetLocked", budgetLocked)
                .param("accountId", command.accountId())
                .param("provider", command.provider())
                .param("model", command.model())
                .param("byok", command.byok())
                .param("tokens", command.tokens())
                .param("conversationId", command.conversationId())
                .param("amount", amountMicros)
                .param("inputTokens", command.inputTokens())
                .param("maxOutputTokens", command.maxOutputTokens())
                .param("jobType", command.jobType())
                .param("jobId", command.jobId())
                .param("metadata", json.writeValueAsString(command.metadata()))
                .param("now", ts(now))
                .param("expiresAt", ts(expiresAt))
                .param("expiresAtText", expiresAt.toString())
                .param("amountUsd", dev.tollgate.shared.Money.format(amountMicros))
                .query((rs, row) -> new Admission(rs.getBoolean("approved"), rs.getString("refusal"),
                        rs.getLong("tokens_used"), rs.getLong("tokens_reserved"), rs.getLong("conversations_used"),
                        rs.getLong("conversations_reserved"), rs.getLong("credits"), rs.getLong("credits_reserved"),
                        rs.getLong("balance_micros"), rs.getLong("balance_reserved_micros"),
                        (Long) rs.getObject("tokens_limit"), (Long) rs.getObject("conversations_limit"),
                        rs.getLong("tokens_needed"), rs.getLong("conversations_needed"), rs.getLong("credits_needed"),
                        rs.getLong("amount_needed"), rs.getTimestamp("period_start").toInstant(),
                        rs.getTimestamp("period_end").toInstant(), rs.getString("plan_code"), rs.getString("status")))
                .optional();
    }

    void insertBudgets(List<String> accountIds, Instant periodStart, long credits, long balanceMicros, Instant now) {
        jdbc.sql("""
                        INSERT INTO budget (account_id, period_start, credits, balance_micros, updated_at)
                        SELECT id, :periodStart, :credits, :balance, :now
                          FROM unnest(CAST(:ids AS text[])) AS ids(id)
                        """)
                .param("ids", accountIds.toArray(String[]::new))
                .param("periodStart", ts(periodStart))
                .param("credits", credits)
                .param("balance", balanceMicros)
                .param("now", ts(now))
                .update();
    }

    Optional<Budget> budget(String accountId, boolean forUpdate) {
        return jdbc.sql("SELECT " + BUDGET_COLUMNS + " FROM budget WHERE account_id = :accountId"
                        + (forUpdate ? " FOR UPDATE" : ""))
                .param("accountId", accountId)
                .query(LedgerStore::budget)
                .optional();
    }

    private static final String SAVE_BUDGET = """
            UPDATE budget
               SET period_start = :periodStart, tokens_used = :tokensUsed,
                   tokens_reserved = :tokensReserved, conversations_used = :conversationsUsed,
                   conversations_reserved = :conversationsReserved, credits = :credits,
                   credits_reserved = :creditsReserved, balance_micros = :balance,
                   balance_reserved_micros = :balanceReserved, updated_at = :now
             WHERE account_id = :budgetAccountId
            """;

    /** Sets the budget row to the given values; the caller holds its lock and computed them from it. */
    void saveBudget(Budget b, Instant now) {
        bindBudget(jdbc.sql(SAVE_BUDGET), b).param("now", ts(now)).update();
    }

    private static JdbcClient.StatementSpec bindBudget(JdbcClient.StatementSpec statement, Budget b) {
        return statement
                .param("budgetAccountId", b.accountId())
                .param("periodStart", ts(b.periodStart()))
                .param("tokensUsed", b.tokensUsed())
                .param("tokensReserved", b.tokensReserved())
                .param("conversationsUsed", b.conversationsUsed())
                .param("conversationsReserved", b.conversationsReserved())
                .param("credits", b.credits())
                .param("creditsReserved", b.creditsReserved())
                .param("balance", b.balanceMicros())
                .param("balanceReserved", b.balanceReservedMicros());
    }

    /** An entry to append; ids and times are assigned on insert. */
    record NewEntry(String accountId, Meter meter, EntryType type, long amount, long balanceAfter,
            @Nullable String description, @Nullable String reference, String actor, Map<String, Object> metadata) {}

    List<LedgerEntry> append(List<NewEntry> entries, Instant now) {
        if (entries.isEmpty()) {
            return List.of();
        }
        return insertEntries(entries, now, " RETURNING " + ENTRY_COLUMNS).query(this::entry).list();
    }

    /** Appends many entries without reading them back (signup grants of a backfill). */
    void appendAll(List<NewEntry> entries, Instant now) {
        if (!entries.isEmpty()) {
            insertEntries(entries, now, "").update();
        }
    }

    private JdbcClient.StatementSpec insertEntries(List<NewEntry> entries, Instant now, String returning) {
        return bindEntries(jdbc.sql(INSERT_ENTRIES + returning), entries).param("now", ts(now));
    }

    private static final String INSERT_ENTRIES = """
            INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, description,
                                      reference, actor, metadata, created_at)
            SELECT a, m, t, amt, bal, d, r, act, CAST(md AS jsonb), :now
              FROM unnest(CAST(:accounts AS text[]), CAST(:meters AS text[]), CAST(:types AS text[]),
                          CAST(:amounts AS bigint[]), CAST(:balances AS bigint[]),
                          CAST(:descriptions AS text[]), CAST(:references AS text[]),
                          CAST(:actors AS text[]), CAST(:metadata AS text[]))
                   WITH ORDINALITY AS e(a, m, t, amt, bal, d, r, act, md, position)
             ORDER BY position
            """;

    private JdbcClient.StatementSpec bindEntries(JdbcClient.StatementSpec statement, List<NewEntry> entries) {
        int n = entries.size();
        String[] accounts = new String[n];
        String[] meters = new String[n];
        String[] types = new String[n];
        Long[] amounts = new Long[n];
        Long[] balances = new Long[n];
        String[] descriptions = new String[n];
        String[] references = new String[n];
        String[] actors = new String[n];
        String[] metadata = new String[n];
        for (int i = 0; i < n; i++) {
            var e = entries.get(i);
            accounts[i] = e.accountId();
            meters[i] = e.meter().wireName();
            types[i] = e.type().wireName();
            amounts[i] = e.amount();
            balances[i] = e.balanceAfter();
            descriptions[i] = e.description();
            references[i] = e.reference();
            actors[i] = e.actor();
            metadata[i] = json.writeValueAsString(e.metadata());
        }
        return statement
                .param("accounts", accounts)
                .param("meters", meters)
                .param("types", types)
                .param("amounts", amounts)
                .param("balances", balances)
                .param("descriptions", descriptions)
                .param("references", references)
                .param("actors", actors)
                .param("metadata", metadata);
    }

    /**
     * Posts settled usage in one statement: the meters' new values, their ledger entries, the usage
     * record, its {@code usage.committed} event and (for a reservation) its resolution. The caller holds
     * the budget row's lock and computed the values from it.
     */
    void settle(Budget after, List<NewEntry> entries, UsageRecord u, Map<String, ?> committedEvent, Instant now) {
        String sql = u.reservationId() == null ? SETTLE_USAGE : SETTLE_RESERVATION;
        var statement = bindEntries(jdbc.sql(sql), entries)
                .param("committedType", EventType.USAGE_COMMITTED)
                .param("committedEvent", json.writeValueAsString(committedEvent))
                .param("now", ts(now));
        bindBudget(statement, after);
        bindUsage(statement, u);
        if (u.reservationId() != null) {
            statement.param("id", u.reservationId())
                    .param("reservationAccountId", u.accountId())
                    .param("status", ReservationStatus.COMMITTED.wireName())
                    .param("at", ts(now))
                    .param("usageRecordId", u.id());
        }
        statement.query(Integer.class).single();
    }

    List<LedgerEntry> entries(String accountId, @Nullable Meter meter, long beforeId, int limit) {
        return jdbc.sql("SELECT " + ENTRY_COLUMNS + """
                         FROM ledger_entry
                        WHERE account_id = :accountId AND id < :beforeId
                          AND (CAST(:meter AS text) IS NULL OR meter = CAST(:meter AS text))
                        ORDER BY id DESC
                        LIMIT :limit
                        """)
                .param("accountId", accountId)
                .param("meter", meter == null ? null : meter.wireName())
                .param("beforeId", beforeId)
                .param("limit", limit)
                .query(this::entry)
                .list();
    }

    Optional<LedgerEntry> entryByReference(String accountId, EntryType type, String reference) {
        return jdbc.sql("SELECT " + ENTRY_COLUMNS + """
                         FROM ledger_entry
                        WHERE account_id = :accountId AND type = :type AND reference = :reference
                        ORDER BY id
                        LIMIT 1
                        """)
                .param("accountId", accountId)
                .param("type", type.wireName())
                .param("reference", reference)
                .query(this::entry)
                .optional();
    }

    Optional<Reservation> reservation(String id, boolean forUpdate) {
        return jdbc.sql("SELECT " + RESERVATION_COLUMNS + " FROM reservation WHERE id = :id"
                        + (forUpdate ? " FOR UPDATE" : ""))
                .param("id", id)
                .query(this::reservation)
                .optional();
    }

    /** The reservation of a known account: on a sharded database, a read of that account's shard only. */
    Optional<Reservation> reservation(String accountId, String id) {
        return jdbc.sql("SELECT " + RESERVATION_COLUMNS
                        + " FROM reservation WHERE id = :id AND account_id = :accountId")
                .param("id", id)
                .param("accountId", accountId)
                .query(this::reservation)
                .optional();
    }

    /**
     * A commit's reads in one round trip: the reservation, locked; and, when it may still be settled and its
     * account's subscription needs no refresh at {@code :now}, that subscription and the budget row, locked.
     * The budget is locked after the reservation, as everywhere else; when the subscription is due, nothing
     * but the reservation is locked, so that the refresh can lock the subscription before the budget.
     */
    private static final String RESERVATION_FOR_SETTLEMENT = """
            WITH r AS (
                SELECT %s FROM reservation WHERE id = :id FOR UPDATE
            ),
            s AS (
                SELECT %s FROM subscription
                 WHERE account_id = (SELECT account_id FROM r)
                   AND (SELECT status FROM r) IN ('pending', 'expired')
                   AND NOT (%s)
            ),
            b AS (
                SELECT %s FROM budget WHERE account_id = (SELECT account_id FROM s) FOR UPDATE
            )
            SELECT r.*, %s, %s FROM r LEFT JOIN s ON true LEFT JOIN b ON true
            """.formatted(RESERVATION_COLUMNS, Subscriptions.COLUMNS, Subscriptions.DUE, BUDGET_COLUMNS,
            prefixed("s", Subscriptions.COLUMNS), prefixed("b", BUDGET_COLUMNS));

    /** A reservation locked for settlement; see {@link #reservationForSettlement}. */
    record ForSettlement(Reservation reservation, @Nullable Subscription subscription, @Nullable Budget budget) {}

    /**
     * The reservation, locked; with its account's subscription and locked budget row when it is pending or
     * expired and the subscription needs no refresh at {@code now} (both null otherwise).
     */
    Optional<ForSettlement> reservationForSettlement(String id, Instant now) {
        return jdbc.sql(RESERVATION_FOR_SETTLEMENT)
                .param("id", id)
                .param("now", ts(now))
                .query((rs, row) -> {
                    boolean current = rs.getString("b_account_id") != null;
                    return new ForSettlement(reservation(rs, row),
                            current ? Subscriptions.fromRow(rs, "s_") : null,
                            current ? budget(rs, "b_") : null);
                })
                .optional();
    }

    /** {@code columns} of the table aliased {@code alias}, each renamed {@code <alias>_<column>}. */
    private static String prefixed(String alias, String columns) {
        return Arrays.stream(columns.split(","))
                .map(String::strip)
                .map(column -> alias + "." + column + " AS " + alias + "_" + column)
                .collect(Collectors.joining(", "));
    }

    private static final String RESOLVE = """
            UPDATE reservation SET status = :status, resolved_at = :at, usage_record_id = :usageRecordId
             WHERE id = :id AND account_id = :reservationAccountId
            """;

    void resolve(String accountId, String id, ReservationStatus status, Instant at, @Nullable String usageRecordId) {
        jdbc.sql(RESOLVE)
                .param("reservationAccountId", accountId)
                .param("id", id)
                .param("status", status.wireName())
                .param("at", ts(at))
                .param("usageRecordId", usageRecordId)
                .update();
    }

    /** Pending reservations past their expiry, locked; rows another node is expiring are skipped. */
    List<Reservation> lockExpired(Instant now, @Nullable String accountId, int limit) {
        return jdbc.sql("SELECT " + RESERVATION_COLUMNS + """
                         FROM reservation
                        WHERE status = 'pending' AND expires_at <= :now
                          AND (CAST(:accountId AS text) IS NULL OR account_id = CAST(:accountId AS text))
                        ORDER BY expires_at
                        LIMIT :limit
                        FOR UPDATE SKIP LOCKED
                        """)
                .param("now", ts(now))
                .param("accountId", accountId)
                .param("limit", limit)
                .query(this::reservation)
                .list();
    }

    /** Records the thresholds reached this period and returns those that were not recorded before. */
    List<Integer> recordThresholds(String accountId, Meter meter, Instant periodStart, List<Integer> percents,
            Instant now) {
        if (percents.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        INSERT INTO threshold_crossing (account_id, meter, period_start, threshold_percent, created_at)
                        SELECT :accountId, :meter, :periodStart, p, :now FROM unnest(CAST(:percents AS int[])) AS p
                        ON CONFLICT DO NOTHING
                        RETURNING threshold_percent
                        """)
                .param("accountId", accountId)
                .param("meter", meter.wireName())
                .param("periodStart", ts(periodStart))
                .param("percents", percents.toArray(Integer[]::new))
                .param("now", ts(now))
                .query(Integer.class)
                .list();
    }

    private static final String USAGE_VALUES = """
            (:usageId, :usageAccountId, :reservationId, :provider, :model, :input, :output, :cached, :total,
             :cost, :priced, :byok, :overage, :jobType, :jobId, :conversationId, :durationMs,
             CAST(:usageMetadata AS jsonb), :billingPeriod, :createdAt)
            """;

    /** Built once: the statement cache is keyed by the SQL text, which a concatenation per call rebuilds. */
    private static final String SETTLE_WRITES = "WITH budget_after AS (" + SAVE_BUDGET + "), entries AS ("
            + INSERT_ENTRIES + "), usage AS (INSERT INTO usage_record (" + USAGE_COLUMNS + ") VALUES " + USAGE_VALUES
            + "), committed AS (INSERT INTO event (account_id, type, data, created_at)"
            + " VALUES (:usageAccountId, :committedType, CAST(:committedEvent AS jsonb), :now))";
    private static final String SETTLE_USAGE = SETTLE_WRITES + " SELECT 1";
    private static final String SETTLE_RESERVATION = SETTLE_WRITES + ", resolved AS (" + RESOLVE + ") SELECT 1";

    private JdbcClient.StatementSpec bindUsage(JdbcClient.StatementSpec statement, UsageRecord u) {
        return statement
                .param("usageId", u.id())
                .param("usageAccountId", u.accountId())
                .param("reservationId", u.reservationId())
                .param("provider", u.provider())
                .param("model", u.model())
                .param("input", u.inputTokens())
                .param("output", u.outputTokens())
                .param("cached", u.cachedInputTokens())
                .param("total", u.totalTokens())
                .param("cost", u.costMicros())
                .param("priced", u.priced())
                .param("byok", u.byok())
                .param("overage", u.overageTokens())
                .param("jobType", u.jobType())
                .param("jobId", u.jobId())
                .param("conversationId", u.conversationId())
                .param("durationMs", u.durationMs())
                .param("usageMetadata", json.writeValueAsString(u.metadata()))
                .param("billingPeriod", u.billingPeriod())
                .param("createdAt", ts(u.createdAt()));
    }

    Optional<UsageRecord> usageRecord(String id) {
        return jdbc.sql("SELECT " + USAGE_COLUMNS + " FROM usage_record WHERE id = :id")
                .param("id", id)
                .query(this::usage)
                .optional();
    }

    /** The usage record of a known account: on a sharded database, a read of that account's shard only. */
    Optional<UsageRecord> usageRecord(String accountId, String id) {
        return jdbc.sql("SELECT " + USAGE_COLUMNS
                        + " FROM usage_record WHERE id = :id AND account_id = :accountId")
                .param("id", id)
                .param("accountId", accountId)
                .query(this::usage)
                .optional();
    }

    List<UsageRecord> usageRecords(String accountId, Instant before, String beforeId, int limit) {
        return jdbc.sql("SELECT " + USAGE_COLUMNS + """
                         FROM usage_record
                        WHERE account_id = :accountId AND (created_at, id) < (:before, :beforeId)
                        ORDER BY created_at DESC, id DESC
                        LIMIT :limit
                        """)
                .param("accountId", accountId)
                .param("before", ts(before))
                .param("beforeId", beforeId)
                .param("limit", limit)
                .query(this::usage)
                .list();
    }

    /**
     * Usage of one account over [from, to): the whole UTC hours in [fromHour, toHour) from the usage_hourly
     * rollup (V8), the partial hours at either end from the records themselves (index V7).
     */
    private static final String USAGE_PARTS = """
            WITH parts AS (
                SELECT hour AS at, provider, model, requests, input_tokens, output_tokens, cached_input_tokens,
                       total_tokens, cost_micros
                  FROM usage_hourly
                 WHERE account_id = :accountId AND hour >= :fromHour AND hour < :toHour
                 UNION ALL
                SELECT created_at, provider, model, 1, input_tokens, output_tokens, cached_input_tokens,
                       total_tokens, cost_micros
                  FROM usage_record
                 WHERE account_id = :accountId AND created_at >= :from AND created_at < :fromHour
                 UNION ALL
                SELECT created_at, provider, model, 1, input_tokens, output_tokens, cached_input_tokens,
                       total_tokens, cost_micros
                  FROM usage_record
                 WHERE account_id = :accountId AND created_at >= :toHour AND created_at < :to
            )
            """;

    private static final String USAGE_SUMS = """
             AS key, sum(requests) AS requests, sum(input_tokens) AS input_tokens,
                   sum(output_tokens) AS output_tokens, sum(cached_input_tokens) AS cached_input_tokens,
                   sum(total_tokens) AS total_tokens, sum(cost_micros) AS cost_micros
              FROM parts
             GROUP BY 1
             ORDER BY 1
            """;
    // AT TIME ZONE gives the UTC wall time, so the day does not depend on the session's TimeZone.
    private static final String USAGE_BY_DAY =
            USAGE_PARTS + "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD')" + USAGE_SUMS;
    private static final String USAGE_BY_MODEL = USAGE_PARTS + "SELECT provider || '/' || model" + USAGE_SUMS;

    /** Usage summed per UTC day or per model over [from, to). */
    List<UsageTotals> usageTotals(String accountId, UsageGrouping grouping, Instant from, Instant to) {
        String sql = switch (grouping) {
            case DAY -> USAGE_BY_DAY;
            case MODEL -> USAGE_BY_MODEL;
        };
        Instant fromHour = from.truncatedTo(ChronoUnit.HOURS);
        if (fromHour.isBefore(from)) {
            fromHour = fromHour.plus(1, ChronoUnit.HOURS);
        }
        Instant toHour = to.truncatedTo(ChronoUnit.HOURS);
        if (!fromHour.isBefore(toHour)) {
            // No whole hour inside the window: the rollup reads nothing, the records cover [from, to).
            fromHour = to;
            toHour = to;
        }
        return jdbc.sql(sql)
                .param("accountId", accountId)
                .param("from", ts(from))
                .param("fromHour", ts(fromHour))
                .param("toHour", ts(toHour))
                .param("to", ts(to))
                .query((rs, row) -> new UsageTotals(rs.getString("key"), rs.getLong("requests"),
                        rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cached_input_tokens"),
                        rs.getLong("total_tokens"), rs.getLong("cost_micros")))
                .list();
    }

    /**
     * Accounts whose cached meters disagree with their ledger (used/held values) or with their pending
     * reservations and open conversation slots (reserved values).
     */
    List<Discrepancy> discrepancies(@Nullable String accountId, int limit) {
        return jdbc.sql("""
                        WITH ledger AS (
                            SELECT account_id,
                                   coalesce(sum(amount) FILTER (WHERE meter = 'tokens'), 0) AS tokens,
                                   coalesce(sum(amount) FILTER (WHERE meter = 'conversations'), 0) AS conversations,
                                   coalesce(sum(amount) FILTER (WHERE meter = 'credits'), 0) AS credits,
                                   coalesce(sum(amount) FILTER (WHERE meter = 'balance'), 0) AS balance
                              FROM ledger_entry
                             WHERE CAST(:accountId AS text) IS NULL OR account_id = CAST(:accountId AS text)
                             GROUP BY account_id
                        ), pending AS (
                            SELECT account_id, sum(tokens) AS tokens,
                                   sum(conversations) FILTER (WHERE conversation_id IS NULL) AS conversations,
                                   sum(credits) AS credits, sum(amount_micros) AS balance
                              FROM reservation
                             WHERE status = 'pending'
                               AND (CAST(:accountId AS text) IS NULL OR account_id = CAST(:accountId AS text))
                             GROUP BY account_id
                        ), open_conversations AS (
                            SELECT account_id, count(*) AS conversations
                              FROM conversation
                             WHERE NOT committed
                               AND (CAST(:accountId AS text) IS NULL OR account_id = CAST(:accountId AS text))
                             GROUP BY account_id
                        )
                        SELECT b.account_id,
                               b.tokens_used, coalesce(l.tokens, 0) AS ledger_tokens,
                               b.conversations_used, coalesce(l.conversations, 0) AS ledger_conversations,
                               b.credits, coalesce(l.credits, 0) AS ledger_credits,
                               b.balance_micros, coalesce(l.balance, 0) AS ledger_balance,
                               b.tokens_reserved, coalesce(p.tokens, 0) AS pending_tokens,
                               b.conversations_reserved,
                               coalesce(p.conversations, 0) + coalesce(o.conversations, 0) AS pending_conversations,
                               b.credits_reserved, coalesce(p.credits, 0) AS pending_credits,
                               b.balance_reserved_micros, coalesce(p.balance, 0) AS pending_balance
                          FROM budget b
                          LEFT JOIN ledger l ON l.account_id = b.account_id
                          LEFT JOIN pending p ON p.account_id = b.account_id
                          LEFT JOIN open_conversations o ON o.account_id = b.account_id
                         WHERE (CAST(:accountId AS text) IS NULL OR b.account_id = CAST(:accountId AS text))
                           AND (b.tokens_used <> coalesce(l.tokens, 0)
                                OR b.conversations_used <> coalesce(l.conversations, 0)
                                OR b.credits <> coalesce(l.credits, 0)
                                OR b.balance_micros <> coalesce(l.balance, 0)
                                OR b.tokens_reserved <> coalesce(p.tokens, 0)
                                OR b.conversations_reserved <> coalesce(p.conversations, 0) + coalesce(o.conversations, 0)
                                OR b.credits_reserved <> coalesce(p.credits, 0)
                                OR b.balance_reserved_micros <> coalesce(p.balance, 0))
                         ORDER BY b.account_id
                         LIMIT :limit
                        """)
                .param("accountId", accountId)
                .param("limit", limit)
                .query((rs, row) -> {
                    var meters = new ArrayList<Discrepancy.MeterDifference>();
                    difference(meters, "tokens", "used", rs.getLong("tokens_used"), rs.getLong("ledger_tokens"));
                    difference(meters, "conversations", "used", rs.getLong("conversations_used"),
                            rs.getLong("ledger_conversations"));
                    difference(meters, "credits", "balance", rs.getLong("credits"), rs.getLong("ledger_credits"));
                    difference(meters, "balance", "balance", rs.getLong("balance_micros"),
                            rs.getLong("ledger_balance"));
                    difference(meters, "tokens", "reserved", rs.getLong("tokens_reserved"),
                            rs.getLong("pending_tokens"));
                    difference(meters, "conversations", "reserved", rs.getLong("conversations_reserved"),
                            rs.getLong("pending_conversations"));
                    difference(meters, "credits", "reserved", rs.getLong("credits_reserved"),
                            rs.getLong("pending_credits"));
                    difference(meters, "balance", "reserved", rs.getLong("balance_reserved_micros"),
                            rs.getLong("pending_balance"));
                    return new Discrepancy(rs.getString("account_id"), meters);
                })
                .list();
    }

    private static void difference(List<Discrepancy.MeterDifference> into, String meter, String field, long cached,
            long expected) {
        if (cached != expected) {
            into.add(new Discrepancy.MeterDifference(meter, field, cached, expected));
        }
    }

    static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    private static Budget budget(ResultSet rs, int row) throws SQLException {
        return budget(rs, "");
    }

    private static Budget budget(ResultSet rs, String prefix) throws SQLException {
        return new Budget(rs.getString(prefix + "account_id"), rs.getTimestamp(prefix + "period_start").toInstant(),
                rs.getLong(prefix + "tokens_used"), rs.getLong(prefix + "tokens_reserved"),
                rs.getLong(prefix + "conversations_used"), rs.getLong(prefix + "conversations_reserved"),
                rs.getLong(prefix + "credits"), rs.getLong(prefix + "credits_reserved"),
                rs.getLong(prefix + "balance_micros"), rs.getLong(prefix + "balance_reserved_micros"));
    }

    private LedgerEntry entry(ResultSet rs, int row) throws SQLException {
        return new LedgerEntry(rs.getLong("id"), rs.getString("account_id"), Meter.ofWireName(rs.getString("meter")),
                EntryType.ofWireName(rs.getString("type")), rs.getLong("amount"), rs.getLong("balance_after"),
                rs.getString("description"), rs.getString("reference"), rs.getString("actor"),
                json.readValue(rs.getString("metadata"), MAP), rs.getTimestamp("created_at").toInstant());
    }

    private Reservation reservation(ResultSet rs, int row) throws SQLException {
        Timestamp resolved = rs.getTimestamp("resolved_at");
        return new Reservation(rs.getString("id"), rs.getString("account_id"),
                ReservationStatus.ofWireName(rs.getString("status")), rs.getString("provider"), rs.getString("model"),
                rs.getBoolean("byok"), rs.getLong("tokens"), rs.getLong("conversations"), rs.getLong("credits"),
                rs.getLong("amount_micros"), rs.getLong("input_tokens_estimated"), rs.getLong("max_output_tokens"),
                rs.getString("job_type"), rs.getString("job_id"), rs.getString("conversation_id"),
                json.readValue(rs.getString("metadata"), MAP), rs.getTimestamp("period_start").toInstant(),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
                resolved == null ? null : resolved.toInstant(), rs.getString("usage_record_id"));
    }

    private UsageRecord usage(ResultSet rs, int row) throws SQLException {
        return new UsageRecord(rs.getString("id"), rs.getString("account_id"), rs.getString("reservation_id"),
                rs.getString("provider"), rs.getString("model"), rs.getLong("input_tokens"),
                rs.getLong("output_tokens"), rs.getLong("cached_input_tokens"), rs.getLong("total_tokens"),
                rs.getLong("cost_micros"), rs.getBoolean("priced"), rs.getBoolean("byok"),
                rs.getLong("overage_tokens"), rs.getString("job_type"), rs.getString("job_id"),
                rs.getString("conversation_id"), (Long) rs.getObject("duration_ms"),
                json.readValue(rs.getString("metadata"), MAP), rs.getString("billing_period"),
                rs.getTimestamp("created_at").toInstant());
    }

    /** Usage of every account summed per model over whole hours [fromHour, toHour), read from the hourly rollup. */
    List<UsageTotals> usageByModelOfAll(Instant fromHour, Instant toHour) {
        return jdbc.sql("""
                        SELECT provider || '/' || model AS key, sum(requests) AS requests,
                               sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
                               sum(cached_input_tokens) AS cached_input_tokens, sum(total_tokens) AS total_tokens,
                               sum(cost_micros) AS cost_micros
                          FROM usage_hourly
                         WHERE hour >= :fromHour AND hour < :toHour
                         GROUP BY provider, model
                         ORDER BY sum(cost_micros) DESC, key
                        """)
                .param("fromHour", ts(fromHour))
                .param("toHour", ts(toHour))
                .query((rs, row) -> new UsageTotals(rs.getString("key"), rs.getLong("requests"),
                        rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cached_input_tokens"),
                        rs.getLong("total_tokens"), rs.getLong("cost_micros")))
                .list();
    }

    private static final String METER_ROW = """
            SELECT b.account_id, s.plan_code, s.status, s.tokens_per_period_override, b.tokens_used, b.tokens_reserved
              FROM budget b
              JOIN subscription s ON s.account_id = b.account_id
            """;

    /** The stored token meter, plan and status of each of the accounts, in no particular order. */
    List<Ledger.MeterRow> meterRows(Collection<String> accountIds) {
        return jdbc.sql(METER_ROW + " WHERE b.account_id = ANY (:ids)")
                .param("ids", accountIds.toArray(String[]::new))
                .query(LedgerStore::meterRow)
                .list();
    }

    /** The accounts that used the most tokens this period, optionally of one plan and one status. */
    List<Ledger.MeterRow> busiest(@Nullable String planCode, @Nullable String status, int limit) {
        return jdbc.sql(METER_ROW + """
                         WHERE (CAST(:plan AS text) IS NULL OR s.plan_code = CAST(:plan AS text))
                           AND (CAST(:status AS text) IS NULL OR s.status = CAST(:status AS text))
                         ORDER BY b.tokens_used DESC, b.account_id
                         LIMIT :limit
                        """)
                .param("plan", planCode)
                .param("status", status)
                .param("limit", limit)
                .query(LedgerStore::meterRow)
                .list();
    }

    private static Ledger.MeterRow meterRow(ResultSet rs, int row) throws SQLException {
        return new Ledger.MeterRow(rs.getString("account_id"), rs.getString("plan_code"), rs.getString("status"),
                (Long) rs.getObject("tokens_per_period_override"), rs.getLong("tokens_used"),
                rs.getLong("tokens_reserved"));
    }

    /** The account's pending reservations, newest first. */
    List<Reservation> pendingReservations(String accountId, int limit) {
        return jdbc.sql("SELECT " + RESERVATION_COLUMNS + """
                         FROM reservation
                        WHERE account_id = :accountId AND status = 'pending'
                        ORDER BY created_at DESC
                        LIMIT :limit
                       """)
                .param("accountId", accountId)
                .param("limit", limit)
                .query(this::reservation)
                .list();
    }

    /** The conversations holding a slot of the account's period that starts at {@code periodStart}, newest first. */
    List<Ledger.ConversationRow> conversations(String accountId, Instant periodStart, int limit) {
        return jdbc.sql("""
                        SELECT conversation_id, created_at, committed, open_reservations
                          FROM conversation
                         WHERE account_id = :accountId AND period_start = :periodStart
                         ORDER BY created_at DESC
                         LIMIT :limit
                        """)
                .param("accountId", accountId)
                .param("periodStart", ts(periodStart))
                .param("limit", limit)
                .query((rs, row) -> new Ledger.ConversationRow(rs.getString("conversation_id"),
                        rs.getTimestamp("created_at").toInstant(), rs.getBoolean("committed"),
                        rs.getInt("open_reservations")))
                .list();
    }
}
