package dev.tollgate.event;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of outgoing webhook delivery ({@code tollgate.webhooks.*}). Attempt {@code n} that fails is
 * retried after {@code retryDelays[n-1]} (the last delay repeats), varied by {@code jitter}, until
 * {@code maxAttempts}; the defaults spread 11 attempts over about a day.
 */
@ConfigurationProperties("tollgate.webhooks")
record WebhookProperties(
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("15s") Duration readTimeout,
        @DefaultValue("50") int batchSize,
        @DefaultValue("11") int maxAttempts,
        @DefaultValue({"5s", "30s", "2m", "10m", "30m", "1h", "2h", "4h", "8h", "8h"}) List<Duration> retryDelays,
        @DefaultValue("0.2") double jitter,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("30d") Duration retention,
        @DefaultValue("false") boolean allowPrivateNetworks) {

    static final int BATCH_SIZE_MAX = 1000;
    static final int MAX_ATTEMPTS_MAX = 100;

    WebhookProperties {
        requirePositive(connectTimeout, "connect-timeout");
        requirePositive(readTimeout, "read-timeout");
        requirePositive(pollInterval, "poll-interval");
        requirePositive(retention, "retention");
        if (batchSize < 1 || batchSize > BATCH_SIZE_MAX) {
            throw new IllegalArgumentException("tollgate.webhooks.batch-size must be 1.." + BATCH_SIZE_MAX);
        }
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_MAX) {
            throw new IllegalArgumentException("tollgate.webhooks.max-attempts must be 1.." + MAX_ATTEMPTS_MAX);
        }
        retryDelays = List.copyOf(retryDelays);
        if (retryDelays.isEmpty()) {
            throw new IllegalArgumentException("tollgate.webhooks.retry-delays needs at least one delay");
        }
        retryDelays.forEach(delay -> requirePositive(delay, "retry-delays"));
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("tollgate.webhooks.jitter must be in [0, 1)");
        }
        // A lease shorter than one attempt would let a second worker send the same delivery while the
        // first is still waiting for the receiver.
        if (lease.compareTo(connectTimeout.plus(readTimeout).plusSeconds(5)) < 0) {
            throw new IllegalArgumentException(
                    "tollgate.webhooks.lease must exceed connect-timeout + read-timeout by at least 5s");
        }
    }

    /** How long to wait after failed attempt number {@code attempt} (1-based), before jitter. */
    Duration retryDelay(int attempt) {
        return retryDelays.get(Math.min(attempt, retryDelays.size()) - 1);
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("tollgate.webhooks." + name + " must be positive");
        }
    }
}
