package dev.tollgate.portal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Portal links and billing-page sessions, both kept only as hashes of their secrets. */
@Repository
class PortalStore {

    /** A session's account and where the page's "back" link goes. */
    record SessionRow(String accountId, @Nullable String returnUrl) {}

    private final JdbcClient jdbc;

    PortalStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insertLink(String tokenHash, String id, String accountId, @Nullable String returnUrl, Instant now,
            Instant expiresAt) {
        jdbc.sql("""
                        INSERT INTO portal_link (token_hash, id, account_id, return_url, created_at, expires_at)
                        VALUES (:hash, :id, :accountId, :returnUrl, :now, :expiresAt)
                        """)
                .param("hash", tokenHash)
                .param("id", id)
                .param("accountId", accountId)
                .param("returnUrl", returnUrl)
                .param("now", Timestamp.from(now))
                .param("expiresAt", Timestamp.from(expiresAt))
                .update();
    }

    /** Marks an unused, unexpired link used and returns it; empty when it is unknown, used or expired. */
    Optional<SessionRow> useLink(String tokenHash, Instant now) {
        return jdbc.sql("""
                        UPDATE portal_link SET used_at = :now
                         WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now
                        RETURNING account_id, return_url
                        """)
                .param("hash", tokenHash)
                .param("now", Timestamp.from(now))
                .query((rs, row) -> new SessionRow(rs.getString("account_id"), rs.getString("return_url")))
                .optional();
    }

    void insertSession(String idHash, SessionRow session, Instant now, Instant expiresAt) {
        jdbc.sql("""
                        INSERT INTO portal_session (id_hash, account_id, return_url, created_at, last_seen_at,
                                                    expires_at)
                        VALUES (:hash, :accountId, :returnUrl, :now, :now, :expiresAt)
                        """)
                .param("hash", idHash)
                .param("accountId", session.accountId())
                .param("returnUrl", session.returnUrl())
                .param("now", Timestamp.from(now))
                .param("expiresAt", Timestamp.from(expiresAt))
                .update();
    }

    /** The live session, its idle clock restarted; empty when ended, past its lifetime or idle too long. */
    Optional<SessionRow> touchSession(String idHash, Instant now, Instant idleSince) {
        return jdbc.sql("""
                        UPDATE portal_session SET last_seen_at = :now
                         WHERE id_hash = :hash AND ended_at IS NULL AND expires_at > :now
                           AND last_seen_at > :idleSince
                        RETURNING account_id, return_url
                        """)
                .param("hash", idHash)
                .param("now", Timestamp.from(now))
                .param("idleSince", Timestamp.from(idleSince))
                .query((rs, row) -> new SessionRow(rs.getString("account_id"), rs.getString("return_url")))
                .optional();
    }

    void endSession(String idHash, Instant now) {
        jdbc.sql("UPDATE portal_session SET ended_at = :now WHERE id_hash = :hash AND ended_at IS NULL")
                .param("hash", idHash)
                .param("now", Timestamp.from(now))
                .update();
    }
}
