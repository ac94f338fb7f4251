package dev.tollgate.platform.security;

import dev.tollgate.platform.PlatformProblem;
import dev.tollgate.platform.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <service key>}. A bearer value shaped like a JWT (and not
 * starting with {@code tg_}) is left to the end-user token authentication that runs after this filter
 * and is never looked up as a key; anything else that is not an active key is refused here with a 401
 * problem.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final ProblemWriter problems;

    ApiKeyAuthenticationFilter(ApiKeys keys, ProblemWriter problems) {
        this.keys = keys;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            problems.write(request, response, PlatformProblem.UNAUTHORIZED, "Use 'Authorization: Bearer <key or token>'.");
            return;
        }
        String secret = header.substring(BEARER.length()).trim();
        if (looksLikeJwt(secret)) {
            chain.doFilter(request, response);
            return;
        }
        var caller = keys.authenticate(secret);
        if (caller.isPresent()) {
            var context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(new CallerAuthentication(caller.get()));
            SecurityContextHolder.setContext(context);
            chain.doFilter(request, response);
            return;
        }
        problems.write(request, response, PlatformProblem.UNAUTHORIZED, "The API key is invalid or has been revoked.");
    }

    static boolean looksLikeJwt(String value) {
        return !value.startsWith(ApiKeys.SECRET_PREFIX) && value.chars().filter(c -> c == '.').count() == 2;
    }
}
