package dev.tollgate.event;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the live event streams ({@code tollgate.events.stream.*}). New events are found by polling
 * the event table every {@code pollInterval} while at least one stream is open; an id that is skipped
 * (its transaction still running) is looked for again for {@code gapWait}.
 */
@ConfigurationProperties("tollgate.events.stream")
record EventStreamProperties(
        @DefaultValue("5") int maxPerAccount,
        @DefaultValue("1000") int maxTotal,
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("250ms") Duration pollInterval,
        @DefaultValue("1h") Duration maxDuration,
        @DefaultValue("30s") Duration gapWait) {

    EventStreamProperties {
        if (maxPerAccount < 1 || maxTotal < maxPerAccount) {
            throw new IllegalArgumentException(
                    "tollgate.events.stream needs max-per-account >= 1 and max-total >= max-per-account");
        }
        for (var duration : new Duration[] {heartbeat, pollInterval, maxDuration, gapWait}) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("tollgate.events.stream durations must be positive");
            }
        }
    }
}
