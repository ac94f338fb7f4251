package dev.tollgate.gateway;

import dev.tollgate.gateway.GatewaySettings.OnDisconnect;
import dev.tollgate.pricing.TokenEstimator;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

/**
 * Relays a streamed answer event by event, each flushed to the client as soon as it arrives, and commits
 * what the stream used. When the client goes away: with {@code on-disconnect: cancel} the upstream call is
 * cancelled and the streamed text is committed, counted by the tokenizer (marked estimated) unless the
 * provider's usage had already arrived; with {@code drain} the upstream is read on to its final usage,
 * off the request thread, at most {@code drains-max} streams at once and for at most {@code drain-timeout}
 * each, falling back to cancel. An upstream that breaks off, or sends nothing for {@code read-timeout}, is
 * cut off and what was streamed is committed the same way: the provider bills it.
 */
@Component
// Stopped before the ledger (and the database), so the drains cut off at shutdown still commit what they streamed.
@DependsOn("ledger")
class StreamRelay implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(StreamRelay.class);
    private static final Duration IDLE_CHECK_MIN = Duration.ofMillis(100);
    private static final Duration DRAINS_STOP_WAIT_MAX = Duration.ofSeconds(5);

    private final TokenEstimator tokens;
    private final GatewaySettings settings;
    private final Semaphore drains;
    /** Watches for upstreams that fall silent; one platform thread does a few checks per stream and timeout. */
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("gateway-stream-watchdog").factory());

    /** Runs the drains, one virtual thread each; {@code drains-max} bounds how many at once. */
    private final ExecutorService drainer = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Session> openDrains = ConcurrentHashMap.newKeySet();

    StreamRelay(TokenEstimator tokens, GatewaySettings settings) {
        this.tokens = tokens;
        this.settings = settings;
        this.drains = new Semaphore(settings.drainsMax());
    }

    void relay(Provider provider, CallRequest call, HttpResponse<InputStream> upstream, Settlement settlement,
            HttpServletResponse response) throws IOException {
        response.setStatus(upstream.statusCode());
        UpstreamMessages.copyHeaders(upstream, response);
        response.setHeader("Cache-Control", "no-cache");
        // Streamed headers go first, so the remaining tokens are those after the reservation.
        Relay.tollgateHeaders(response, settlement, settlement.reserved().remaining().tokens());
        var session = new Session(provider, call, settlement, response.getOutputStream(), upstream.body());
        long checkNanos = Math.max(IDLE_CHECK_MIN.toNanos(), settings.readTimeout().toNanos() / 4);
        session.idle = watchdog.scheduleWithFixedDelay(session::closeIfIdle, checkNanos, checkNanos,
                TimeUnit.NANOSECONDS);
        boolean handedOver = false;
        try {
            response.flushBuffer();
            if (session.run()) {
                drainLater(session);
                handedOver = true;
            }
        } catch (IOException broke) {
            session.broke(broke);
        } finally {
            if (!handedOver) {
                session.end();
            }
        }
    }

    /**
     * Reads a stream whose client has left on to its end off the request thread, so that a drain holds no
     * request open. When the node is shutting down the stream ends here instead, with what it streamed.
     */
    private void drainLater(Session session) {
        openDrains.add(session);
        session.settlement.handOver();
        try {
            drainer.execute(() -> {
                try {
                    session.run();
                } catch (IOException broke) {
                    session.broke(broke);
                } finally {
                    openDrains.remove(session);
                    session.end();
                }
            });
        } catch (RejectedExecutionException stopping) {
            openDrains.remove(session);
            session.end();
        }
    }

    /**
     * Cuts off the streams still draining (each commits what it streamed, counted by the tokenizer) and waits
     * briefly for them, so their usage is committed before the database closes.
     */
    @Override
    public void destroy() throws InterruptedException {
        watchdog.shutdownNow();
        drainer.shutdown();
        openDrains.forEach(Session::cutOff);
        if (!drainer.awaitTermination(DRAINS_STOP_WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("{} drained streams did not end in {}; their reservations expire", openDrains.size(),
                    DRAINS_STOP_WAIT_MAX);
        }
    }

    /**
     * One stream's state, used by one thread at a time (its request's, then its drain's, handed over by the
     * executor), except the watchdog's read of the last event time and its closing of the body.
     */
    private final class Session {

        private final Provider provider;
        private final CallRequest call;
        private final Settlement settlement;
        private final OutputStream out;
        private final InputStream body;
        private final InputStream in;
        private final StreamTracker tracker;
        private volatile @Nullable ScheduledFuture<?> idle;
        private volatile long lastEventNanos = System.nanoTime();
        private @Nullable OnDisconnect disconnect;
        private boolean draining;
        private long drainDeadlineNanos;
        private boolean committed;
        private volatile boolean interrupted;

        Session(Provider provider, CallRequest call, Settlement settlement, OutputStream out, InputStream body) {
            this.provider = provider;
            this.call = call;
            this.settlement = settlement;
            this.out = out;
            this.body = body;
            this.in = new BufferedInputStream(body);
            this.tracker = new StreamTracker(call.endpoint(), call.clientWantsUsage());
        }

        /**
         * Relays events until the stream ends or the client leaves; true when the client has just left and the
         * rest is to be drained (by calling this again, on another thread).
         */
        boolean run() throws IOException {
            while (true) {
                var event = SseEvent.read(in);
                if (event.isEmpty()) {
                    interrupted |= !tracker.finished();
                    return false;
                }
                lastEventNanos = System.nanoTime();
                Optional<byte[]> toClient = tracker.observe(event.get());
                if (!committed && tracker.finished() && tracker.reported().isPresent()) {
                    // Settled before the last event goes out: once the client has seen the end, its usage is recorded.
                    commitIfOpen();
                }
                if (draining && (System.nanoTime() > drainDeadlineNanos || tracker.finished())) {
                    return false;
                }
                if (toClient.isPresent() && disconnect == null) {
                    if (!forward(toClient.get())) {
                        return false; // Ending closes the upstream body, which cancels the upstream call.
                    }
                    if (disconnect != null) {
                        return true;
                    }
                }
            }
        }

        /** Writes one event; false when the client has gone and the stream is not drained. */
        private boolean forward(byte[] event) {
            try {
                out.write(event);
                out.flush();
                return true;
            } catch (IOException gone) {
                draining = settings.onDisconnect() == OnDisconnect.DRAIN && drains.tryAcquire();
                disconnect = draining ? OnDisconnect.DRAIN : OnDisconnect.CANCEL;
                drainDeadlineNanos = System.nanoTime() + settings.drainTimeout().toNanos();
                return draining;
            }
        }

        void closeIfIdle() {
            if (System.nanoTime() - lastEventNanos > settings.readTimeout().toNanos()) {
                cutOff();
            }
        }

        /** Closes the upstream body, which wakes the blocked read, which then ends the stream. */
        void cutOff() {
            interrupted = true;
            try {
                body.close();
            } catch (IOException e) {
                log.debug("Closing a {} stream failed: {}", provider.name(), e.toString());
            }
        }

        void broke(IOException broke) {
            interrupted = true;
            log.debug("The {} stream broke off: {}", provider.name(), broke.toString());
        }

        /** The one way out of every stream: stop watching, give the drain back, close upstream, commit. */
        void end() {
            var watching = idle;
            if (watching != null) {
                watching.cancel(false);
            }
            if (draining) {
                draining = false;
                drains.release();
            }
            try {
                in.close();
            } catch (IOException e) {
                log.debug("Closing a {} stream failed: {}", provider.name(), e.toString());
            }
            commitIfOpen();
        }

        void commitIfOpen() {
            if (committed) {
                return;
            }
            committed = true;
            Usage usage = tracker.reported().orElseGet(() -> tracker.estimate(call.inputTokens(),
                    tokens.countText(provider.name(), call.model(), tracker.streamedText())));
            var metadata = Relay.metadata(call, usage, disconnect);
            if (interrupted && !tracker.finished()) {
                metadata.put("stream_interrupted", true);
            }
            try {
                settlement.commit(usage, metadata);
            } catch (RuntimeException e) {
                // The answer is the client's whatever the ledger says, so the stream goes on; the reservation
                // stays pending and expires (README "Use the gateway": what a lost commit bills).
                log.error("The usage of reservation {} ({} in, {} out) could not be committed: {}",
                        settlement.reserved().reservation().id(), usage.inputTokens(), usage.outputTokens(),
                        e.toString());
            }
        }
    }
}
