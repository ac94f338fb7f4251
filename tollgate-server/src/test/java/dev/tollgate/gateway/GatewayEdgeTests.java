package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tollgate.Http;
import dev.tollgate.gateway.FakeUpstream.Script;
import dev.tollgate.platform.RequestLimits;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway's own answers at its edges: no key, unknown endpoints, bad bodies, the soft warning, the docs. */
class GatewayEdgeTests extends GatewayTest {

    private Http gateway(String key) {
        return new Http("http://localhost:" + port, key);
    }

    @Test
    void a_call_without_a_valid_key_is_refused_in_each_providers_shape() {
        var openAi = http.post("/openai/v1/chat/completions", Map.of("model", "gpt-4o", "messages", java.util.List.of()));
        assertThat(openAi.status()).isEqualTo(401);
        assertThat(openAi.json().path("error").path("code").asString()).isEqualTo("invalid_api_key");

        var anthropic = http.withHeader("x-api-key", "tgv_not_a_key").post("/anthropic/v1/messages",
                Map.of("model", "claude-sonnet-4-5", "max_tokens", 10, "messages", java.util.List.of()));
        assertThat(anthropic.status()).isEqualTo(401);
        assertThat(anthropic.json().path("type").asString()).isEqualTo("error");
        assertThat(anthropic.json().path("error").path("type").asString()).isEqualTo("authentication_error");
    }

    @Test
    void an_endpoint_the_gateway_does_not_serve_is_not_found_and_reserves_nothing() {
        String account = newAccount("lite");
        String key = gatewayKey(account);

        var audio = gateway(key).post("/openai/v1/audio/speech", Map.of("model", "gpt-4o"));
        var wrongKind = gateway(key).post("/anthropic/v1/chat/completions", Map.of("model", "gpt-4o"));

        assertThat(audio.status()).isEqualTo(404);
        assertThat(audio.json().path("error").path("code").asString()).isEqualTo("not_found");
        assertThat(wrongKind.status()).isEqualTo(404);
        assertThat(wrongKind.json().path("error").path("type").asString()).isEqualTo("not_found_error");
        assertThat(tokens(account).path("reserved").asLong()).isZero();
    }

    @Test
    void a_path_or_method_the_gateway_does_not_serve_is_not_found_in_the_providers_shape() {
        String key = gatewayKey(newAccount("lite"));

        var storedResponse = gateway(key).get("/openai/v1/responses/resp_67ccd2bed1ec8190b14f964abc054267");
        var files = gateway(key).get("/openai/v1/files");
        var deleted = gateway(key).withHeader("x-api-key", key).delete("/anthropic/v1/files/file_011CNha8iCJcU1wXNR6q4V8w");

        assertThat(storedResponse.status()).as(storedResponse.toString()).isEqualTo(404);
        assertThat(storedResponse.json().path("error").path("code").asString()).isEqualTo("not_found");
        assertThat(files.status()).isEqualTo(404);
        assertThat(deleted.status()).isEqualTo(404);
        assertThat(deleted.json().path("error").path("type").asString()).isEqualTo("not_found_error");
    }

    @Test
    void models_are_listed_and_retrieved_in_each_providers_shape_through_the_official_sdks() {
        String key = gatewayKey(newAccount("lite"));

        assertThat(openAi(key).models().retrieve("gpt-4o").id()).isEqualTo("gpt-4o");
        assertThatThrownBy(() -> openAi(key).models().retrieve("gpt-unpriced"))
                .isInstanceOf(com.openai.errors.NotFoundException.class)
                .hasMessageContaining("gpt-unpriced");
        var claude = anthropic(key).models().list().data();
        assertThat(claude).extracting(model -> model.id()).contains("claude-sonnet-4-5");
        assertThat(anthropic(key).models().retrieve("claude-sonnet-4-5").id()).isEqualTo("claude-sonnet-4-5");
    }

