package dev.tollgate.portal;

import dev.tollgate.event.Event;
import dev.tollgate.event.EventStreams;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.UnknownFields;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The billing page and the way in: a portal link opens a session (an HttpOnly cookie bound to one
 * account) and redirects here; the page then follows the account's events and redraws itself.
 */
@Controller
class BillingPage {

    static final String COOKIE = "tollgate_portal";
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final Duration STREAM_MAX = Duration.ofMinutes(30);

    private final PortalSessions sessions;
    private final BillingViews views;
    private final EventStreams streams;
    private final PortalProperties properties;
    private final Clock clock;

    BillingPage(PortalSessions sessions, BillingViews views, EventStreams streams, PortalProperties properties,
            Clock clock) {
        this.sessions = sessions;
        this.views = views;
        this.streams = streams;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/portal/{token}")
    String open(@PathVariable String token, HttpServletRequest request, HttpServletResponse response, Model model) {
        var opened = token.length() <= 100 ? sessions.open(token) : java.util.Optional.<PortalSessions.OpenedSession>empty();
        if (opened.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_GONE);
            brand(model);
            return "portal/link-gone";
        }
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(opened.get().cookieValue(), request,
                properties.sessionMax()).toString());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        return "redirect:/billing";
    }

    @GetMapping("/billing")
    String billing(@RequestParam(required = false) @Nullable Long before, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        brand(model);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        var session = sessions.resolve(cookieValue(request));
        var view = session.flatMap(s -> views.of(s.accountId(), before == null || before <= 0 ? Long.MAX_VALUE : before,
                s.returnUrl()));
        if (view.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            model.addAttribute("signedOut", false);
            return "portal/signed-out";
        }
        model.addAttribute("billing", view.get());
        return "portal/billing";
    }

    @PostMapping("/billing/logout")
    String logout(HttpServletRequest request, HttpServletResponse response, Model model) {
        brand(model);
        try {
            UnknownFields.refuseForm(request, Set.of());
        } catch (ProblemException e) {
            response.setStatus(e.getStatusCode().value());
            model.addAttribute("title", e.problem().getTitle());
            model.addAttribute("message", e.problem().getDetail());
            return "portal/purchase-failed";
        }
        sessions.end(cookieValue(request));
        response.addHeader(HttpHeaders.SET_COOKIE, cookie("", request, Duration.ZERO).toString());
        model.addAttribute("signedOut", true);
        return "portal/signed-out";
    }

    /**
     * Server-Sent Events for the open page: one {@code change} message per event of the account, so that
     * the page redraws itself; it ends with the session.
     */
    @GetMapping("/billing/events")
    void events(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String cookie = cookieValue(request);
        var session = sessions.resolve(cookie);
        if (session.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        try (var subscription = streams.open(session.get().accountId())) {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("text/event-stream;charset=UTF-8");
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            response.setHeader("X-Accel-Buffering", "no");
            var out = response.getOutputStream();
            out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            Instant endAt = clock.instant().plus(STREAM_MAX);
            while (!subscription.ended() && clock.instant().isBefore(endAt)) {
                Event event = subscription.next(HEARTBEAT);
                String message = event != null ? "event: change\ndata: " + event.type() + "\n\n" : ": heartbeat\n\n";
                out.write(message.getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (event == null && sessions.resolve(cookie).isEmpty()) {
                    return;
                }
            }
        } catch (IOException e) {
            // The page went away; leaving the try block closes the subscription.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void brand(Model model) {
        model.addAttribute("appName", properties.appName());
        model.addAttribute("logoUrl", properties.logoUrl());
    }

    static @Nullable String cookieValue(HttpServletRequest request) {
        if (request.getCookies() == null) {
            return null;
        }
        return Arrays.stream(request.getCookies()).filter(c -> COOKIE.equals(c.getName()))
                .map(jakarta.servlet.http.Cookie::getValue).findFirst().orElse(null);
    }

    private static ResponseCookie cookie(String value, HttpServletRequest request, Duration maxAge) {
        return ResponseCookie.from(COOKIE, value)
                .httpOnly(true)
                .secure(request.isSecure())
                .sameSite("Lax")
                .path("/")
                .maxAge(maxAge)
                .build();
    }
}
