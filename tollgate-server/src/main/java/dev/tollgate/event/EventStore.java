package dev.tollgate.event;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.tollgate.platform.Sql;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
class EventStore {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final String INSERT_EVENT = Sql.file(EventStore.class, "insert-event.sql");

    private final JdbcClient jdbc;
    private final JsonMapper json;

    EventStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    long insert(String accountId, String type, Map<String, ?> data, Instant at) {
        return jdbc.sql(INSERT_EVENT)
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

    /** The account's newest event of this type; V23's partial index serves it for denials. */
    Optional<Event> latestOfType(String accountId, String type) {
        return jdbc.sql("""
                        SELECT id, account_id, type, data, created_at
                          FROM event
                         WHERE account_id = :accountId AND type = :type
                         ORDER BY id DESC
                         LIMIT 1
                        """)
                .param("accountId", accountId)
                .param("type", type)
                .query(this::event)
                .optional();
    }

    /** The newest events, of one account or (null) of all, newest first; two statements, so each uses its index. */
    List<Event> latest(@Nullable String accountId, int limit) {
        var statement = accountId == null
                ? jdbc.sql("SELECT id, account_id, type, data, created_at FROM event ORDER BY id DESC LIMIT :limit")
                : jdbc.sql("""
                        SELECT id, account_id, type, data, created_at
                          FROM event
                         WHERE account_id = :accountId
                         ORDER BY id DESC
                         LIMIT :limit
                        """).param("accountId", accountId);
        return statement.param("limit", limit).query(this::event).list();
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

    /** The newest event id, or 0 when there is none. */
    long maxId() {
        return jdbc.sql("SELECT coalesce(max(id), 0) FROM event").query(Long.class).single();
    }

    /**
     * Which account each event after {@code afterId} belongs to, plus the events among {@code ids}
     * (earlier ids not seen yet because their transaction had not committed), oldest first.
     */
    List<EventKey> keysAfter(long afterId, Collection<Long> ids, int limit) {
        return jdbc.sql("""
                        SELECT id, account_id
                          FROM event
                         WHERE id > :afterId OR id = ANY(:ids)
                         ORDER BY id
                         LIMIT :limit
                        """)
                .param("afterId", afterId)
                .param("ids", ids.toArray(Long[]::new))
                .param("limit", limit)
                .query((rs, row) -> new EventKey(rs.getLong("id"), rs.getString("account_id")))
                .list();
    }

    List<Event> findAll(Collection<Long> ids) {
        return jdbc.sql("""
                        SELECT id, account_id, type, data, created_at
                          FROM event
                         WHERE id = ANY(:ids)
                         ORDER BY id
                        """)
                .param("ids", ids.toArray(Long[]::new))
                .query(this::event)
                .list();
    }

    record EventKey(long id, String accountId) {}

    private Event event(ResultSet rs, int row) throws SQLException {
        return new Event(rs.getLong("id"), rs.getString("account_id"), rs.getString("type"),
                json.readValue(rs.getString("data"), MAP), rs.getTimestamp("created_at").toInstant());
    }

    /** Denials ({@code limit_enforced} events) since {@code since}, counted by their code, most frequent first. */
    List<Events.Count> denialsSince(Instant since) {
        return jdbc.sql("""
                        SELECT data ->> 'code' AS code, count(*) AS denials
                          FROM event
                         WHERE type = :type AND created_at >= :since
                         GROUP BY 1
                         ORDER BY 2 DESC, 1
                        """)
                .param("type", EventType.LIMIT_ENFORCED)
                .param("since", Timestamp.from(since))
                .query((rs, row) -> new Events.Count(String.valueOf(rs.getString("code")), rs.getLong("denials")))
                .list();
    }
}
