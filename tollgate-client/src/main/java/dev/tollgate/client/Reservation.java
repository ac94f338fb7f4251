package dev.tollgate.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An approved reservation. Exactly one of {@link #commit} or {@link #release} settles it; closing one
 * that was never settled releases it, so a model call that throws gives its reservation back:
 *
 * <pre>{@code
 * try (Reservation reservation = tollgate.reserve(request)) {
 *     var answer = model.call(prompt);
 *     reservation.commit(Usage.of(answer.inputTokens(), answer.outputTokens()));
 * }
 * }</pre>
 *
 * A provisional reservation was approved locally by fail-open; its commit is recorded when Tollgate is back.
 */
public final class Reservation implements AutoCloseable {

    private enum State { PENDING, SETTLING, COMMITTED, RELEASED }

    private final ReservationDetails details;
    private final ReserveRequest request;
    private final Transport transport;
    private final Backlog backlog;
    private final boolean provisional;
    private final AtomicReference<State> state = new AtomicReference<>(State.PENDING);

    Reservation(ReservationDetails details, ReserveRequest request, Transport transport, Backlog backlog,
            boolean provisional) {
        this.details = details;
        this.request = request;
        this.transport = transport;
        this.backlog = backlog;
        this.provisional = provisional;
    }

    public String id() {
        return details.id();
    }

    public ReservationDetails details() {
        return details;
    }

    public List<Warning> warnings() {
        return details.warnings();
    }

    public boolean provisional() {
        return provisional;
    }

    /** Records what the call really used; more than reserved is accepted and recorded as overage. */
    public UsageRecord commit(Usage usage) {
        settle();
        try {
            UsageRecord record = provisional ? queue(usage) : commitRemote(usage);
            state.set(State.COMMITTED);
            return record;
        } catch (RuntimeException failed) {
            // Not settled: close() may still release it, and a later commit may still be tried.
            state.set(State.PENDING);
            throw failed;
        }
    }

    /** Gives the reserved amounts back; the call did not happen or failed before the provider charged. */
    public void release() {
        settle();
        try {
            if (provisional) {
                backlog.free(request.estimatedTokens());
            } else {
                transport.post("/v1/reservations/" + Paths.segment(id()) + "/release", null);
            }
            state.set(State.RELEASED);
        } catch (RuntimeException failed) {
            state.set(State.PENDING);
            throw failed;
        }
    }

    /** Releases the reservation if nothing settled it. */
    @Override
    public void close() {
        if (state.get() == State.PENDING) {
            release();
        }
    }

    private void settle() {
        State now = state.get();
        if (now != State.PENDING || !state.compareAndSet(State.PENDING, State.SETTLING)) {
            throw new IllegalStateException(
                    "reservation " + id() + " is already " + now.name().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Commits with one key for all tries. Under fail-open, a commit that cannot reach Tollgate is queued
     * with that same key and sent when Tollgate is back: Tollgate accepts a commit even after expiry,
     * and usage that the provider already billed must not be lost.
     */
    private UsageRecord commitRemote(Usage usage) {
        String path = "/v1/reservations/" + Paths.segment(id()) + "/commit";
        String key = UUID.randomUUID().toString();
        try {
            return Json.read(transport.post(path, usage, key), UsageRecord.class);
        } catch (TollgateUnavailableException unreachable) {
            if (!backlog.enabled()) {
                throw unreachable;
            }
            backlog.enqueue(new Backlog.Post(path, usage, key, usage.inputTokens() + usage.outputTokens()), 0);
            return unrecorded(usage, id(), usage.metadata());
        }
    }

    private UsageRecord queue(Usage usage) {
        Map<String, Object> metadata = new LinkedHashMap<>(usage.metadata() == null ? Map.of() : usage.metadata());
        // Marks what was approved without Tollgate, so reports can tell it apart.
        metadata.put("fail_open", true);
        metadata.put("provisional_reservation_id", id());
        UsageRequest body = UsageRequest.of(request, usage, metadata);
        long total = usage.inputTokens() + usage.outputTokens();
        backlog.enqueue(new Backlog.Post("/v1/usage", body, UUID.randomUUID().toString(), total),
                request.estimatedTokens());
        return unrecorded(usage, null, metadata);
    }

    /** The usage as it will be recorded; what only Tollgate knows (id, cost, overage) is not known yet. */
    private UsageRecord unrecorded(Usage usage, String reservationId, Map<String, Object> metadata) {
        return new UsageRecord(null, request.accountId(), reservationId, request.provider(),
                usage.model() != null ? usage.model() : request.model(), usage.inputTokens(), usage.outputTokens(),
                usage.cachedInputTokens() == null ? 0 : usage.cachedInputTokens(),
                usage.cacheWriteInputTokens() == null ? 0 : usage.cacheWriteInputTokens(),
                usage.cacheWrite1hInputTokens() == null ? 0 : usage.cacheWrite1hInputTokens(),
                usage.inputTokens() + usage.outputTokens(), null, Boolean.TRUE.equals(request.byok()), 0,
                request.jobType(), request.jobId(), request.conversationId(), usage.durationMs(), metadata, null, null);
    }
}
