package dev.tollgate.console;

import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.UnknownFields;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** {@code /console/login} takes an admin or read key once and starts a session; logout ends it. */
@Controller
class ConsoleLogin {

    private final ConsoleSessions sessions;
    private final ConsoleProperties properties;

    ConsoleLogin(ConsoleSessions sessions, ConsoleProperties properties) {
        this.sessions = sessions;
        this.properties = properties;
    }

    @GetMapping("/console/login")
    String form(@RequestParam(required = false) @Nullable String ended, Model model) {
        model.addAttribute("ended", ended != null);
        return "console/login";
    }

    @PostMapping("/console/login")
    String signIn(@RequestParam(required = false) @Nullable String key, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        model.addAttribute("ended", false);
        try {
            UnknownFields.refuseForm(request, Set.of("key"));
        } catch (ProblemException e) {
            response.setStatus(e.getStatusCode().value());
            model.addAttribute("error", e.problem().getDetail());
            return "console/login";
        }
        var started = sessions.signIn(key);
        if (started.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            model.addAttribute("error", "That is not an active admin or read key.");
            return "console/login";
        }
        response.addHeader(HttpHeaders.SET_COOKIE, ConsoleSecurity.sessionCookie(started.get().cookieValue(),
                request.isSecure(), properties.sessionMax()).toString());
        return "redirect:/console";
    }

    @PostMapping("/console/logout")
    String signOut(HttpServletRequest request, HttpServletResponse response, Model model) {
        try {
            UnknownFields.refuseForm(request, Set.of());
        } catch (ProblemException e) {
            response.setStatus(e.getStatusCode().value());
            model.addAttribute("message", e.problem().getDetail());
            return "console/refused";
        }
        sessions.end(ConsoleSessionFilter.cookieValue(request));
        response.addHeader(HttpHeaders.SET_COOKIE,
                ConsoleSecurity.sessionCookie("", request.isSecure(), Duration.ZERO).toString());
        return "redirect:/console/login?ended";
    }
}
