package dev.tollgate.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
class AccountStore {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AccountStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    boolean exists(String id) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM account WHERE id = :id)")
                .param("id", id)
                .query(Boolean.class)
                .single();
    }

    /** Inserts the accounts that do not exist yet and returns their ids; existing ones are left as they are. */
    List<String> insertMissing(List<NewAccount> accounts, Instant now) {
        return jdbc.sql("""
                        INSERT INTO account (id, email, metadata, created_at, updated_at)
                        SELECT id, email, CAST(metadata AS jsonb), :now, :now
                          FROM unnest(CAST(:ids AS text[]), CAST(:emails AS text[]), CAST(:metadata AS text[]))
                               AS a(id, email, metadata)
                        ON CONFLICT (id) DO NOTHING
                        RETURNING id
                        """)
                .param("ids", accounts.stream().map(NewAccount::id).toArray(String[]::new))
                .param("emails", accounts.stream().map(NewAccount::email).toArray(String[]::new))
                .param("metadata", accounts.stream().map(a -> json.writeValueAsString(a.metadata()))
                        .toArray(String[]::new))
                .param("now", Timestamp.from(now))
                .query(String.class)
                .list();
    }

    Optional<Account> find(String id) {
        return jdbc.sql("SELECT id, email, metadata, created_at FROM account WHERE id = :id")
                .param("id", id)
                .query(this::account)
                .optional();
    }

    List<Account> findAll(java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT id, email, metadata, created_at FROM account WHERE id = ANY (:ids)")
                .param("ids", ids.toArray(String[]::new))
                .query(this::account)
                .list();
    }

    /**
     * Accounts in id order after {@code afterId}, optionally matching a search on id or email, a plan and a
     * subscription status. The filters read the plan module's published view subscription_terms (V28) read-only,
     * because a list filtered in Java would need one query per account.
     */
    List<Account> list(@Nullable String query, @Nullable String planCode, String afterId, int limit) {
        return list(query, planCode, null, afterId, limit);
    }

    List<Account> list(@Nullable String query, @Nullable String planCode, @Nullable String status, String afterId,
            int limit) {
        return jdbc.sql("""
                        SELECT a.id, a.email, a.metadata, a.created_at
                          FROM account a
                         WHERE a.id > :afterId
                           AND (CAST(:pattern AS text) IS NULL
                                OR a.id ILIKE CAST(:pattern AS text) ESCAPE '\\'
                                OR a.email ILIKE CAST(:pattern AS text) ESCAPE '\\')
                           AND (CAST(:plan AS text) IS NULL AND CAST(:status AS text) IS NULL OR EXISTS (
                                SELECT 1 FROM subscription_terms s
                                 WHERE s.account_id = a.id
                                   AND (CAST(:plan AS text) IS NULL OR s.plan_code = CAST(:plan AS text))
                                   AND (CAST(:status AS text) IS NULL OR s.status = CAST(:status AS text))))
                         ORDER BY a.id
                         LIMIT :limit
                        """)
                .param("afterId", afterId)
                .param("pattern", query == null ? null : "%" + likeEscape(query) + "%")
                .param("plan", planCode)
                .param("status", status)
                .param("limit", limit)
                .query(this::account)
                .list();
    }

    private static String likeEscape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private Account account(ResultSet rs, int row) throws SQLException {
        return new Account(rs.getString("id"), rs.getString("email"), json.readValue(rs.getString("metadata"), MAP),
                rs.getTimestamp("created_at").toInstant());
    }
}
