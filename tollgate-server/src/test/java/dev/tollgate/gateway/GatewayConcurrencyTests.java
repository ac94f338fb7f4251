package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.UnexpectedStatusCodeException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tollgate.TollgateNode;
import dev.tollgate.gateway.FakeUpstream.Script;
import dev.tollgate.pricing.TokenEstimator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Invariant 1 through the gateway: concurrent streamed calls on two nodes never overspend. */
class GatewayConcurrencyTests extends GatewayTest {

    private static final int CALLS = 64;
    private static final int AFFORDABLE = 10;
    private static final long MAX_TOKENS = 100;

    @Autowired
    TokenEstimator estimator;

    @Test
    void sixty_four_concurrent_streams_on_two_nodes_never_overspend_an_allowance_that_fits_ten() throws Exception {
        try (var second = TollgateNode.start(gatewayProperties())) {
            String account = newAccount("lite");
            String marker = unique("race");
            String prompt = "Race " + marker;
            long input = estimator.countMessages("openai", "gpt-4o", List.of(Map.of("role", "user", "content", prompt)));
            long perCall = input + MAX_TOKENS;
            allowance(account, perCall * AFFORDABLE);
            // Each call uses exactly what it reserved, so exactly ten fit whatever the timing.
            UPSTREAM.script(marker, Script.answer(input, MAX_TOKENS, "a", "b", "c").slowPieces(20));
            String key = gatewayKey(account);
            List<OpenAIClient> nodes = List.of(openAi(key), OpenAIOkHttpClient.builder()
                    .baseUrl("http://localhost:" + second.port() + "/openai/v1").apiKey(key).maxRetries(0).build());
            var params = ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage(prompt)
                    .maxCompletionTokens(MAX_TOKENS).build();

            var outcomes = race(nodes, params);

            assertThat(outcomes.stream().filter("streamed"::equals).count()).isEqualTo(AFFORDABLE);
            assertThat(outcomes.stream().filter("402"::equals).count()).isEqualTo(CALLS - AFFORDABLE);
            assertThat(UPSTREAM.received(marker)).hasSize(AFFORDABLE);
            var tokens = tokens(account);
            assertThat(tokens.path("used").asLong()).isEqualTo(perCall * AFFORDABLE);
            assertThat(tokens.path("reserved").asLong()).isZero();
            assertThat(tokens.path("limit").asLong()).isEqualTo(perCall * AFFORDABLE);
        }
    }

    /** Every call released at once, round-robin over the nodes; each answer is "streamed" or the error status. */
    private static List<String> race(List<OpenAIClient> nodes, ChatCompletionCreateParams params) throws Exception {
        var start = new CountDownLatch(1);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<String>>();
            for (int i = 0; i < CALLS; i++) {
                OpenAIClient client = nodes.get(i % nodes.size());
                futures.add(pool.submit(() -> {
                    start.await();
                    try (var stream = client.chat().completions().createStreaming(params)) {
                        return stream.stream().count() > 0 ? "streamed" : "empty";
                    } catch (UnexpectedStatusCodeException e) {
                        return Integer.toString(e.statusCode());
                    }
                }));
            }
            start.countDown();
            var outcomes = new ArrayList<String>();
            for (var future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        }
    }
}
