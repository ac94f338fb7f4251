package dev.tollgate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The wall clock plus an offset that tests move forward, to pass trial ends and period ends without
 * waiting. It only moves forward, so data made by earlier tests never lies in the future.
 */
public final class TestClock extends Clock {

    /** The one test clock of the test JVM, shared by the suite's context and every node a test starts. */
    public static final TestClock SHARED = new TestClock();

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("the test clock only moves forward");
        }
        offset.accumulateAndGet(by, Duration::plus);
    }

    /** Moves the clock forward to {@code at}, which must not be in this clock's past. */
    public void advanceTo(Instant at) {
        advance(Duration.between(instant(), at));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** A view in another zone that still follows this clock's moves. */
    @Override
    public Clock withZone(ZoneId zone) {
        TestClock source = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return source.withZone(other);
            }

            @Override
            public Instant instant() {
                return source.instant();
            }
        };
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }
}
