package dev.tollgate.gateway;

import dev.tollgate.gateway.GatewaySettings.Kind;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What goes to an upstream and what comes back from it unchanged: the request with its credentials and the
 * client's provider headers, and the provider's own answers (errors, unmetered calls) passed through.
 */
final class UpstreamMessages {

    static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";
    /** Client headers that change what the provider does, forwarded as they came; credentials never are. */
    private static final List<String> FORWARDED_REQUEST_HEADERS = List.of("anthropic-version", "anthropic-beta",
            "openai-organization", "openai-project", "openai-beta", "accept");
    private static final List<String> FORWARDED_RESPONSE_HEADERS = List.of("x-request-id", "request-id",
            "openai-processing-ms", "openai-version", "retry-after", "x-should-retry");
    private static final int ERROR_BODY_SIZE_MAX = 1024 * 1024;

    private UpstreamMessages() {}

    /** The call for the upstream: the body, the platform's key or the user's (BYOK), the provider's own headers. */
    static HttpRequest request(Endpoint endpoint, Provider provider, byte[] body, @Nullable String byokKey,
            HttpServletRequest request, Duration readTimeout) {
        var builder = HttpRequest.newBuilder(provider.resolve(endpoint.path()))
                .timeout(readTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (String name : FORWARDED_REQUEST_HEADERS) {
            String value = request.getHeader(name);
            if (value != null) {
                builder.header(name, value);
            }
        }
        String key = byokKey != null ? byokKey : provider.apiKey();
        if (provider.kind() == Kind.ANTHROPIC) {
            if (request.getHeader("anthropic-version") == null) {
                builder.header("anthropic-version", DEFAULT_ANTHROPIC_VERSION);
            }
            if (key != null) {
                builder.header("x-api-key", key);
            }
        } else if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder.build();
    }

    /** The provider's own answer (an error, or an unmetered call's result), status, type and body as they came. */
    static void passThrough(HttpResponse<InputStream> upstream, HttpServletResponse response)
            throws IOException {
        byte[] body;
        try (InputStream in = upstream.body()) {
            body = in.readNBytes(ERROR_BODY_SIZE_MAX);
        }
        response.setStatus(upstream.statusCode());
        copyHeaders(upstream, response);
        response.getOutputStream().write(body);
    }

    static void copyHeaders(HttpResponse<?> upstream, HttpServletResponse response) {
        upstream.headers().firstValue("Content-Type").ifPresent(response::setContentType);
        for (String name : FORWARDED_RESPONSE_HEADERS) {
            upstream.headers().firstValue(name).ifPresent(value -> response.setHeader(name, value));
        }
    }
}
