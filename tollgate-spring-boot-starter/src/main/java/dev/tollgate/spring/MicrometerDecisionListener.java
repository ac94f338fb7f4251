package dev.tollgate.spring;

import dev.tollgate.client.DecisionListener;
import dev.tollgate.client.DenialReason;
import dev.tollgate.client.ReservationDetails;
import dev.tollgate.client.ReserveRequest;
import dev.tollgate.client.TollgateException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Decisions as meters: {@code tollgate.client.reserve} is a timer tagged with the {@code outcome}
 * (approved, provisional, denied, failed) and the denial {@code reason} (none unless denied), so one
 * meter gives both the count of decisions by reason and the reserve latency.
 */
public final class MicrometerDecisionListener implements DecisionListener {

    public static final String RESERVE_TIMER = "tollgate.client.reserve";

    private final ObjectProvider<MeterRegistry> registries;
    private volatile MeterRegistry registry;

    /**
     * The registry is looked up on the first decision, not here: the client (and this listener) may be
     * created before the application's registry is, whatever the order of auto-configurations.
     */
    public MicrometerDecisionListener(ObjectProvider<MeterRegistry> registries) {
        this.registries = registries;
    }

    @Override
    public void approved(ReserveRequest request, ReservationDetails reservation, boolean provisional,
            Duration latency) {
        record(provisional ? "provisional" : "approved", "none", latency);
    }

    @Override
    public void denied(ReserveRequest request, DenialReason reason, Duration latency) {
        record("denied", reason.name().toLowerCase(Locale.ROOT), latency);
    }

    @Override
    public void failed(ReserveRequest request, TollgateException error, Duration latency) {
        record("failed", "none", latency);
    }

    private void record(String outcome, String reason, Duration latency) {
        MeterRegistry target = registry;
        if (target == null) {
            target = registries.getIfAvailable();
            if (target == null) {
                return;
            }
            registry = target;
        }
        Timer.builder(RESERVE_TIMER)
                .description("Tollgate reservations: the decision and how long it took")
                .tag("outcome", outcome)
                .tag("reason", reason)
                .register(target)
                .record(latency);
    }
}
