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
 * @param connectTimeout how long a connection to Tollgate may take
 * @param requestTimeout how long one try may wait for its answer
 */
@ConfigurationProperties("tollgate.client")
public record TollgateClientProperties(URI baseUrl, String apiKey, @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("10s") Duration requestTimeout, @DefaultValue Retry retry, @DefaultValue FailOpen failOpen,
        @DefaultValue Advisor advisor) {

    /**
     * Tries per call and the jittered backoff between them.
     *
     * @param attemptsMax tries in all, the first included
     * @param backoffInitial the wait before the second try; it doubles up to {@code backoffMax}
     * @param backoffMax the longest wait between two tries
     */
    public record Retry(@DefaultValue("4") int attemptsMax, @DefaultValue("100ms") Duration backoffInitial,
            @DefaultValue("2s") Duration backoffMax) {}

    /**
     * What reserve does when Tollgate is unreachable.
     *
     * @param enabled false (the default) fails closed: no reservation, no model call
     * @param tokensMax tokens approved locally while Tollgate is unreachable, in flight or waiting to be recorded
     * @param flushInterval how often the usage approved locally is sent again until Tollgate takes it
     */
    public record FailOpen(@DefaultValue("false") boolean enabled, @DefaultValue("20000") long tokensMax,
            @DefaultValue("5s") Duration flushInterval) {}

    /**
     * The Spring AI advisor.
     *
     * @param enabled whether the advisor is added to every ChatClient
     * @param provider the provider name Tollgate prices the model under
     * @param defaultModel the model reserved for when the call's options name none
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
