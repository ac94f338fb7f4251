package dev.tollgate.ledger;

import static dev.tollgate.platform.Sql.ts;

import dev.tollgate.shared.Money;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code budget} table: one row of meters per account, the cache of its ledger. */
@Repository
class BudgetStore {

    private static final String BUDGET = """
            SELECT account_id, period_start, tokens_used, tokens_reserved, conversations_used,
                   conversations_reserved, credits, credits_reserved, balance_micros, balance_reserved_micros
              FROM budget
             WHERE account_id = :accountId
            """;

    private static final String BUDGET_FOR_UPDATE = """
            SELECT account_id, period_start, tokens_used, tokens_reserved, conversations_used,
                   conversations_reserved, credits, credits_reserved, balance_micros, balance_reserved_micros
              FROM budget
             WHERE account_id = :accountId
               FOR UPDATE
            """;

    private static final String SAVE_BUDGET = """
            UPDATE budget
               SET period_start = :periodStart, tokens_used = :tokensUsed,
                   tokens_reserved = :tokensReserved, conversations_used = :conversationsUsed,
                   conversations_reserved = :conversationsReserved, credits = :credits,
                   credits_reserved = :creditsReserved, balance_micros = :balance,
                   balance_reserved_micros = :balanceReserved, updated_at = :now
             WHERE account_id = :budgetAccountId
            """;

    private static final String METER_ROWS = """
            SELECT b.account_id, s.plan_code, s.status, s.tokens_per_period_override, b.tokens_used, b.tokens_reserved
              FROM budget b
              JOIN subscription_terms s ON s.account_id = b.account_id
             WHERE b.account_id = ANY (:ids)
            """;

    private static final String BUSIEST = """
            SELECT b.account_id, s.plan_code, s.status, s.tokens_per_period_override, b.tokens_used, b.tokens_reserved
              FROM budget b
              JOIN subscription_terms s ON s.account_id = b.account_id
             WHERE (CAST(:plan AS text) IS NULL OR s.plan_code = CAST(:plan AS text))
               AND (CAST(:status AS text) IS NULL OR s.status = CAST(:status AS text))
             ORDER BY b.tokens_used DESC, b.account_id
             LIMIT :limit
            """;

    private final JdbcClient jdbc;

    BudgetStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insertBudgets(List<String> accountIds, Instant periodStart, long credits, Money balance, Instant now) {
        jdbc.sql("""
                        INSERT INTO budget (account_id, period_start, credits, balance_micros, updated_at)
                        SELECT id, :periodStart, :credits, :balance, :now
                          FROM unnest(CAST(:ids AS text[])) AS ids(id)
                        """)
                .param("ids", accountIds.toArray(String[]::new))
                .param("periodStart", ts(periodStart))
                .param("credits", credits)
                .param("balance", balance.micros())
                .param("now", ts(now))
                .update();
    }

    Optional<Budget> budget(String accountId, boolean forUpdate) {
        return jdbc.sql(forUpdate ? BUDGET_FOR_UPDATE : BUDGET)
                .param("accountId", accountId)
                .query((rs, row) -> budget(rs, ""))
                .optional();
    }

    /** Sets the budget row to the given values; the caller holds its lock and computed them from it. */
    void saveBudget(Budget b, Instant now) {
        bind(jdbc.sql(SAVE_BUDGET), b).param("now", ts(now)).update();
    }

    /** Binds the parameters of {@link #SAVE_BUDGET}, which the settling statement embeds. */
    static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, Budget b) {
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

    /** The budget in a row whose budget columns are each named with {@code prefix}. */
    static Budget budget(ResultSet rs, String prefix) throws SQLException {
        return new Budget(rs.getString(prefix + "account_id"), rs.getTimestamp(prefix + "period_start").toInstant(),
                rs.getLong(prefix + "tokens_used"), rs.getLong(prefix + "tokens_reserved"),
                rs.getLong(prefix + "conversations_used"), rs.getLong(prefix + "conversations_reserved"),
                rs.getLong(prefix + "credits"), rs.getLong(prefix + "credits_reserved"),
                Money.ofMicros(rs.getLong(prefix + "balance_micros")),
                Money.ofMicros(rs.getLong(prefix + "balance_reserved_micros")));
    }

    /** The stored token meter, plan and status of each of the accounts, in no particular order. */
    List<Ledger.MeterRow> meterRows(Collection<String> accountIds) {
        return jdbc.sql(METER_ROWS)
                .param("ids", accountIds.toArray(String[]::new))
                .query(BudgetStore::meterRow)
                .list();
    }

    /** The accounts that used the most tokens this period, optionally of one plan and one status. */
    List<Ledger.MeterRow> busiest(@Nullable String planCode, @Nullable String status, int limit) {
        return jdbc.sql(BUSIEST)
                .param("plan", planCode)
                .param("status", status)
                .param("limit", limit)
                .query(BudgetStore::meterRow)
                .list();
    }

    private static Ledger.MeterRow meterRow(ResultSet rs, int row) throws SQLException {
        return new Ledger.MeterRow(rs.getString("account_id"), rs.getString("plan_code"), rs.getString("status"),
                (Long) rs.getObject("tokens_per_period_override"), rs.getLong("tokens_used"),
                rs.getLong("tokens_reserved"));
    }
}
