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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Relays a streamed answer event by event, each flushed to the client as soon as it arrives, and commits
 * what the stream used. When the client goes away: with {@code on-disconnect: cancel} the upstream call is
 * cancelled and the streamed text is committed, counted by the tokenizer (marked estimated) unless the
 * provider's usage had already arrived; with {@code drain} the upstream is read on to its final usage,
 * at most {@code drains-max} streams at once and for at most {@code drain-timeout} each, falling back to
 * cancel. An upstream that breaks off, or sends nothing for {@code read-timeout}, is cut off and what was
 * streamed is committed the same way: the provider bills it.
 */
@Component
class StreamRelay implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(StreamRelay.class);
    private static final Duration IDLE_CHECK_MIN = Duration.ofMillis(100);

    private final TokenEstimator tokens;
    private final GatewaySettings settings;
    private final Semaphore drains;
    /** Watches for upstreams that fall silent; one platform thread does a few checks per stream and timeout. */
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("gateway-stream-watchdog").factory());

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
        var session = new Session(provider, call, settlement, response.getOutputStream());
        try (InputStream in = new BufferedInputStream(upstream.body())) {
            long checkNanos = Math.max(IDLE_CHECK_MIN.toNanos(), settings.readTimeout().toNanos() / 4);
            var idle = watchdog.scheduleWithFixedDelay(() -> session.closeIfIdle(upstream.body()), checkNanos,
                    checkNanos, TimeUnit.NANOSECONDS);
            try {
                response.flushBuffer();
                session.run(in);
            } catch (IOException upstreamBroke) {
                session.interrupted = true;
                log.debug("The {} stream broke off: {}", provider.name(), upstreamBroke.toString());
            } finally {
                idle.cancel(false);
                session.endDrain();
            }
        }
        session.commitIfOpen();
    }

    @Override
    public void destroy() {
        watchdog.shutdownNow();
    }

    /** One stream's state; used by its request thread only, except the idle check's read of the last event time. */
    private final class Session {

        private final Provider provider;
        private final CallRequest call;
        private final Settlement settlement;
        private final OutputStream out;
        private final StreamTracker tracker;
        private volatile long lastEventNanos = System.nanoTime();
        private @Nullable OnDisconnect disconnect;
        private boolean draining;
        private long drainDeadlineNanos;
        private boolean committed;
        private volatile boolean interrupted;

        Session(Provider provider, CallRequest call, Settlement settlement, OutputStream out) {
            this.provider = provider;
            this.call = call;
            this.settlement = settlement;
            this.out = out;
            this.tracker = new StreamTracker(call.endpoint(), call.clientWantsUsage());
        }

        void run(InputStream in) throws IOException {
            while (true) {
                var event = SseEvent.read(in);
                if (event.isEmpty()) {
                    interrupted |= !tracker.finished();
                    return;
                }
                lastEventNanos = System.nanoTime();
                boolean forward = tracker.observe(event.get());
                if (!committed && tracker.finished() && tracker.reported().isPresent()) {
                    // Settled before the last event goes out: once the client has seen the end, its usage is recorded.
                    commitIfOpen();
                }
                if (draining && (System.nanoTime() > drainDeadlineNanos || tracker.finished())) {
                    return;
                }
                if (forward && disconnect == null && !forward(event.get())) {
                    return; // Leaving closes the upstream body, which cancels the upstream call.
                }
            }
        }

        /** Writes one event; false when the client has gone and the stream is not drained. */
        private boolean forward(SseEvent event) {
            try {
                out.write(event.raw());
                out.flush();
                return true;
            } catch (IOException gone) {
                draining = settings.onDisconnect() == OnDisconnect.DRAIN && drains.tryAcquire();
                disconnect = draining ? OnDisconnect.DRAIN : OnDisconnect.CANCEL;
                drainDeadlineNanos = System.nanoTime() + settings.drainTimeout().toNanos();
                return draining;
            }
        }

        void closeIfIdle(InputStream body) {
            if (System.nanoTime() - lastEventNanos > settings.readTimeout().toNanos()) {
                interrupted = true;
                try {
                    body.close(); // Wakes the blocked read, which then ends the stream.
                } catch (IOException e) {
                    log.debug("Closing an idle {} stream failed: {}", provider.name(), e.toString());
                }
            }
        }

        void endDrain() {
            if (draining) {
                draining = false;
                drains.release();
            }
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
