package dev.tollgate.event;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
class EventStore {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    EventStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    long insert(String accountId, String type, Map<String, ?> data, Instant at) {
        return jdbc.sql("""
                        INSERT INTO event (account_id, type, data, created_at)
                        VALUES (:accountId, :type, CAST(:data AS jsonb), :at)
                        RETURNING id
                        """)
                .param("accountId", accountId)
                .param("type", type)
                .param("data", json.writeValueAsString(data))
                .param("at", Timestamp.from(at))
                .query(Long.class)
                .single();
    }

    void insertAll(List<String> accountIds, String type, List<? extends Map<String, ?>> data, Instant at) {
        jdbc.sql("""
                        INSERT INTO event (account_id, type, data, created_at)
                        SELECT a, :type, CAST(d AS jsonb), :at
                          FROM unnest(CAST(:accounts AS text[]), CAST(:data AS text[])) WITH ORDINALITY AS e(a, d, n)
                         ORDER BY n
                        """)
                .param("accounts", accountIds.toArray(String[]::new))
                .param("type", type)
                .param("data", data.stream().map(json::writeValueAsString).toArray(String[]::new))
                .param("at", Timestamp.from(at))
                .update();
    }

    List<Event> list(String accountId, long afterId, int limit) {
        return jdbc.sql("""
                        SELECT id, account_id, type, data, created_at
                          FROM event
                         WHERE account_id = :accountId AND id > :afterId
                         ORDER BY id
                         LIMIT :limit
                        """)
                .param("accountId", accountId)
                .param("afterId", afterId)
                .param("limit", limit)
                .query(this::event)
                .list();
    }

    private Event event(ResultSet rs, int row) throws SQLException {
        return new Event(rs.getLong("id"), rs.getString("account_id"), rs.getString("type"),
                json.readValue(rs.getString("data"), MAP), rs.getTimestamp("created_at").toInstant());
    }
}
