package dev.tollgate.event;

import dev.tollgate.platform.AccountGuard;
import dev.tollgate.platform.Page;
import dev.tollgate.platform.PlatformProblem;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.security.Caller;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

@RestController
class EventApi {

    /** Backlog events read per query when a stream resumes. */
    private static final int REPLAY_PAGE_SIZE = 200;
    /** What an EventSource waits before it reconnects after the stream ends. */
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(3);

    private final Events events;
    private final AccountGuard guard;
    private final EventStreams streams;
    private final EventStreamProperties streamProperties;
    private final JsonMapper json;
    private final Clock clock;

    EventApi(Events events, AccountGuard guard, EventStreams streams, EventStreamProperties streamProperties,
            JsonMapper json, Clock clock) {
        this.events = events;
        this.guard = guard;
        this.streams = streams;
        this.streamProperties = streamProperties;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping("/v1/accounts/{id}/events")
    Page<EventPayload> list(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            @RequestParam(required = false) @Nullable String after,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(required = false) @Nullable Integer limit) {
        guard.requireReadable(caller, id);
        int size = Page.size(limit);
        long afterId = cursor != null ? parse(cursor, "cursor") : parse(after, "after");
        var found = events.list(id, afterId, size + 1);
        return Page.of(found.stream().map(EventPayload::of).toList(), size, EventPayload::id);
    }

    /**
     * Server-Sent Events: {@code id} is the event id, {@code event} its type, {@code data} the event.
     * With {@code Last-Event-ID} (or {@code ?after=}) the events after it are sent first. The request
     * thread (virtual) writes until the client leaves, the stream reaches its maximum duration or the
     * instance stops; comment lines keep idle connections open.
     */
    @GetMapping("/v1/accounts/{id}/events/stream")
    void stream(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
            @RequestParam(required = false) @Nullable String after, HttpServletResponse response) {
        guard.requireReadable(caller, id);
        boolean resume = lastEventId != null || after != null;
        long afterId = lastEventId != null ? parse(lastEventId, "Last-Event-ID") : parse(after, "after");
        try (var subscription = streams.open(id)) {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("text/event-stream;charset=UTF-8");
            response.setHeader("Cache-Control", "no-cache");
            // Tells proxies such as nginx not to buffer the stream.
            response.setHeader("X-Accel-Buffering", "no");
            var out = response.getOutputStream();
            write(out, "retry: " + RECONNECT_DELAY.toMillis() + "\n\n");
            Set<Long> replayed = resume ? replay(out, id, afterId) : Set.of();
            Instant endAt = clock.instant().plus(streamProperties.maxDuration());
            while (!subscription.ended() && clock.instant().isBefore(endAt)) {
                Event event = subscription.next(streamProperties.heartbeat());
                if (event != null) {
                    if (event.id() > afterId && !replayed.contains(event.id())) {
                        write(out, event);
                    }
                } else if (!subscription.ended()) {
                    write(out, ": heartbeat\n\n");
                }
            }
        } catch (IOException e) {
            // The client went away; the stream is closed by leaving the try block.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Set<Long> replay(OutputStream out, String accountId, long afterId) throws IOException {
        Set<Long> sent = new HashSet<>();
        long cursor = afterId;
        while (true) {
            var page = events.list(accountId, cursor, REPLAY_PAGE_SIZE);
            for (var event : page) {
                write(out, event);
                sent.add(event.id());
                cursor = event.id();
            }
            if (page.size() < REPLAY_PAGE_SIZE) {
                return sent;
            }
        }
    }

    private void write(OutputStream out, Event event) throws IOException {
        // The JSON has no line breaks, so it fits in one data line.
        write(out, "id: " + event.publicId() + "\nevent: " + event.type() + "\ndata: "
                + json.writeValueAsString(EventPayload.of(event)) + "\n\n");
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static long parse(@Nullable String value, String field) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Event.parseId(value.trim());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(PlatformProblem.INVALID_PARAMETER, field + " must be an event id like evt_123.",
                    Map.of("field", field));
        }
    }
}
