package dev.tollgate.ledger;

import static dev.tollgate.platform.Sql.ts;

import dev.tollgate.event.EventType;
import dev.tollgate.platform.Sql;
import java.time.Instant;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The settling statement ({@code settle.sql}): one round trip that writes a settlement's budget row,
 * entries, usage record, {@code usage.committed} event and the reservation's resolution.
 */
@Repository
class SettlementStore {

    private static final String SETTLE = Sql.file(SettlementStore.class, "settle.sql");

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final EntryStore entries;

    SettlementStore(JdbcClient jdbc, JsonMapper json, EntryStore entries) {
        this.jdbc = jdbc;
        this.json = json;
        this.entries = entries;
    }

    /** Posts {@code settlement}; the caller holds the budget row's lock and computed it from that row. */
    void settle(Settlement settlement, UsageRecord u, Map<String, ?> committedEvent, Instant now) {
        var statement = entries.bind(jdbc.sql(SETTLE), settlement.entries())
                .param("committedType", EventType.USAGE_COMMITTED)
                .param("committedEvent", json.writeValueAsString(committedEvent))
                .param("now", ts(now));
        int resolved = BudgetStore.bind(statement, settlement.after())
                .param("usageId", u.id())
                .param("usageAccountId", u.accountId())
                .param("reservationId", u.reservationId())
                .param("provider", u.provider())
                .param("model", u.model())
                .param("input", u.inputTokens())
                .param("output", u.outputTokens())
                .param("cached", u.cachedInputTokens())
                .param("cacheWrite", u.cacheWriteInputTokens())
                .param("cacheWrite1h", u.cacheWrite1hInputTokens())
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
                .param("createdAt", ts(u.createdAt()))
                .query(Integer.class)
                .single();
        // One usage record per reservation: the caller found the reservation pending or expired under its
        // lock, so the statement resolved it; if it did not, nothing of this settlement may be kept.
        if (u.reservationId() != null && resolved != 1) {
            throw new IllegalStateException("reservation " + u.reservationId() + " was not pending or expired when "
                    + "its usage record " + u.id() + " was written");
        }
    }
}
