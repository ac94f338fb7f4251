package dev.tollgate.ledger;

import static dev.tollgate.platform.Sql.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Reads of the {@code usage_record} table; records are written by the settling statement only. */
@Repository
class UsageStore {

    private static final String BY_ID = """
            SELECT id, account_id, reservation_id, provider, model, input_tokens, output_tokens,
                   cached_input_tokens, cache_write_input_tokens, cache_write_1h_input_tokens, total_tokens,
                   cost_micros, priced, byok, overage_tokens, job_type, job_id, conversation_id, duration_ms, metadata, billing_period, created_at
              FROM usage_record
             WHERE id = :id
            """;

    /** On a sharded database, a read of the account's shard only. */
    private static final String OF_ACCOUNT = """
            SELECT id, account_id, reservation_id, provider, model, input_tokens, output_tokens,
                   cached_input_tokens, cache_write_input_tokens, cache_write_1h_input_tokens, total_tokens,
                   cost_micros, priced, byok, overage_tokens, job_type, job_id, conversation_id, duration_ms, metadata, billing_period, created_at
              FROM usage_record
             WHERE id = :id AND account_id = :accountId
            """;

    private static final String PAGE = """
            SELECT id, account_id, reservation_id, provider, model, input_tokens, output_tokens,
                   cached_input_tokens, cache_write_input_tokens, cache_write_1h_input_tokens, total_tokens,
                   cost_micros, priced, byok, overage_tokens, job_type, job_id, conversation_id, duration_ms, metadata, billing_period, created_at
              FROM usage_record
             WHERE account_id = :accountId AND (created_at, id) < (:before, :beforeId)
             ORDER BY created_at DESC, id DESC
             LIMIT :limit
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    UsageStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Optional<UsageRecord> usageRecord(String id) {
        return jdbc.sql(BY_ID).param("id", id).query(this::usage).optional();
    }

    /** The usage record of a known account: on a sharded database, a read of that account's shard only. */
    Optional<UsageRecord> usageRecord(String accountId, String id) {
        return jdbc.sql(OF_ACCOUNT).param("id", id).param("accountId", accountId).query(this::usage).optional();
    }

    /** A page of the account's records, newest first, starting after ({@code before}, {@code beforeId}). */
    List<UsageRecord> usageRecords(String accountId, Instant before, String beforeId, int limit) {
        return jdbc.sql(PAGE)
                .param("accountId", accountId)
                .param("before", ts(before))
                .param("beforeId", beforeId)
                .param("limit", limit)
                .query(this::usage)
                .list();
    }

    private UsageRecord usage(ResultSet rs, int row) throws SQLException {
        return new UsageRecord(rs.getString("id"), rs.getString("account_id"), rs.getString("reservation_id"),
                rs.getString("provider"), rs.getString("model"), rs.getLong("input_tokens"),
                rs.getLong("output_tokens"), rs.getLong("cached_input_tokens"), rs.getLong("cache_write_input_tokens"),
                rs.getLong("cache_write_1h_input_tokens"), rs.getLong("total_tokens"),
                rs.getLong("cost_micros"), rs.getBoolean("priced"), rs.getBoolean("byok"),
                rs.getLong("overage_tokens"), rs.getString("job_type"), rs.getString("job_id"),
                rs.getString("conversation_id"), (Long) rs.getObject("duration_ms"),
                json.readValue(rs.getString("metadata"), EntryStore.MAP), rs.getString("billing_period"),
                rs.getTimestamp("created_at").toInstant());
    }
}
