package dev.tollgate.console;

import dev.tollgate.platform.Ids;
import dev.tollgate.platform.security.ApiKeys;
import dev.tollgate.platform.security.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Console sign-in: an admin or read key is given once and exchanged for a session whose secret travels
 * only in an HttpOnly cookie; the database keeps its hash, so any node serves it and logout ends it
 * everywhere. A session also ends when its key is revoked, after {@code session-idle} without a request,
 * or at {@code session-max}.
 */
@Service
class ConsoleSessions {

    private static final int SECRET_LENGTH_MAX = 200;

    /** A session just started: its cookie value appears only here. */
    record Started(String cookieValue, ConsoleUser user) {

        @Override
        public String toString() {
            return "Started[cookieValue=<redacted>, user=" + user + "]";
        }
    }

    private final ConsoleStore store;
    private final ApiKeys keys;
    private final ConsoleProperties properties;
    private final Clock clock;

    ConsoleSessions(ConsoleStore store, ApiKeys keys, ConsoleProperties properties, Clock clock) {
        this.store = store;
        this.keys = keys;
        this.properties = properties;
        this.clock = clock;
    }

    /** Starts a session for an active admin or read key; empty for anything else, service keys included. */
    Optional<Started> signIn(@Nullable String secret) {
        if (secret == null || secret.isBlank() || secret.length() > SECRET_LENGTH_MAX) {
            return Optional.empty();
        }
        return keys.authenticate(secret.strip())
                .filter(caller -> caller.role() == Role.ADMIN || caller.role() == Role.READ)
                .flatMap(caller -> keys.find(caller.id()))
                .map(key -> {
                    Instant now = clock.instant();
                    String cookie = Ids.secret(32);
                    var user = new ConsoleUser(key.id(), key.name(), key.role());
                    store.insertSession(hash(cookie), user, now, now.plus(properties.sessionMax()));
                    return new Started(cookie, user);
                });
    }

    /**
     * The session's operator; empty when ended, idle too long or its key revoked. A request the operator made
     * restarts the idle clock ({@code touch}); a page refreshing itself does not, so an open page alone
     * never keeps a session alive.
     */
    Optional<ConsoleUser> resolve(@Nullable String cookieValue, boolean touch) {
        if (cookieValue == null || cookieValue.isBlank() || cookieValue.length() > SECRET_LENGTH_MAX) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String hash = hash(cookieValue);
        Instant idleSince = now.minus(properties.sessionIdle());
        var user = touch ? store.touchSession(hash, now, idleSince) : store.liveSession(hash, now, idleSince);
        if (user.isPresent() && keys.find(user.get().keyId()).map(k -> k.revokedAt() != null).orElse(true)) {
            store.endSession(hash, now);
            return Optional.empty();
        }
        return user;
    }

    void end(@Nullable String cookieValue) {
        if (cookieValue != null && cookieValue.length() <= SECRET_LENGTH_MAX) {
            store.endSession(hash(cookieValue), clock.instant());
        }
    }

    static String hash(String secret) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
