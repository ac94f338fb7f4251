package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tollgate.TollgateNode;
import dev.tollgate.gateway.FakeUpstream.Script;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code tollgate.gateway.on-disconnect=drain}: a stream the client left is read on to the provider's usage. */
class GatewayDrainTests extends GatewayTest {

    @Test
    void a_drained_stream_is_billed_with_the_providers_final_usage_after_the_client_left() {
        var properties = new HashMap<>(gatewayProperties());
        properties.put("tollgate.gateway.on-disconnect", "drain");
        try (var node = TollgateNode.start(properties)) {
            String account = newAccount("lite");
            String marker = unique("drain");
            String[] pieces = IntStream.range(0, 30).mapToObj(i -> " word" + i).toArray(String[]::new);
            UPSTREAM.script(marker, Script.answer(345, 678, pieces).slowPieces(30));
            var client = OpenAIOkHttpClient.builder().baseUrl("http://localhost:" + node.port() + "/openai/v1")
                    .apiKey(gatewayKey(account)).maxRetries(0).build();

            try (var stream = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                    .model("gpt-4o").addUserMessage("Go. " + marker).maxCompletionTokens(1000).build())) {
                assertThat(stream.stream().limit(3).count()).isEqualTo(3);
            }

            Awaitility.await().atMost(15, TimeUnit.SECONDS).until(() -> pendingReservations(account) == 0);
            var usage = onlyUsage(account);
            assertThat(usage.path("input_tokens").asLong()).isEqualTo(345);
            assertThat(usage.path("output_tokens").asLong()).isEqualTo(678);
            assertThat(usage.path("metadata").path("usage_source").asString()).isEqualTo("provider");
            assertThat(usage.path("metadata").path("on_disconnect").asString()).isEqualTo("drain");
            assertThat(UPSTREAM.cancelled(marker)).as("the upstream was read to its end").isFalse();
        }
    }
}
