package dev.tollgate.gateway;

import dev.tollgate.gateway.GatewaySettings.OnDisconnect;
import dev.tollgate.pricing.TokenEstimator;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Relays a streamed answer event by event, each flushed to the client as soon as it arrives, and commits
 * what the stream used. When the client goes away: with {@code on-disconnect: cancel} the upstream call is
 * cancelled and the streamed text is committed, counted by the tokenizer (marked estimated) unless the
 * provider's usage had already arrived; with {@code drain} the upstream is read on to its final usage,
 * at most {@code drains-max} streams at once and for at most {@code drain-timeout} each, falling back to
 * cancel. If the upstream breaks off, what was streamed is committed the same way: the provider bills it.
 */
@Component
class StreamRelay {

    private static final Logger log = LoggerFactory.getLogger(StreamRelay.class);

    private final TokenEstimator tokens;
    private final GatewaySettings settings;
    private final Semaphore drains;

    StreamRelay(TokenEstimator tokens, GatewaySettings settings) {
        this.tokens = tokens;
        this.settings = settings;
        this.drains = new Semaphore(settings.drainsMax());
    }

    void relay(Provider provider, CallRequest call, HttpResponse<InputStream> upstream, Settlement settlement,
            HttpServletResponse response) throws IOException {
        response.setStatus(upstream.statusCode());
        Relay.copyHeaders(upstream, response);
        response.setHeader("Cache-Control", "no-cache");
        // Streamed headers go first, so the remaining tokens are those after the reservation.
        Relay.tollgateHeaders(response, settlement, settlement.reserved().remaining().tokens());
        OutputStream out = response.getOutputStream();
        var tracker = new StreamTracker(call.endpoint(), call.clientWantsUsage());
        OnDisconnect disconnect = null;
        boolean draining = false;
        boolean committed = false;
        try (InputStream in = new BufferedInputStream(upstream.body())) {
            response.flushBuffer();
            long drainDeadline = 0;
            while (true) {
                var event = SseEvent.read(in);
                if (event.isEmpty()) {
                    break;
                }
                boolean forward = tracker.observe(event.get());
                if (!committed && tracker.finished() && tracker.reported().isPresent()) {
                    // Settled before the last event goes out: once the client has seen the end, its usage is recorded.
                    commit(provider, call, settlement, tracker, disconnect);
                    committed = true;
                }
                if (draining && (System.nanoTime() > drainDeadline || tracker.finished())) {
                    break;
                }
                if (forward && disconnect == null) {
                    try {
                        out.write(event.get().raw());
                        out.flush();
                    } catch (IOException gone) {
                        draining = settings.onDisconnect() == OnDisconnect.DRAIN && drains.tryAcquire();
                        disconnect = draining ? OnDisconnect.DRAIN : OnDisconnect.CANCEL;
                        if (!draining) {
                            break; // Closing the upstream body below cancels the upstream call.
                        }
                        drainDeadline = System.nanoTime() + settings.drainTimeout().toNanos();
                    }
                }
            }
        } catch (IOException upstreamBroke) {
            log.debug("The {} stream broke off: {}", provider.name(), upstreamBroke.toString());
        } finally {
            if (draining) {
                drains.release();
            }
        }
        if (!committed) {
            commit(provider, call, settlement, tracker, disconnect);
        }
    }

    private void commit(Provider provider, CallRequest call, Settlement settlement, StreamTracker tracker,
            @Nullable OnDisconnect disconnect) {
        Usage usage = tracker.reported().orElseGet(() -> tracker.estimate(call.inputTokens(),
                tokens.countText(provider.name(), call.model(), tracker.streamedText())));
        settlement.commit(usage, Relay.metadata(call, usage, disconnect));
    }
}
