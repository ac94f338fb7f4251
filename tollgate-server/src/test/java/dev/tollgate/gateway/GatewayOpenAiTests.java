package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.http.StreamResponse;
import com.openai.errors.UnexpectedStatusCodeException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tollgate.gateway.FakeUpstream.Script;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OpenAI Chat Completions through the gateway, driven by openai-java. */
class GatewayOpenAiTests extends GatewayTest {

    private ChatCompletionCreateParams params(String marker, long maxTokens) {
        return ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("Say hello. " + marker)
                .maxCompletionTokens(maxTokens).build();
    }

    @Test
    void a_chat_completion_commits_exactly_the_usage_the_provider_reported() {
        String account = newAccount("lite");
        String marker = unique("chat");
        UPSTREAM.script(marker, Script.answer(1234, 56, "Hello there!").cached(200));

        var raw = openAi(gatewayKey(account)).chat().completions().withRawResponse().create(params(marker, 100));
        var completion = raw.parse();

        assertThat(completion.choices().getFirst().message().content()).contains("Hello there!");
        assertThat(raw.headers().values("X-Tollgate-Reservation")).singleElement().asString().startsWith("rsv");
        var usage = onlyUsage(account);
        assertThat(usage.path("input_tokens").asLong()).isEqualTo(1234);
        assertThat(usage.path("output_tokens").asLong()).isEqualTo(56);
        assertThat(usage.path("cached_input_tokens").asLong()).isEqualTo(200);
        assertThat(usage.path("provider").asString()).isEqualTo("openai");
        assertThat(usage.path("metadata").path("usage_source").asString()).isEqualTo("provider");
        assertThat(tokens(account).path("used").asLong()).isEqualTo(1234 + 56);
        assertThat(raw.headers().values("X-Tollgate-Tokens-Remaining")).containsExactly(
                Long.toString(200_000 - 1234 - 56));
        var received = UPSTREAM.received(marker).getFirst();
        assertThat(received.headers().get("authorization")).isEqualTo("Bearer " + PLATFORM_OPENAI_KEY);
        assertThat(received.body().path("stream").isMissingNode()).isTrue();
    }

    @Test
    void a_streamed_chat_completion_commits_the_usage_chunk_and_never_forwards_it_to_a_client_that_did_not_ask() {
        String account = newAccount("lite");
        String marker = unique("stream");
        UPSTREAM.script(marker, Script.answer(321, 45, "Hel", "lo", " world"));

        var chunks = new ArrayList<ChatCompletionChunk>();
        try (StreamResponse<ChatCompletionChunk> stream = openAi(gatewayKey(account)).chat().completions()
                .createStreaming(params(marker, 100))) {
            stream.stream().forEach(chunks::add);
        }

        var text = new StringBuilder();
        chunks.forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
        assertThat(text.toString()).isEqualTo("Hello world");
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.choices()).isNotEmpty());
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk._usage().isMissing())
                .as("no \"usage\": null, which only include_usage adds").isTrue());
        assertThat(UPSTREAM.received(marker).getFirst().body().path("stream_options").path("include_usage").asBoolean())
                .as("the gateway asks for the usage chunk").isTrue();
        var usage = onlyUsage(account);
        assertThat(usage.path("input_tokens").asLong()).isEqualTo(321);
        assertThat(usage.path("output_tokens").asLong()).isEqualTo(45);
        assertThat(usage.path("metadata").path("stream").asBoolean()).isTrue();
        assertThat(usage.path("metadata").path("usage_source").asString()).isEqualTo("provider");
    }

    @Test
    void a_client_that_asked_for_the_usage_chunk_gets_it() {
        String account = newAccount("lite");
        String marker = unique("usage-chunk");
        UPSTREAM.script(marker, Script.answer(70, 8, "Hi"));
        var params = params(marker, 50).toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();

        List<ChatCompletionChunk> chunks;
        try (var stream = openAi(gatewayKey(account)).chat().completions().createStreaming(params)) {
            chunks = stream.stream().toList();
        }

        assertThat(chunks.getLast().choices()).isEmpty();
        assertThat(chunks.getLast().usage().orElseThrow().promptTokens()).isEqualTo(70);
        assertThat(onlyUsage(account).path("output_tokens").asLong()).isEqualTo(8);
    }

    @Test
    void a_denial_raises_the_sdk_exception_with_the_seed_message_and_never_calls_the_provider() {
        String account = newAccount("lite");
        allowance(account, 50);
        String marker = unique("denied");

        assertThatThrownBy(() -> openAi(gatewayKey(account)).chat().completions().create(params(marker, 100)))
                .isInstanceOfSatisfying(UnexpectedStatusCodeException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(402);
                    assertThat(e.code()).contains("insufficient_tokens");
                    assertThat(e.headers().values("x-should-retry")).containsExactly("false");
                    assertThat(e.getMessage()).matches(
                            "402: Insufficient tokens\\. You have 50 tokens remaining, but this request needs ~\\d+ tokens\\.");
                });
        assertThat(UPSTREAM.received(marker)).isEmpty();
        assertThat(tokens(account).path("reserved").asLong()).isZero();
        assertThat(eventTypes(account)).contains("limit_enforced");
    }

    @Test
    void a_provider_configured_by_name_is_served_at_its_own_path_with_its_own_key() {
        String account = newAccount("lite");
        var price = admin.put("/v1/prices/groq/llama-3.1-8b-instant",
                java.util.Map.of("input_per_1k_usd", "0.00005", "output_per_1k_usd", "0.00008"));
        assertThat(price.status()).as(price.toString()).isIn(200, 201);
        String marker = unique("groq");
        UPSTREAM.script(marker, Script.answer(40, 4, "Hi"));
        var client = com.openai.client.okhttp.OpenAIOkHttpClient.builder()
                .baseUrl("http://localhost:" + port + "/groq/v1").apiKey(gatewayKey(account)).maxRetries(0).build();

        client.chat().completions().create(ChatCompletionCreateParams.builder().model("llama-3.1-8b-instant")
                .addUserMessage("Hi " + marker).build());

        assertThat(UPSTREAM.received(marker).getFirst().headers().get("authorization"))
                .isEqualTo("Bearer " + PLATFORM_GROQ_KEY);
        var usage = onlyUsage(account);
        assertThat(usage.path("provider").asString()).isEqualTo("groq");
        assertThat(usage.path("total_tokens").asLong()).isEqualTo(44);
    }
}
