package dev.tollgate.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;

/**
 * Hands the JWT decoder only what may be an end-user token: never a service key ({@code tg_...}) and
 * nothing when a service key has already authenticated the request. Tokens are read from the
 * Authorization header only, never from query parameters or form bodies, where they would be logged.
 */
final class EndUserTokenResolver implements BearerTokenResolver {

    private static final String BEARER = "Bearer ";

    @Override
    public @Nullable String resolve(HttpServletRequest request) {
        if (SecurityContextHolder.getContext().getAuthentication() != null) {
            return null;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = header.substring(BEARER.length()).trim();
        if (token.isEmpty() || token.startsWith(ApiKeys.SECRET_PREFIX)) {
            return null;
        }
        return token;
    }
}
