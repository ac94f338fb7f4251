package dev.tollgate.gateway;

import dev.tollgate.ledger.RequestGate;
import dev.tollgate.ledger.RequestGate.Lane;
import dev.tollgate.ledger.RequestGateSettings;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Bounds how many of the gateway's calls into the ledger run at once, in a request gate of their own sized
 * like the API's ({@code tollgate.request-gate.*}). A thousand streams that start or end together then wait
 * parked for a permit, costing nothing, instead of all asking the connection pool at once and timing out
 * there (measured: 22 % of 1,000 simultaneous streams were refused {@code 503} without this).
 *
 * <p>Reservations go first, as in the API's gate: a reservation decides whether a call may start, while a
 * settlement ends a call whose upstream has already answered. The gateway's calls do not pass the API's
 * servlet filter, so they need a gate of their own; it is the same class, with the same lanes.
 */
@Component
class LedgerGate {

    private final @Nullable RequestGate gate;

    LedgerGate(RequestGateSettings settings) {
        this.gate = settings.enabled() ? settings.newGate(Runtime.getRuntime().availableProcessors()) : null;
    }

    <T> T call(Lane lane, Supplier<T> work) {
        if (gate == null) {
            return work.get();
        }
        gate.enter(lane);
        try {
            return work.get();
        } finally {
            gate.leave(lane);
        }
    }
}
