package dev.tollgate.platform;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;

/**
 * Caches of lookups that expire on the application's clock, so that a test which advances its clock
 * expires them too, and that keep the most used entries up to a size, so that a flood of made-up keys
 * cannot flush the real ones.
 */
public final class ClockCaches {

    private ClockCaches() {}

    public static <K, V> Cache<K, V> expiringAfterWrite(Clock clock, Duration timeToLive, int entriesMax) {
        return Caffeine.newBuilder()
                .maximumSize(entriesMax)
                .expireAfterWrite(timeToLive)
                .ticker(() -> {
                    var now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .build();
    }
}
