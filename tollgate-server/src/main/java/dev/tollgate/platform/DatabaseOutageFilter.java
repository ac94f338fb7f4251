package dev.tollgate.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers {@code 503 database_unavailable} when the database fails under a servlet filter, where the MVC
 * exception handling does not reach: an API key looked up by authentication during an outage would
 * otherwise end as the container's 500 with a stack trace in the log. Errors of the handlers themselves
 * are answered by {@link ProblemHandler} before they get here.
 */
final class DatabaseOutageFilter extends OncePerRequestFilter {

    /** Around Spring Security (-100), whose filters look API keys up, and inside the admission gate (-110). */
    static final int ORDER = -104;

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutageFilter.class);

    private final ProblemWriter problems;

    DatabaseOutageFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException | ServletException e) {
            if (!DatabaseFailures.unavailable(e) || response.isCommitted()) {
                throw e;
            }
            log.debug("Database unavailable on {} {}: {}", request.getMethod(), request.getRequestURI(),
                    DatabaseFailures.describe(e));
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(DatabaseFailures.RETRY_AFTER.toSeconds()));
            problems.write(request, response, DatabaseFailures.problem());
        }
    }
}
