package dev.tollgate.platform.security;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ApiKeyStore {

    private final JdbcClient jdbc;

    ApiKeyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ApiKey key, String secretHash) {
        jdbc.sql("""
                        INSERT INTO api_key (id, name, role, secret_hash, prefix, created_at)
                        VALUES (:id, :name, :role, :hash, :prefix, :createdAt)
                        """)
                .param("id", key.id())
                .param("name", key.name())
                .param("role", key.role().wireName())
                .param("hash", secretHash)
                .param("prefix", key.prefix())
                .param("createdAt", Timestamp.from(key.createdAt()))
                .update();
    }

    /** Installs or replaces the key configured by TOLLGATE_ADMIN_KEY. */
    void upsertConfigured(ApiKey key, String secretHash) {
        jdbc.sql("""
                        INSERT INTO api_key (id, name, role, secret_hash, prefix, created_at)
                        VALUES (:id, :name, 'admin', :hash, :prefix, :createdAt)
                        ON CONFLICT (id) DO UPDATE
                           SET secret_hash = EXCLUDED.secret_hash, prefix = EXCLUDED.prefix, revoked_at = NULL
                        """)
                .param("id", key.id())
                .param("name", key.name())
                .param("hash", secretHash)
                .param("prefix", key.prefix())
                .param("createdAt", Timestamp.from(key.createdAt()))
                .update();
    }

    Optional<StoredKey> findActiveByHash(String secretHash) {
        return jdbc.sql("""
                        SELECT id, name, role, prefix, created_at, revoked_at, secret_hash
                          FROM api_key
                         WHERE secret_hash = :hash AND revoked_at IS NULL
                        """)
                .param("hash", secretHash)
                .query((rs, row) -> new StoredKey(key(rs, row), rs.getString("secret_hash")))
                .optional();
    }

    record StoredKey(ApiKey key, String secretHash) {}

    Optional<ApiKey> find(String id) {
        return jdbc.sql("""
                        SELECT id, name, role, prefix, created_at, revoked_at
                          FROM api_key
                         WHERE id = :id
                        """)
                .param("id", id)
                .query(ApiKeyStore::key)
                .optional();
    }

    List<ApiKey> list(int limit, String after) {
        return jdbc.sql("""
                        SELECT id, name, role, prefix, created_at, revoked_at
                          FROM api_key
                         WHERE id > :after
                         ORDER BY id
                         LIMIT :limit
                        """)
                .param("after", after)
                .param("limit", limit)
                .query(ApiKeyStore::key)
                .list();
    }

    boolean anyActiveAdmin() {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM api_key WHERE role = 'admin' AND revoked_at IS NULL)")
                .query(Boolean.class)
                .single();
    }

    boolean revoke(String id, Instant at) {
        return jdbc.sql("UPDATE api_key SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                .param("id", id)
                .param("at", Timestamp.from(at))
                .update() == 1;
    }

    private static ApiKey key(ResultSet rs, int row) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new ApiKey(
                rs.getString("id"),
                rs.getString("name"),
                Role.ofKeyRole(rs.getString("role")),
                rs.getString("prefix"),
                rs.getTimestamp("created_at").toInstant(),
                revoked == null ? null : revoked.toInstant());
    }
}
