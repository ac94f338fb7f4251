package dev.tollgate.portal;

import dev.tollgate.account.Accounts;
import dev.tollgate.platform.AccountGuard;
import dev.tollgate.platform.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Portal links and the browser sessions they open. A link is a secret of 256 random bits, good for one
 * opening within {@code link-ttl}; opening it starts a session bound to that one account, whose secret
 * travels only in an HttpOnly cookie. Both live in the database, so any node serves them.
 */
@Service
public class PortalSessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A link just created: its secret appears only here. */
    /** A new link; {@code url} (which holds its secret) is where a browser opens it. */
    public record CreatedLink(String id, String url, Instant expiresAt) {}

    /** A session just opened by a link: its cookie value appears only here. */
    record OpenedSession(String cookieValue, PortalStore.SessionRow session) {}

    private final PortalStore store;
    private final Accounts accounts;
    private final PortalProperties properties;
    private final Clock clock;

    PortalSessions(PortalStore store, Accounts accounts, PortalProperties properties, Clock clock) {
        this.store = store;
        this.accounts = accounts;
        this.properties = properties;
        this.clock = clock;
    }

    @Transactional
    public CreatedLink createLink(String accountId, @Nullable String returnUrl) {
        if (accounts.find(accountId).isEmpty()) {
            throw AccountGuard.notFound(accountId);
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(properties.linkTtl());
        String token = secret();
        String id = Ids.next("ps", clock);
        store.insertLink(hash(token), id, accountId, returnUrl, now, expiresAt);
        return new CreatedLink(id, properties.publicBase() + "/portal/" + token, expiresAt);
    }

    /** Uses the link once; empty when it is unknown, already used or expired. */
    @Transactional
    public Optional<OpenedSession> open(String token) {
        Instant now = clock.instant();
        return store.useLink(hash(token), now).map(session -> {
            String cookie = secret();
            store.insertSession(hash(cookie), session, now, now.plus(properties.sessionMax()));
            return new OpenedSession(cookie, session);
        });
    }

    public Optional<PortalStore.SessionRow> resolve(@Nullable String cookieValue) {
        if (cookieValue == null || cookieValue.isBlank() || cookieValue.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return store.touchSession(hash(cookieValue), now, now.minus(properties.sessionIdle()));
    }

    public void end(@Nullable String cookieValue) {
        if (cookieValue != null && cookieValue.length() <= 100) {
            store.endSession(hash(cookieValue), clock.instant());
        }
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hash(String secret) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
