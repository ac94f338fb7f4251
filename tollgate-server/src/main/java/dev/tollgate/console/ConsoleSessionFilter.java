package dev.tollgate.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns a live console session cookie into the request's authentication, with the session's role; without
 * one the request stays unauthenticated and the authorization rules send it to the sign-in page.
 */
final class ConsoleSessionFilter extends OncePerRequestFilter {

    private final ConsoleSessions sessions;

    ConsoleSessionFilter(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean byTheOperator = !request.getRequestURI().equals(request.getContextPath() + ConsoleSecurity.PATH + "/tail");
        sessions.resolve(cookieValue(request), byTheOperator).ifPresent(user -> {
            var context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null,
                    List.of(new SimpleGrantedAuthority(user.role().authority()))));
            SecurityContextHolder.setContext(context);
        });
        chain.doFilter(request, response);
    }

    static @Nullable String cookieValue(HttpServletRequest request) {
        if (request.getCookies() == null) {
            return null;
        }
        return Arrays.stream(request.getCookies()).filter(c -> ConsoleSecurity.SESSION_COOKIE.equals(c.getName()))
                .map(Cookie::getValue).findFirst().orElse(null);
    }
}
