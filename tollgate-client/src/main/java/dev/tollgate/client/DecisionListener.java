package dev.tollgate.client;

import java.time.Duration;

/**
 * Hears every reservation decision with its latency, for metrics and logs (the Spring Boot starter
 * turns these into Micrometer meters). Called on the reserving thread; keep it quick and never throw.
 */
public interface DecisionListener {

    DecisionListener NONE = new DecisionListener() {};

    /** Approved by Tollgate, or, when {@code provisional}, locally by fail-open while Tollgate was unreachable. */
    default void approved(ReserveRequest request, ReservationDetails reservation, boolean provisional,
            Duration latency) {}

    default void denied(ReserveRequest request, DenialReason reason, Duration latency) {}

    /** No decision: Tollgate was unreachable (and fail-open had no room) or refused the request itself. */
    default void failed(ReserveRequest request, TollgateException error, Duration latency) {}
}
