package dev.tollgate.ledger;

import dev.tollgate.ledger.RequestGate.Lane;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts reservations ahead of settlements when a node is saturated. A reservation decides whether a
 * user's LLM call may start, so someone is waiting on it; a commit, release or usage report settles a
 * call that already happened. Only {@code permits} metering requests are worked on at once, so that
 * the requests waiting behind them wait parked, costing no CPU, instead of slowing every request in
 * flight; the next one let in is a reservation if any waits.
 *
 * <p>Runs before Spring Security and the body checks, so a waiting settlement has cost nothing yet,
 * and after the request metrics filter, so {@code http.server.requests} includes the wait.
 */
final class RequestGateFilter extends OncePerRequestFilter {

    /**
     * The filter registration's order: before Spring's request context (-105) and Spring Security (-100),
     * after observation (min + 1).
     */
    static final int ORDER = -110;
    private static final String RESERVATIONS = "/v1/reservations";
    private static final String USAGE = "/v1/usage";

    private final RequestGate gate;

    RequestGateFilter(RequestGate gate) {
        this.gate = gate;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Lane lane = laneOf(request);
        if (lane == null) {
            chain.doFilter(request, response);
            return;
        }
        gate.enter(lane);
        try {
            chain.doFilter(request, response);
        } finally {
            gate.leave(lane);
        }
    }

    static @Nullable Lane laneOf(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod())) {
            return null;
        }
        String path = request.getRequestURI();
        if (path.equals(RESERVATIONS)) {
            return Lane.RESERVATION;
        }
        if (path.equals(USAGE) || path.startsWith(RESERVATIONS + "/")
                && (path.endsWith("/commit") || path.endsWith("/release"))) {
            return Lane.SETTLEMENT;
        }
        return null;
    }
}