    @Test
    void a_body_too_large_or_too_deep_is_refused_in_the_providers_shape_and_a_configured_provider_takes_prompts() {
        String key = gatewayKey(newAccount("lite"));
        String tooLarge = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(RequestLimits.PROMPT_BODY_SIZE_MAX) + "\"}]}";
        String tooDeep = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"metadata\":" + "[".repeat(40)
                + "]".repeat(40) + ",\"messages\":[]}";
        String twoMegabytes = "{\"model\":\"llama-3.1-8b-instant\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "hello ".repeat(350_000) + "\"}]}";

        var large = gateway(key).send("POST", "/openai/v1/chat/completions", tooLarge, "application/json");
        var deep = gateway(key).withHeader("x-api-key", key).send("POST", "/anthropic/v1/messages", tooDeep,
                "application/json");
        var configured = gateway(key).send("POST", "/groq/v1/chat/completions", twoMegabytes, "application/json");

        assertThat(large.status()).isEqualTo(413);
        assertThat(large.json().path("error").path("code").asString()).isEqualTo("payload_too_large");
        assertThat(large.headers().get("x-should-retry")).containsExactly("false");
        assertThat(deep.status()).isEqualTo(400);
        assertThat(deep.json().path("type").asString()).isEqualTo("error");
        assertThat(deep.json().path("error").path("type").asString()).isEqualTo("validation_failed");
        assertThat(configured.status()).as("a prompt over 1 MiB is not refused for its size").isNotEqualTo(413);
    }

    @Test
    void fields_tollgate_does_not_know_reach_the_provider_as_sent() {
        String account = newAccount("lite");
        String marker = unique("newfield");
        UPSTREAM.script(marker, Script.answer(7, 3, "ok"));

        var response = gateway(gatewayKey(account)).post("/openai/v1/chat/completions", Map.of("model", "gpt-4o",
                "messages", java.util.List.of(Map.of("role", "user", "content", "hi " + marker)),
                "reasoning_effort", "low", "future_option", Map.of("depth", 2, "labels", java.util.List.of("a", "b"))));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        var sent = UPSTREAM.received(marker).getFirst().body();
        assertThat(sent.path("future_option").path("depth").asInt()).isEqualTo(2);
        assertThat(sent.path("future_option").path("labels").path(1).asString()).isEqualTo("b");
        assertThat(sent.path("reasoning_effort").asString()).isEqualTo("low");
    }

    @Test
    void a_body_without_a_model_is_refused_before_reserving() {
        String account = newAccount("lite");

        var response = gateway(gatewayKey(account)).post("/openai/v1/chat/completions",
                Map.of("messages", java.util.List.of(Map.of("role", "user", "content", "hi"))));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("code").asString()).isEqualTo("invalid_request");
        assertThat(pendingReservations(account)).isZero();
    }

    @Test
    void an_unpriced_model_is_refused_with_unknown_model_unless_byok() {
        String account = newAccount("lite");
        String marker = unique("unpriced");
        UPSTREAM.script(marker, Script.answer(5, 1, "ok"));
        var body = Map.of("model", "no-such-model", "messages",
                java.util.List.of(Map.of("role", "user", "content", "hi " + marker)));

        var refused = gateway(gatewayKey(account)).post("/openai/v1/chat/completions", body);
        var byok = gateway(gatewayKey(account)).withHeader("X-Tollgate-Provider-Key", "sk-own")
                .post("/openai/v1/chat/completions", body);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().path("error").path("code").asString()).isEqualTo("unknown_model");
        assertThat(byok.status()).as(byok.toString()).isEqualTo(200);
        assertThat(UPSTREAM.received(marker)).hasSize(1);
    }

    @Test
    void an_account_at_the_soft_limit_gets_the_warning_header() {
        String account = newAccount("lite");
        allowance(account, 10_000);
        use(account, 9_200);
        String marker = unique("warning");
        UPSTREAM.script(marker, Script.answer(20, 5, "ok"));

        var raw = openAi(gatewayKey(account)).chat().completions().withRawResponse().create(ChatCompletionCreateParams
                .builder().model("gpt-4o").addUserMessage("hi " + marker).maxCompletionTokens(50).build());

        assertThat(raw.headers().values("X-Tollgate-Warning")).containsExactly("User at 92.0% of quota");
        assertThat(raw.headers().values("X-Tollgate-Tokens-Remaining")).containsExactly(
                Long.toString(10_000 - 9_200 - 25));
    }

    @Test
    void the_api_docs_list_the_gateway_key_endpoints_and_not_the_provider_apis() {
        var docs = http.get("/v3/api-docs");

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().path("paths").has("/v1/accounts/{id}/gateway-keys")).isTrue();
        assertThat(docs.json().path("paths").has("/v1/accounts/{id}/gateway-keys/{keyId}")).isTrue();
        assertThat(docs.text()).doesNotContain("/{provider}/v1");
    }
}
