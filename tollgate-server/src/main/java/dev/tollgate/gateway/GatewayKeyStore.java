package dev.tollgate.gateway;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The only class that touches {@code gateway_key}. */
@Repository
class GatewayKeyStore {

    private final JdbcClient jdbc;

    GatewayKeyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(GatewayKey key, String secretHash) {
        // Model names never hold a comma (the catalog's name rule), so a comma-joined list splits back exactly.
        jdbc.sql("""
                        INSERT INTO gateway_key
                               (id, account_id, name, secret_hash, prefix, models, created_at, expires_at)
                        VALUES (:id, :accountId, :name, :hash, :prefix, string_to_array(:models, ','), :createdAt,
                                :expiresAt)
                        """)
                .param("id", key.id())
                .param("accountId", key.accountId())
                .param("name", key.name())
                .param("hash", secretHash)
                .param("prefix", key.prefix())
                .param("models", String.join(",", key.models()))
                .param("createdAt", Timestamp.from(key.createdAt()))
                .param("expiresAt", timestamp(key.expiresAt()))
                .update();
    }

    Optional<GatewayKey> findByHash(String secretHash) {
        return jdbc.sql("""
                        SELECT id, account_id, name, prefix, models, created_at, expires_at, revoked_at
                          FROM gateway_key
                         WHERE secret_hash = :hash
                        """)
                .param("hash", secretHash)
                .query(GatewayKeyStore::key)
                .optional();
    }

    Optional<GatewayKey> find(String accountId, String id) {
        return jdbc.sql("""
                        SELECT id, account_id, name, prefix, models, created_at, expires_at, revoked_at
                          FROM gateway_key
                         WHERE account_id = :accountId AND id = :id
                        """)
                .param("accountId", accountId)
                .param("id", id)
                .query(GatewayKeyStore::key)
                .optional();
    }

    List<GatewayKey> list(String accountId, String afterId, int limit) {
        return jdbc.sql("""
                        SELECT id, account_id, name, prefix, models, created_at, expires_at, revoked_at
                          FROM gateway_key
                         WHERE account_id = :accountId AND id > :after
                         ORDER BY id
                         LIMIT :limit
                        """)
                .param("accountId", accountId)
                .param("after", afterId)
                .param("limit", limit)
                .query(GatewayKeyStore::key)
                .list();
    }

    /** Revokes once: a second revocation keeps the first time. */
    void revoke(String accountId, String id, Instant at) {
        jdbc.sql("""
                        UPDATE gateway_key SET revoked_at = :at
                         WHERE account_id = :accountId AND id = :id AND revoked_at IS NULL
                        """)
                .param("accountId", accountId)
                .param("id", id)
                .param("at", Timestamp.from(at))
                .update();
    }

    private static GatewayKey key(ResultSet rs, int row) throws SQLException {
        String[] models = (String[]) rs.getArray("models").getArray();
        return new GatewayKey(rs.getString("id"), rs.getString("account_id"), rs.getString("name"),
                rs.getString("prefix"), Arrays.asList(models), rs.getTimestamp("created_at").toInstant(),
                instant(rs.getTimestamp("expires_at")), instant(rs.getTimestamp("revoked_at")));
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
