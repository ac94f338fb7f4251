package dev.tollgate.spring;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tollgate.client.*}. Only {@code base-url} and {@code api-key} are required; without a base URL
 * nothing is configured.
 *
 * @param baseUrl where Tollgate listens, e.g. {@code http://localhost:8080}
 * @param apiKey a service key ({@code tg_...})
 */
@ConfigurationProperties("tollgate.client")
public record TollgateClientProperties(URI baseUrl, String apiKey, @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("10s") Duration requestTimeout, @DefaultValue Retry retry, @DefaultValue FailOpen failOpen,
        @DefaultValue Advisor advisor) {

    /** Tries per call (the first included) and the jittered backoff between them. */
    public record Retry(@DefaultValue("4") int attemptsMax, @DefaultValue("100ms") Duration backoffInitial,
            @DefaultValue("2s") Duration backoffMax) {}

    /**
     * Off by default (fail closed). On: while Tollgate is unreachable, up to {@code tokensMax} tokens are
     * approved locally and recorded once Tollgate is back, tried every {@code flushInterval}.
     */
    public record FailOpen(@DefaultValue("false") boolean enabled, @DefaultValue("20000") long tokensMax,
            @DefaultValue("5s") Duration flushInterval) {}

    /**
     * The Spring AI advisor.
     *
     * @param provider the provider name Tollgate prices the model under
     * @param order the advisor's order; the default puts it inside Spring AI's tool-calling advisor, so
     *     every model round trip of a tool loop is reserved and committed on its own
     */
    public record Advisor(@DefaultValue("true") boolean enabled, @DefaultValue("openai") String provider,
            @DefaultValue("gpt-4o") String defaultModel,
            @DefaultValue("" + TollgateAdvisor.DEFAULT_ORDER) int order) {}

    @Override
    public String toString() {
        return "TollgateClientProperties[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? null : "redacted")
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", retry=" + retry
                + ", failOpen=" + failOpen + ", advisor=" + advisor + "]";
    }
}
