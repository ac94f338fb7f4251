package dev.tollgate.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import dev.tollgate.account.Accounts;
import dev.tollgate.platform.AccountGuard;
import dev.tollgate.platform.ClockCaches;
import dev.tollgate.platform.Ids;
import dev.tollgate.platform.security.ApiKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Gateway keys: created per account (shown once, stored as SHA-256), listed, revoked. A lookup is cached
 * for at most {@link #CACHE_TTL} on the application's clock, so a revoked key stops working on every node
 * within a second without a database round trip on every proxied call; the cache keeps the most used of
 * at most {@link #CACHE_ENTRIES_MAX} lookups. Expiry is checked on every call against the clock.
 */
@Service
public class GatewayKeys {

    public static final String SECRET_PREFIX = "tgv_";
    static final Duration CACHE_TTL = Duration.ofSeconds(1);
    private static final int CACHE_ENTRIES_MAX = 10_000;
    private static final int SECRET_BYTES = 30;
    private static final int PREFIX_LENGTH = 10;

    private final GatewayKeyStore store;
    private final Accounts accounts;
    private final Clock clock;
    private final Cache<String, Optional<GatewayKey>> cache;

    GatewayKeys(GatewayKeyStore store, Accounts accounts, Clock clock) {
        this.store = store;
        this.accounts = accounts;
        this.clock = clock;
        this.cache = ClockCaches.expiringAfterWrite(clock, CACHE_TTL, CACHE_ENTRIES_MAX);
    }

    @Transactional
    public CreatedGatewayKey create(String accountId, @Nullable String name, @Nullable Instant expiresAt,
            List<String> models) {
        if (!accounts.exists(accountId)) {
            throw AccountGuard.notFound(accountId);
        }
        String secret = SECRET_PREFIX + Ids.secret(SECRET_BYTES);
        var key = new GatewayKey(Ids.next("gwk", clock), accountId, name, secret.substring(0, PREFIX_LENGTH), models,
                clock.instant(), expiresAt, null);
        store.insert(key, ApiKeys.hash(secret));
        return new CreatedGatewayKey(key, secret);
    }

    public List<GatewayKey> list(String accountId, String afterId, int limit) {
        return store.list(accountId, afterId, limit);
    }

    public Optional<GatewayKey> find(String accountId, String id) {
        return store.find(accountId, id);
    }

    @Transactional
    public Optional<GatewayKey> revoke(String accountId, String id) {
        store.revoke(accountId, id, clock.instant());
        cache.invalidateAll();
        return store.find(accountId, id);
    }

    /**
     * The key a secret stands for, if it is active now. The lookup runs outside the cache's lock, as
     * {@link ApiKeys#authenticate} explains.
     */
    public Optional<GatewayKey> authenticate(String secret) {
        String hash = ApiKeys.hash(secret);
        @Nullable Optional<GatewayKey> cached = cache.getIfPresent(hash);
        Optional<GatewayKey> key = cached != null ? cached : store.findByHash(hash);
        if (cached == null) {
            cache.put(hash, key);
        }
        return key.filter(found -> found.activeAt(clock.instant()));
    }
}
