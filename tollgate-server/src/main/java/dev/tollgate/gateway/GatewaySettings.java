package dev.tollgate.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway's upstreams and limits ({@code tollgate.gateway.*}, README "Configuration"). OpenAI and
 * Anthropic are always served; every entry of {@code providers} is served at {@code /<name>/v1/...} with
 * the code of its {@code kind}.
 */
@ConfigurationProperties("tollgate.gateway")
public record GatewaySettings(
        Upstream openai,
        Upstream anthropic,
        @Nullable Map<String, Upstream> providers,
        Duration connectTimeout,
        Duration readTimeout,
        OnDisconnect onDisconnect,
        Duration drainTimeout,
        int drainsMax) {

    public static final Duration TIMEOUT_MAX = Duration.ofHours(1);

    public GatewaySettings {
        Objects.requireNonNull(openai, "tollgate.gateway.openai");
        Objects.requireNonNull(anthropic, "tollgate.gateway.anthropic");
        providers = providers == null ? Map.of() : Map.copyOf(providers);
        for (var timeout : new Duration[] {connectTimeout, readTimeout, drainTimeout}) {
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(TIMEOUT_MAX) > 0) {
                throw new IllegalArgumentException(
                        "tollgate.gateway timeouts must be positive and at most " + TIMEOUT_MAX);
            }
        }
        if (drainsMax < 0) {
            throw new IllegalArgumentException("tollgate.gateway.drains-max must not be negative");
        }
        for (String name : providers.keySet()) {
            if (!name.matches("[a-z0-9][a-z0-9-]{0,30}") || name.equals("v1") || name.equals("openai")
                    || name.equals("anthropic")) {
                throw new IllegalArgumentException("tollgate.gateway.providers." + name
                        + ": a provider name is lowercase letters, digits and '-', and not v1, openai or anthropic");
            }
        }
    }

    /** Which wire format an upstream speaks. */
    public enum Kind {
        OPENAI,
        ANTHROPIC
    }

    /** What happens when the client goes away mid-stream. */
    public enum OnDisconnect {
        /** Cancel the upstream call and commit what was streamed, counted by the tokenizer. */
        CANCEL,
        /** Read the upstream to its final usage in the background (bounded), then commit that. */
        DRAIN
    }

    /** One upstream: its wire format, base URL (ending before the endpoint, e.g. {@code .../v1}) and platform key. */
    public record Upstream(@Nullable Kind kind, String baseUrl, @Nullable String apiKey) {

        public Upstream {
            Objects.requireNonNull(baseUrl, "base-url");
            apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        }

        @Override
        public String toString() {
            return "Upstream[kind=" + kind + ", baseUrl=" + baseUrl + ", apiKey="
                    + (apiKey == null ? "unset" : "<redacted>") + "]";
        }
    }
}
