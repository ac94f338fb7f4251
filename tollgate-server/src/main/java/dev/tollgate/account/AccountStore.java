package dev.tollgate.account;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGStatement;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
class AccountStore {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final JsonMapper json;

    AccountStore(JdbcClient jdbc, JdbcTemplate jdbcTemplate, JsonMapper json) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
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

    private static final String SEARCH = """
            SELECT a.id, a.email, a.metadata, a.created_at
              FROM account a
             WHERE a.id > ?
               AND (CAST(? AS text) IS NULL
                    OR a.id ILIKE CAST(? AS text) ESCAPE '\\'
                    OR a.email ILIKE CAST(? AS text) ESCAPE '\\')
               AND (CAST(? AS text) IS NULL AND CAST(? AS text) IS NULL OR EXISTS (
                    SELECT 1 FROM subscription_terms s
                     WHERE s.account_id = a.id
                       AND (CAST(? AS text) IS NULL OR s.plan_code = CAST(? AS text))
                       AND (CAST(? AS text) IS NULL OR s.status = CAST(? AS text))))
             ORDER BY a.id
             LIMIT ?
            """;

    /**
     * Planned for its own parameters on every call: as a prepared statement, which the driver makes of a
     * statement run five times, PostgreSQL switched to a generic plan after five more, and a generic plan
     * cannot know how rare the search text is, so it walked every account in id order and filtered
     * (220-540 ms at 100,000 accounts) instead of reading the trigram indexes (20-40 ms).
     */
    List<Account> list(@Nullable String query, @Nullable String planCode, @Nullable String status, String afterId,
            int limit) {
        String pattern = query == null ? null : "%" + likeEscape(query) + "%";
        return jdbcTemplate.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(SEARCH);
            // 0: never a named server-side statement, so each execution is planned with its values.
            statement.unwrap(PGStatement.class).setPrepareThreshold(0);
            Object[] values = {afterId, pattern, pattern, pattern, planCode, status, planCode, planCode, status, status};
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i], Types.VARCHAR);
            }
            statement.setInt(values.length + 1, limit);
            return statement;
        }, this::account);
    }

    private static String likeEscape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private Account account(ResultSet rs, int row) throws SQLException {
        return new Account(rs.getString("id"), rs.getString("email"), json.readValue(rs.getString("metadata"), MAP),
                rs.getTimestamp("created_at").toInstant());
    }
}
