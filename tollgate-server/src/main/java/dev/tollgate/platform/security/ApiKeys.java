package dev.tollgate.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import dev.tollgate.platform.ClockCaches;
import dev.tollgate.platform.Ids;
import dev.tollgate.platform.PlatformProblem;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Validation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Service keys: created with a role, shown once, stored as SHA-256 hashes, revocable. Lookups are
 * cached for at most {@link #CACHE_TTL} so that a revoked key stops working on every node within a
 * second without a database round trip on every request. The cache keeps the most used of at most
 * {@link #CACHE_ENTRIES_MAX} lookups (so a flood of made-up keys cannot flush the real ones) and
 * runs on the application's clock.
 */
@Service
public class ApiKeys {

    public static final String SECRET_PREFIX = "tg_";
    static final String CONFIGURED_ADMIN_KEY_ID = "key_configured_admin";
    static final Duration CACHE_TTL = Duration.ofSeconds(1);
    private static final int CACHE_ENTRIES_MAX = 10_000;
    private static final int SECRET_BYTES = 30;
    private static final int NAME_LENGTH_MAX = 200;

    private final ApiKeyStore store;
    private final Clock clock;
    private final Cache<String, Optional<Caller>> cache;

    ApiKeys(ApiKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.cache = ClockCaches.expiringAfterWrite(clock, CACHE_TTL, CACHE_ENTRIES_MAX);
    }

    @Transactional
    public CreatedApiKey create(String name, Role role) {
        Validation.id(name, "name", NAME_LENGTH_MAX);
        if (role == Role.USER) {
            throw new ProblemException(PlatformProblem.VALIDATION_FAILED,
                    "role must be one of admin, service, read.", java.util.Map.of("field", "role"));
        }
        String secret = SECRET_PREFIX + Ids.secret(SECRET_BYTES);
        var key = new ApiKey(Ids.next("key", clock), name, role, secret.substring(0, 8), clock.instant(), null);
        store.insert(key, hash(secret));
        return new CreatedApiKey(key, secret);
    }

    public List<ApiKey> list(int limit, String after) {
        return store.list(limit, after);
    }

    public Optional<ApiKey> find(String id) {
        return store.find(id);
    }

    @Transactional
    public Optional<ApiKey> revoke(String id) {
        store.revoke(id, clock.instant());
        cache.invalidateAll();
        return store.find(id);
    }

    /**
     * The caller a secret stands for, if it is an active key. The lookup runs outside the cache's lock:
     * while the database is unreachable a lookup that holds it would make every request with the same
     * key wait out the pool's connection timeout in turn, instead of each being refused at once.
     */
    public Optional<Caller> authenticate(String secret) {
        String hash = hash(secret);
        @Nullable Optional<Caller> cached = cache.getIfPresent(hash);
        if (cached != null) {
            return cached;
        }
        Optional<Caller> caller = store.findActiveByHash(hash)
                .filter(stored -> MessageDigest.isEqual(stored.secretHash().getBytes(StandardCharsets.US_ASCII),
                        hash.getBytes(StandardCharsets.US_ASCII)))
                .map(stored -> Caller.key(stored.key().id(), stored.key().role()));
        cache.put(hash, caller);
        return caller;
    }

    /** Installs the configured admin key (TOLLGATE_ADMIN_KEY), replacing an earlier configured value. */
    @Transactional
    void installConfiguredAdminKey(String secret) {
        var key = new ApiKey(CONFIGURED_ADMIN_KEY_ID, "configured admin key (TOLLGATE_ADMIN_KEY)", Role.ADMIN,
                prefixOf(secret), clock.instant(), null);
        store.upsertConfigured(key, hash(secret));
    }

    /** On the very first start, with no key configured, an admin key is generated; returns its secret. */
    @Transactional
    Optional<String> generateFirstAdminKeyIfNone() {
        if (store.anyActiveAdmin()) {
            return Optional.empty();
        }
        return Optional.of(create("generated admin key", Role.ADMIN).secret());
    }

    @Transactional
    void revokeConfiguredAdminKey() {
        store.revoke(CONFIGURED_ADMIN_KEY_ID, clock.instant());
    }

    private static String prefixOf(String secret) {
        return secret.length() <= 4 ? "" : secret.substring(0, Math.min(8, secret.length() / 2));
    }

    /** The SHA-256 of a secret, in hex: how service keys, and the gateway's keys, are stored. */
    public static String hash(String secret) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
