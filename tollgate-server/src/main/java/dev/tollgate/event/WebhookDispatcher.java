package dev.tollgate.event;

import dev.tollgate.event.WebhookDelivery.Status;
import dev.tollgate.event.WebhookStore.ClaimedDelivery;
import dev.tollgate.platform.DatabaseFailures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends the outbox to webhook endpoints. Each instance runs one loop that claims due deliveries
 * (leased, so instances never share one) as long as it has free slots ({@code batch-size} queues in
 * work at most). Each claimed delivery starts a virtual thread that posts it and, once it succeeds,
 * goes on with the next event of the same account and endpoint, so a backlog drains without a search
 * per event and a slow receiver holds up only its own queue. A failed attempt is retried with
 * exponential backoff and jitter until the attempts run out. Nothing here holds a database
 * transaction across an HTTP call.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final String USER_AGENT = "Tollgate-Webhooks/1";
    private static final int ERROR_LENGTH_MAX = 500;
    private static final int PURGE_BATCH_SIZE = 1000;
    /** Events one worker sends in a row from one queue before it lets the loop pick work again. */
    private static final int CHAIN_LENGTH_MAX = 100;
    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);
    /** How long a stopping instance waits for attempts in flight before it gives their leases up to expiry. */
    private static final Duration STOP_WAIT_MAX = Duration.ofSeconds(30);

    private final WebhookStore store;
    private final WebhookProperties properties;
    private final Clock clock;
    private final JsonMapper json;
    private final HttpClient http;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private final Semaphore slots;
    private final Duration attemptDeadline;
    private volatile boolean running;
    private boolean wakeRequested;
    private @Nullable Thread loop;
    private @Nullable ExecutorService attempts;
    private Instant nextPurgeAt = Instant.MIN;
    /**
     * Whether any endpoint is registered, as this node last looked. Without one no delivery can have been
     * enqueued, so an appended event does not wake the loop: a wake per commit would cost a claim query per
     * metered request. An endpoint registered on another node is seen by the next poll, which also claims
     * the deliveries enqueued meanwhile.
     */
    private volatile boolean endpointsLive = true;
    private Instant nextEndpointCheckAt = Instant.MIN;

    WebhookDispatcher(WebhookStore store, WebhookProperties properties, Clock clock, JsonMapper json) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
        this.json = json;
        this.slots = new Semaphore(properties.batchSize());
        this.attemptDeadline = properties.connectTimeout().plus(properties.readTimeout());
        // Redirects are not followed: a delivery goes only to the URL an admin registered.
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public void start() {
        attempts = Executors.newVirtualThreadPerTaskExecutor();
        running = true;
        loop = Thread.ofPlatform().name("webhook-dispatcher").daemon().start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        wake();
        var thread = loop;
        try {
            if (thread != null) {
                thread.join(STOP_WAIT_MAX.toMillis());
            }
            // Lets attempts in flight record their outcome, so that no lease is left to expire.
            if (slots.tryAcquire(properties.batchSize(), STOP_WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS)) {
                slots.release(properties.batchSize());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        var executor = attempts;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Events were appended and committed: their deliveries, if any, go out now instead of at the next poll. */
    void eventsCommitted() {
        if (endpointsLive) {
            wake();
        }
    }

    /** An endpoint was registered on this node: the events appended from now on are delivered at once. */
    void endpointRegistered() {
        endpointsLive = true;
    }

    /** Asks the loop to look for due work now instead of at its next poll. */
    void wake() {
        lock.lock();
        try {
            wakeRequested = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        boolean databaseDown = false;
        while (running) {
            int claimed = 0;
            try {
                checkEndpointsIfDue();
                claimed = dispatchOnce();
                purgeIfDue();
                if (databaseDown) {
                    log.info("Webhook dispatch resumed: the database is reachable again");
                    databaseDown = false;
                }
            } catch (RuntimeException e) {
                // The leases of anything claimed expire and are retried. An outage fails every poll until it
                // ends, so it is logged when it begins and when it ends, not once a poll.
                if (!DatabaseFailures.unavailable(e)) {
                    log.warn("Webhook dispatch failed: {}", e.toString());
                } else if (!databaseDown) {
                    log.warn("Webhook dispatch paused, database unavailable: {}", DatabaseFailures.describe(e));
                    databaseDown = true;
                }
            }
            if (claimed == 0 && running) {
                sleep(properties.pollInterval());
            }
        }
    }

    /** Claims as many due deliveries as there are free slots and starts them; returns how many. */
    int dispatchOnce() {
        int free = slots.availablePermits();
        if (free == 0) {
            return 0;
        }
        var executor = attempts;
        if (executor == null) {
            throw new IllegalStateException("the dispatcher is not started");
        }
        Instant now = clock.instant();
        var claimed = store.claim(now, now.plus(properties.lease()), UUID.randomUUID(), free);
        for (var delivery : claimed) {
            // Only this loop acquires, so the permits counted above are still there.
            slots.acquireUninterruptibly();
            executor.execute(() -> {
                try {
                    work(delivery);
                } catch (RuntimeException e) {
                    log.warn("Webhook attempt {} could not be recorded: {}", delivery, e.toString());
                } finally {
                    slots.release();
                    wake();
                }
            });
        }
        return claimed.size();
    }

    private void work(ClaimedDelivery first) {
        var delivery = first;
        for (int sent = 1; attempt(delivery) && sent < CHAIN_LENGTH_MAX && running; sent++) {
            Instant now = clock.instant();
            var next = store.claimNext(delivery, now, now.plus(properties.lease()));
            if (next.isEmpty()) {
                return;
            }
            delivery = next.get();
        }
    }

    /** Makes one attempt and records it; true if the receiver accepted the event. */
    private boolean attempt(ClaimedDelivery delivery) {
        if (!properties.allowPrivateNetworks()) {
            var refusal = WebhookTargets.refusal(URI.create(delivery.url()));
            if (refusal.isPresent()) {
                failed(delivery, null, "refused: " + refusal.get());
                return false;
            }
        }
        var event = delivery.event();
        String body = json.writeValueAsString(EventPayload.of(event));
        long timestamp = clock.instant().getEpochSecond();
        var request = HttpRequest.newBuilder(URI.create(delivery.url()))
                .timeout(properties.readTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("webhook-id", event.publicId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.sign(delivery.secret(), event.publicId(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        Integer status = null;
        String error;
        // The request timeout covers only the wait for the response headers; the deadline on the
        // future also bounds a receiver that trickles its body, so an attempt never outlives its lease.
        var response = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            status = response.get(attemptDeadline.toMillis(), TimeUnit.MILLISECONDS).statusCode();
            if (status >= 200 && status < 300) {
                store.complete(delivery, Status.SUCCEEDED, clock.instant(), status, null);
                return true;
            }
            error = "HTTP " + status;
        } catch (TimeoutException e) {
            response.cancel(true);
            error = "timed out after " + attemptDeadline.toSeconds() + "s";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            error = cause instanceof HttpTimeoutException ? "timed out: " + cause.getMessage()
                    : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        } catch (InterruptedException e) {
            // Stopping: the lease expires and another attempt is made, by this instance or another.
            response.cancel(true);
            Thread.currentThread().interrupt();
            return false;
        }
        failed(delivery, status, truncate(error));
        return false;
    }

    private void failed(ClaimedDelivery delivery, @Nullable Integer status, String error) {
        Instant now = clock.instant();
        if (delivery.attempt() >= properties.maxAttempts()) {
            log.info("Webhook delivery {} of {} failed for good after {} attempts: {}", delivery.deliveryId(),
                    delivery.event().publicId(), delivery.attempt(), error);
            store.complete(delivery, Status.FAILED, now, status, error);
            return;
        }
        store.retryLater(delivery, now.plus(withJitter(properties.retryDelay(delivery.attempt()))), status, error);
    }

    /** Spreads retries so that endpoints coming back up are not hit by every instance at once. */
    private Duration withJitter(Duration delay) {
        double factor = 1 + ThreadLocalRandom.current().nextDouble(-properties.jitter(), properties.jitter() + 1e-9);
        return Duration.ofMillis(Math.max(1, Math.round(delay.toMillis() * factor)));
    }

    private void checkEndpointsIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextEndpointCheckAt)) {
            return;
        }
        nextEndpointCheckAt = now.plus(properties.pollInterval());
        endpointsLive = store.anyLiveEndpoint();
    }

    private void purgeIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextPurgeAt)) {
            return;
        }
        nextPurgeAt = now.plus(PURGE_INTERVAL);
        int purged = store.purgeCompleted(now.minus(properties.retention()), PURGE_BATCH_SIZE);
        if (purged > 0) {
            log.info("Purged {} finished webhook deliveries older than {}", purged, properties.retention());
        }
    }

    private void sleep(Duration duration) {
        lock.lock();
        try {
            if (!wakeRequested) {
                wakeUp.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            }
            wakeRequested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private static String truncate(String error) {
        return error.length() <= ERROR_LENGTH_MAX ? error : error.substring(0, ERROR_LENGTH_MAX);
    }
}
