package dev.tollgate.client;

import java.time.Duration;
import java.util.Objects;

/**
 * What reserve does when Tollgate cannot be reached. Closed (the default) throws
 * {@link TollgateUnavailableException}: no budget, no model call. Open approves locally, up to
 * {@code tokensMax} tokens in flight or waiting to be recorded across the whole client, so an outage
 * costs at most that much unenforced spend; the usage is recorded without a reservation
 * ({@code POST /v1/usage}) once Tollgate answers again, tried every {@code flushInterval}.
 */
public record FailOpen(boolean enabled, long tokensMax, Duration flushInterval) {

    public static final FailOpen CLOSED = new FailOpen(false, 0, Duration.ofSeconds(5));

    public FailOpen {
        Objects.requireNonNull(flushInterval, "flushInterval");
        if (tokensMax < 0) {
            throw new IllegalArgumentException("tokensMax must not be negative");
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flushInterval must be positive");
        }
    }

    public static FailOpen upTo(long tokensMax) {
        return new FailOpen(true, tokensMax, Duration.ofSeconds(5));
    }

    public FailOpen withFlushInterval(Duration interval) {
        return new FailOpen(enabled, tokensMax, interval);
    }
}
