package dev.tollgate.ledger;

import dev.tollgate.shared.Money;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The reserve statement's answer: approved, with the meters after it and what it set aside; or refused,
 * with {@code admission_refusal}'s answer ({@code refusal}; null when the budget row it read admits the
 * request but the latest one did not) and the meters it read. {@code meters} carries the subscription's
 * period start, in which the request was decided.
 */
record Admission(boolean approved, @Nullable String refusal, Budget meters, @Nullable Long tokensLimit,
        @Nullable Long conversationsLimit, Hold needed, Instant periodEnd, String planCode, String status) {

    static Admission of(String accountId, ResultSet rs) throws SQLException {
        var meters = new Budget(accountId, rs.getTimestamp("period_start").toInstant(), rs.getLong("tokens_used"),
                rs.getLong("tokens_reserved"), rs.getLong("conversations_used"), rs.getLong("conversations_reserved"),
                rs.getLong("credits"), rs.getLong("credits_reserved"), Money.ofMicros(rs.getLong("balance_micros")),
                Money.ofMicros(rs.getLong("balance_reserved_micros")));
        var needed = new Hold(rs.getLong("tokens_needed"), rs.getLong("conversations_needed"),
                rs.getLong("credits_needed"), Money.ofMicros(rs.getLong("amount_needed")));
        return new Admission(rs.getBoolean("approved"), rs.getString("refusal"), meters,
                (Long) rs.getObject("tokens_limit"), (Long) rs.getObject("conversations_limit"), needed,
                rs.getTimestamp("period_end").toInstant(), rs.getString("plan_code"), rs.getString("status"));
    }
}
