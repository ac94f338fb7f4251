package dev.tollgate.spring;

import dev.tollgate.client.DecisionListener;
import dev.tollgate.client.DenialReason;
import dev.tollgate.client.ReservationDetails;
import dev.tollgate.client.ReserveRequest;
import dev.tollgate.client.TollgateException;
import java.time.Duration;
import java.util.List;

/** Every listener the application declared, plus the meters, as the client's one listener. */
final class DecisionListeners implements DecisionListener {

    private final List<DecisionListener> listeners;

    DecisionListeners(List<DecisionListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void approved(ReserveRequest request, ReservationDetails reservation, boolean provisional,
            Duration latency) {
        listeners.forEach(listener -> listener.approved(request, reservation, provisional, latency));
    }

    @Override
    public void denied(ReserveRequest request, DenialReason reason, Duration latency) {
        listeners.forEach(listener -> listener.denied(request, reason, latency));
    }

    @Override
    public void failed(ReserveRequest request, TollgateException error, Duration latency) {
        listeners.forEach(listener -> listener.failed(request, error, latency));
    }
}
