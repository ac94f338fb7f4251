package dev.tollgate.console;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** The console's sessions ({@code tollgate.console.*}): how long one lasts idle, and at most. */
@ConfigurationProperties("tollgate.console")
record ConsoleProperties(@DefaultValue("30m") Duration sessionIdle, @DefaultValue("12h") Duration sessionMax) {

    ConsoleProperties {
        if (sessionIdle.isNegative() || sessionIdle.isZero() || sessionMax.compareTo(sessionIdle) < 0) {
            throw new IllegalArgumentException(
                    "tollgate.console.session-idle must be positive and at most tollgate.console.session-max");
        }
    }
}
