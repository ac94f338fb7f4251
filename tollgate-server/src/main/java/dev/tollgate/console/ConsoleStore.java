package dev.tollgate.console;

import dev.tollgate.platform.security.Role;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The console's own tables: its sessions (kept as hashes of their cookies) and its action log. */
@Repository
class ConsoleStore {

    /** What a finished action left: a sentence for the operator and, when it wrote one, the ledger entry. */
    record Outcome(String requestHash, @Nullable String text, @Nullable Long entryId) {}

    private final JdbcClient jdbc;

    ConsoleStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insertSession(String idHash, ConsoleUser user, Instant now, Instant expiresAt) {
        jdbc.sql("""
                        INSERT INTO console_session (id_hash, key_id, key_name, role, created_at, last_seen_at,
                                                     expires_at)
                        VALUES (:hash, :keyId, :keyName, :role, :now, :now, :expiresAt)
                        """)
                .param("hash", idHash)
                .param("keyId", user.keyId())
                .param("keyName", user.keyName())
                .param("role", user.role().wireName())
                .param("now", Timestamp.from(now))
                .param("expiresAt", Timestamp.from(expiresAt))
                .update();
    }

    /** The live session, its idle clock restarted; empty when ended, past its lifetime or idle too long. */
    Optional<ConsoleUser> touchSession(String idHash, Instant now, Instant idleSince) {
        return jdbc.sql("""
                        UPDATE console_session SET last_seen_at = :now
                         WHERE id_hash = :hash AND ended_at IS NULL AND expires_at > :now
                           AND last_seen_at > :idleSince
                        RETURNING key_id, key_name, role
                        """)
                .param("hash", idHash)
                .param("now", Timestamp.from(now))
                .param("idleSince", Timestamp.from(idleSince))
                .query(ConsoleStore::user)
                .optional();
    }

    Optional<ConsoleUser> liveSession(String idHash, Instant now, Instant idleSince) {
        return jdbc.sql("""
                        SELECT key_id, key_name, role FROM console_session
                         WHERE id_hash = :hash AND ended_at IS NULL AND expires_at > :now
                           AND last_seen_at > :idleSince
                        """)
                .param("hash", idHash)
                .param("now", Timestamp.from(now))
                .param("idleSince", Timestamp.from(idleSince))
                .query(ConsoleStore::user)
                .optional();
    }

    private static ConsoleUser user(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new ConsoleUser(rs.getString("key_id"), rs.getString("key_name"), Role.ofKeyRole(rs.getString("role")));
    }

    void endSession(String idHash, Instant now) {
        jdbc.sql("UPDATE console_session SET ended_at = :now WHERE id_hash = :hash AND ended_at IS NULL")
                .param("hash", idHash)
                .param("now", Timestamp.from(now))
                .update();
    }

    /**
     * Claims the nonce for this action; false when another submit holds it. A concurrent submit of the same
     * nonce waits here on the first one's uncommitted row, so that it sees the first one's outcome.
     */
    boolean claim(String nonce, ConsoleUser user, String action, @Nullable String accountId, String requestHash,
            String reason, Instant now) {
        return jdbc.sql("""
                        INSERT INTO console_action (nonce, key_id, actor, action, account_id, request_hash, reason,
                                                    created_at)
                        VALUES (:nonce, :keyId, :actor, :action, :accountId, :hash, :reason, :now)
                        ON CONFLICT (nonce) DO NOTHING
                        """)
                .param("nonce", nonce)
                .param("keyId", user.keyId())
                .param("actor", user.keyName())
                .param("action", action)
                .param("accountId", accountId)
                .param("hash", requestHash)
                .param("reason", reason)
                .param("now", Timestamp.from(now))
                .update() == 1;
    }

    void finish(String nonce, String text, @Nullable Long entryId) {
        jdbc.sql("UPDATE console_action SET outcome = :text, entry_id = :entryId WHERE nonce = :nonce")
                .param("nonce", nonce)
                .param("text", text)
                .param("entryId", entryId)
                .update();
    }

    Optional<Outcome> outcome(String nonce, String keyId) {
        return jdbc.sql("""
                        SELECT request_hash, outcome, entry_id FROM console_action
                         WHERE nonce = :nonce AND key_id = :keyId
                        """)
                .param("nonce", nonce)
                .param("keyId", keyId)
                .query((rs, row) -> new Outcome(rs.getString(1), rs.getString(2), (Long) rs.getObject(3)))
                .optional();
    }
}
