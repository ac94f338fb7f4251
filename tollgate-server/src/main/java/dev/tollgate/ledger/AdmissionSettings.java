package dev.tollgate.ledger;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How many metering requests (reserve, commit, release, usage) a node works on at once, per processor
 * it may use, how many of them may be settlements, and how long a settlement may be held back behind
 * reservations. With {@code enabled} false every request goes straight in.
 */
@ConfigurationProperties("tollgate.admission")
public record AdmissionSettings(
        boolean enabled, int permitsPerCore, int settlementPermitsPerCore, Duration settlementWaitMax) {

    public AdmissionSettings {
        if (permitsPerCore < 1 || settlementPermitsPerCore < 1 || settlementPermitsPerCore > permitsPerCore) {
            throw new IllegalArgumentException("tollgate.admission needs permits-per-core >= 1 and settlement-permits-"
                    + "per-core within 1..permits-per-core, were " + permitsPerCore + " and " + settlementPermitsPerCore);
        }
        if (settlementWaitMax.isNegative()) {
            throw new IllegalArgumentException("tollgate.admission.settlement-wait-max must not be negative");
        }
    }

    int permits(int cores) {
        return permitsPerCore * cores;
    }

    int settlementPermits(int cores) {
        return settlementPermitsPerCore * cores;
    }
}
