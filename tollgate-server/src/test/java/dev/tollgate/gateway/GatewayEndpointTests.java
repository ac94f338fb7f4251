package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.messages.MessageCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.tollgate.gateway.FakeUpstream.Script;
import dev.tollgate.pricing.TokenEstimator;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** OpenAI Responses and Embeddings, and streams that end early: Anthropic disconnects, silent upstreams. */
class GatewayEndpointTests extends GatewayTest {

    @Autowired
    TokenEstimator estimator;

    @Test
    void a_response_commits_its_input_output_and_cached_tokens() {
        String account = newAccount("lite");
        String marker = unique("response");
        UPSTREAM.script(marker, Script.answer(640, 72, "Hello").cached(128));

        var response = openAi(gatewayKey(account)).responses().create(ResponseCreateParams.builder().model("gpt-4.1")
                .input("Say hello. " + marker).maxOutputTokens(300).build());

        assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(72);
        var usage = onlyUsage(account);
        assertThat(usage.path("input_tokens").asLong()).isEqualTo(640);
        assertThat(usage.path("cached_input_tokens").asLong()).isEqualTo(128);
        assertThat(usage.path("output_tokens").asLong()).isEqualTo(72);
    }

    @Test
    void a_streamed_response_that_ends_incomplete_is_billed_for_what_it_used() {
        String account = newAccount("lite");
        String marker = unique("response-incomplete");
        UPSTREAM.script(marker, Script.answer(210, 300, "Lo", "ng").endingIncomplete());

        var events = new ArrayList<ResponseStreamEvent>();
        try (var stream = openAi(gatewayKey(account)).responses().createStreaming(ResponseCreateParams.builder()
                .model("gpt-4.1").input("Write a long story. " + marker).maxOutputTokens(300).build())) {
            stream.stream().forEach(events::add);
        }

        assertThat(events.getLast().isIncomplete()).isTrue();
        var usage = onlyUsage(account);
        assertThat(usage.path("input_tokens").asLong()).isEqualTo(210);
        assertThat(usage.path("output_tokens").asLong()).isEqualTo(300);
        assertThat(usage.path("metadata").path("usage_source").asString()).isEqualTo("provider");
    }

    @Test
    void embeddings_commit_their_prompt_tokens_at_the_catalog_s_own_embedding_price() {
        String account = newAccount("lite");
        var price = admin.get("/v1/prices/openai/text-embedding-3-small/history").json().path("data").get(0);
        assertThat(price.path("input_per_1k_usd").asString()).isEqualTo("0.00002");
        String marker = unique("embedding");
        UPSTREAM.script(marker, Script.answer(9, 0));

        var embeddings = openAi(gatewayKey(account)).embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("Embed me. " + marker).build());

        assertThat(embeddings.data()).hasSize(1);
        var usage = onlyUsage(account);
        assertThat(usage.path("input_tokens").asLong()).isEqualTo(9);
        assertThat(usage.path("output_tokens").asLong()).isZero();
    }

    @Test
    void an_anthropic_stream_left_after_three_events_bills_the_reported_input_and_the_streamed_output() {
        String account = newAccount("lite");
        String marker = unique("anthropic-disconnect");
        String[] pieces = IntStream.range(0, 60).mapToObj(i -> " word" + i).toArray(String[]::new);
        UPSTREAM.script(marker, Script.answer(812, 999, pieces).slowPieces(50));

        try (var stream = anthropic(gatewayKey(account)).messages().createStreaming(MessageCreateParams.builder()
                .model("claude-sonnet-4-5").maxTokens(1000).addUserMessage("Go. " + marker).build())) {
            assertThat(stream.stream().limit(4).count()).isEqualTo(4);
        }

        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> pendingReservations(account) == 0);
        var usage = onlyUsage(account);
        assertThat(usage.path("input_tokens").asLong()).as("from message_start").isEqualTo(812);
        assertThat(usage.path("output_tokens").asLong()).isBetween(1L, 998L);
        assertThat(usage.path("metadata").path("usage_source").asString()).isEqualTo("estimated");
        assertThat(usage.path("metadata").path("on_disconnect").asString()).isEqualTo("cancel");
    }

    @Test
    void an_upstream_silent_for_longer_than_the_read_timeout_is_cut_off_and_billed_for_what_it_streamed() {
        String account = newAccount("lite");
        String marker = unique("silent");
        UPSTREAM.script(marker, Script.answer(50, 999, "never", "sent").slowPieces(READ_TIMEOUT.toMillis() * 3));

        try (var stream = openAi(gatewayKey(account)).chat().completions().createStreaming(
                com.openai.models.chat.completions.ChatCompletionCreateParams.builder().model("gpt-4o")
                        .addUserMessage("Wait. " + marker).maxCompletionTokens(100).build())) {
            assertThat(stream.stream().count()).isZero();
        }

        var usage = onlyUsage(account);
        assertThat(usage.path("output_tokens").asLong()).isZero();
        assertThat(usage.path("input_tokens").asLong()).isEqualTo(estimator.countMessages("openai", "gpt-4o",
                java.util.List.of(Map.of("role", "user", "content", "Wait. " + marker))));
        assertThat(usage.path("metadata").path("stream_interrupted").asBoolean()).isTrue();
        assertThat(pendingReservations(account)).isZero();
    }
}
