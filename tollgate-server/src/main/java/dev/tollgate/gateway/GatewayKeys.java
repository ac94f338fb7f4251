package dev.tollgate.gateway;

import dev.tollgate.account.Accounts;
import dev.tollgate.platform.AccountGuard;
import dev.tollgate.platform.Ids;
import dev.tollgate.platform.security.ApiKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Gateway keys: created per account (shown once, stored as SHA-256), listed, revoked. A lookup is cached
 * for at most {@link #CACHE_TTL}, so a revoked key stops working on every node within a second without a
 * database round trip on every proxied call; expiry is checked on every call against the clock.
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
    private final ConcurrentHashMap<String, CachedLookup> cache = new ConcurrentHashMap<>();

    GatewayKeys(GatewayKeyStore store, Accounts accounts, Clock clock) {
        this.store = store;
        this.accounts = accounts;
        this.clock = clock;
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
        cache.clear();
        return store.find(accountId, id);
    }

    /** The key a secret stands for, if it is active now. */
    public Optional<GatewayKey> authenticate(String secret) {
        String hash = ApiKeys.hash(secret);
        long now = System.nanoTime();
        CachedLookup cached = cache.get(hash);
        GatewayKey key;
        if (cached != null && now - cached.loadedAtNanos() < CACHE_TTL.toNanos()) {
            key = cached.key();
        } else {
            key = store.findByHash(hash).orElse(null);
            if (cache.size() >= CACHE_ENTRIES_MAX) {
                cache.clear();
            }
            cache.put(hash, new CachedLookup(key, now));
        }
        return Optional.ofNullable(key).filter(found -> found.activeAt(clock.instant()));
    }

    private record CachedLookup(@Nullable GatewayKey key, long loadedAtNanos) {}
}
