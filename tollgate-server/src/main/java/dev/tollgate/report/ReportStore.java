package dev.tollgate.report;

import static dev.tollgate.platform.Sql.ts;

import dev.tollgate.platform.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The reports' reads of the ledger's tables ({@code usage_hourly}, {@code usage_record}, {@code ledger_entry},
 * {@code budget}, {@code reservation}, {@code conversation}); read-only, and allowed as such by
 * {@code SqlOwnershipTests}.
 */
@Repository
class ReportStore {

    private static final String USAGE_TOTALS = Sql.file(ReportStore.class, "usage-totals.sql");
    private static final String DISCREPANCIES = Sql.file(ReportStore.class, "discrepancies.sql");

    private static final String USAGE_BY_MODEL_OF_ALL = """
            SELECT provider || '/' || model AS key, sum(requests) AS requests,
                   sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
                   sum(cached_input_tokens) AS cached_input_tokens, sum(total_tokens) AS total_tokens,
                   sum(cost_micros) AS cost_micros
              FROM usage_hourly
             WHERE hour >= :fromHour AND hour < :toHour
             GROUP BY provider, model
             ORDER BY sum(cost_micros) DESC, key
            """;

    private final JdbcClient jdbc;

    ReportStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Usage summed per UTC day or per model over [from, to), whose whole hours are [fromHour, toHour). */
    List<UsageTotals> usageTotals(String accountId, UsageGrouping grouping, Instant from, Instant fromHour,
            Instant toHour, Instant to) {
        return jdbc.sql(USAGE_TOTALS)
                .param("grouping", grouping.name().toLowerCase(Locale.ROOT))
                .param("accountId", accountId)
                .param("from", ts(from))
                .param("fromHour", ts(fromHour))
                .param("toHour", ts(toHour))
                .param("to", ts(to))
                .query(ReportStore::totals)
                .list();
    }

    /** Usage of every account summed per model over whole hours [fromHour, toHour), read from the hourly rollup. */
    List<UsageTotals> usageByModelOfAll(Instant fromHour, Instant toHour) {
        return jdbc.sql(USAGE_BY_MODEL_OF_ALL)
                .param("fromHour", ts(fromHour))
                .param("toHour", ts(toHour))
                .query(ReportStore::totals)
                .list();
    }

    private static UsageTotals totals(ResultSet rs, int row) throws SQLException {
        return new UsageTotals(rs.getString("key"), rs.getLong("requests"), rs.getLong("input_tokens"),
                rs.getLong("output_tokens"), rs.getLong("cached_input_tokens"), rs.getLong("total_tokens"),
                rs.getLong("cost_micros"));
    }

    List<Discrepancy> discrepancies(@Nullable String accountId, int limit) {
        return jdbc.sql(DISCREPANCIES)
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
}
