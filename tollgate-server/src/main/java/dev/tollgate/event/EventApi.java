package dev.tollgate.event;

import dev.tollgate.platform.AccountGuard;
import dev.tollgate.platform.Page;
import dev.tollgate.platform.PlatformProblem;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.security.Caller;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class EventApi {

    private final Events events;
    private final AccountGuard guard;

    EventApi(Events events, AccountGuard guard) {
        this.events = events;
        this.guard = guard;
    }

    record EventResponse(String id, String type, String accountId, Map<String, Object> data, Instant createdAt) {
        static EventResponse of(Event event) {
            return new EventResponse(event.publicId(), event.type(), event.accountId(), event.data(),
                    event.createdAt());
        }
    }

    @GetMapping("/v1/accounts/{id}/events")
    Page<EventResponse> list(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            @RequestParam(required = false) @Nullable String after,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(required = false) @Nullable Integer limit) {
        guard.requireReadable(caller, id);
        int size = Page.size(limit);
        long afterId = parse(cursor != null ? cursor : after);
        var found = events.list(id, afterId, size + 1);
        return Page.of(found.stream().map(EventResponse::of).toList(), size, EventResponse::id);
    }

    private static long parse(@Nullable String after) {
        if (after == null || after.isBlank()) {
            return 0;
        }
        try {
            return Event.parseId(after);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(PlatformProblem.INVALID_PARAMETER, "after must be an event id like evt_123.",
                    Map.of("field", "after"));
        }
    }
}
