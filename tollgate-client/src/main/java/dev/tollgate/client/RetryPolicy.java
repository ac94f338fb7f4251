package dev.tollgate.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often a call is tried when Tollgate cannot be reached or answers "try again". Every try of one
 * logical call carries the same Idempotency-Key, so a retry of a commit whose answer was lost returns
 * the first answer instead of charging twice.
 *
 * @param attemptsMax tries in all, the first included
 * @param backoffInitial the wait before the second try; each later wait doubles, up to {@code backoffMax}
 */
public record RetryPolicy(int attemptsMax, Duration backoffInitial, Duration backoffMax) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(2));
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (attemptsMax < 1) {
            throw new IllegalArgumentException("attemptsMax must be at least 1, was " + attemptsMax);
        }
        Objects.requireNonNull(backoffInitial, "backoffInitial");
        Objects.requireNonNull(backoffMax, "backoffMax");
        if (backoffInitial.isNegative() || backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("backoffs must satisfy 0 <= backoffInitial <= backoffMax");
        }
    }

    /** Full jitter over the doubled wait, so that many clients retrying after one outage do not retry in step. */
    Duration backoff(int failedAttempts) {
        long capMillis = backoffMax.toMillis();
        long exponential = backoffInitial.toMillis() << Math.min(failedAttempts - 1, 20);
        long bound = Math.max(1, Math.min(capMillis, exponential));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(bound / 2, bound + 1));
    }
}
