package dev.tollgate.gateway;

import dev.tollgate.gateway.GatewaySettings.Kind;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Validation;
import dev.tollgate.platform.security.ApiKeys;
import dev.tollgate.platform.security.Caller;
import dev.tollgate.platform.security.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a proxied call the way the provider's SDK sends its key: {@code Authorization: Bearer}
 * (OpenAI, and Anthropic's auth-token mode) or {@code x-api-key} (Anthropic). The key is an account's
 * gateway key {@code tgv_...}, or an admin or service key with {@code X-Tollgate-Account} naming who pays.
 * A refusal is written in the provider's error shape, so the SDK raises its usual authentication error.
 */
final class GatewayAuthentication extends OncePerRequestFilter {

    static final String ACCOUNT_HEADER = "X-Tollgate-Account";
    private static final String BEARER = "Bearer ";

    private final GatewayKeys gatewayKeys;
    private final ApiKeys apiKeys;
    private final Providers providers;

    GatewayAuthentication(GatewayKeys gatewayKeys, ApiKeys apiKeys, Providers providers) {
        this.gatewayKeys = gatewayKeys;
        this.apiKeys = apiKeys;
        this.providers = providers;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Kind kind = providers.find(firstSegment(request.getRequestURI())).map(Provider::kind).orElse(Kind.OPENAI);
        String secret = secret(request);
        Optional<GatewayCaller> caller = secret == null ? Optional.empty() : caller(secret, request);
        if (caller.isEmpty()) {
            new GatewayError(HttpStatus.UNAUTHORIZED.value(), kind == Kind.ANTHROPIC ? "authentication_error"
                    : "invalid_api_key", "Invalid, revoked or expired key. Use an account's gateway key (tgv_...), "
                    + "or a service key with " + ACCOUNT_HEADER + ".", false).write(kind, response);
            return;
        }
        request.setAttribute(GatewayCaller.ATTRIBUTE, caller.get());
        chain.doFilter(request, response);
    }

    private static @Nullable String secret(HttpServletRequest request) {
        String apiKey = request.getHeader("x-api-key");
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.trim();
        }
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return header.substring(BEARER.length()).trim();
        }
        return null;
    }

    private Optional<GatewayCaller> caller(String secret, HttpServletRequest request) {
        if (secret.startsWith(GatewayKeys.SECRET_PREFIX)) {
            return gatewayKeys.authenticate(secret)
                    .map(key -> new GatewayCaller(key.accountId(), "gateway_key:" + key.id(), key.models()));
        }
        if (!secret.startsWith(ApiKeys.SECRET_PREFIX)) {
            return Optional.empty();
        }
        String account = request.getHeader(ACCOUNT_HEADER);
        if (account == null) {
            return Optional.empty();
        }
        try {
            Validation.accountId(account, ACCOUNT_HEADER);
        } catch (ProblemException e) {
            return Optional.empty();
        }
        return apiKeys.authenticate(secret)
                .filter(GatewayAuthentication::mayPayForOthers)
                .map(key -> new GatewayCaller(account, key.id(), List.of()));
    }

    private static boolean mayPayForOthers(Caller caller) {
        return caller.role() == Role.ADMIN || caller.role() == Role.SERVICE;
    }

    static String firstSegment(String path) {
        int start = path.startsWith("/") ? 1 : 0;
        int end = path.indexOf('/', start);
        return end < 0 ? path.substring(start) : path.substring(start, end);
    }
}
