package dev.tollgate.ledger;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How many metering requests (reserve, commit, release, usage) a node works on at once, per processor
 * it may use, how many of them may be settlements, and how long a settlement may be held back behind
 * reservations. With {@code enabled} false every request goes straight in. This gate is about load, not
 * budgets: "admission" names the budget rule only. The former names {@code tollgate.admission.*} (and
 * their {@code TOLLGATE_ADMISSION_*} variables) still work, as deprecated aliases resolved in
 * {@code application.yml}.
 */
@ConfigurationProperties("tollgate.request-gate")
public record RequestGateSettings(
        boolean enabled, int permitsPerCore, int settlementPermitsPerCore, Duration settlementWaitMax) {

    public RequestGateSettings {
        if (permitsPerCore < 1 || settlementPermitsPerCore < 1 || settlementPermitsPerCore > permitsPerCore) {
            throw new IllegalArgumentException("tollgate.request-gate needs permits-per-core >= 1 and "
                    + "settlement-permits-per-core within 1..permits-per-core, were " + permitsPerCore + " and "
                    + settlementPermitsPerCore);
        }
        if (settlementWaitMax.isNegative()) {
            throw new IllegalArgumentException("tollgate.request-gate.settlement-wait-max must not be negative");
        }
    }

    /**
     * A gate of this size for a node with {@code cores} processors, for a caller that bounds its own calls
     * into the ledger in a gate of its own (the gateway's reserves and settlements).
     */
    public RequestGate newGate(int cores) {
        return new RequestGate(permits(cores), settlementPermits(cores), settlementWaitMax, System::nanoTime);
    }

    int permits(int cores) {
        return permitsPerCore * cores;
    }

    int settlementPermits(int cores) {
        return settlementPermitsPerCore * cores;
    }
}
