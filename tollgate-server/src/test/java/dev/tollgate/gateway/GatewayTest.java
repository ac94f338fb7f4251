package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tollgate.EngineTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Base of the gateway's tests: Tollgate's gateway in front of {@link FakeUpstream}, driven by the official
 * OpenAI and Anthropic SDKs with only their base URL and key changed. All gateway tests share one
 * context (the same properties), so the suite starts it once.
 */
abstract class GatewayTest extends EngineTest {

    static final FakeUpstream UPSTREAM = FakeUpstream.INSTANCE;
    static final String PLATFORM_OPENAI_KEY = "sk-platform-openai-test-key";
    static final String PLATFORM_ANTHROPIC_KEY = "sk-ant-platform-test-key";
    static final String PLATFORM_GROQ_KEY = "gsk-platform-groq-test-key";
    static final Duration READ_TIMEOUT = Duration.ofSeconds(3);

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        gatewayProperties().forEach((key, value) -> registry.add(key, () -> value));
    }

    /** The gateway's settings of every test node: upstreams on the fake, a short read timeout. */
    static Map<String, Object> gatewayProperties() {
        var properties = new HashMap<String, Object>();
        properties.put("tollgate.gateway.openai.base-url", UPSTREAM.baseUrl("openai"));
        properties.put("tollgate.gateway.openai.api-key", PLATFORM_OPENAI_KEY);
        properties.put("tollgate.gateway.anthropic.base-url", UPSTREAM.baseUrl("anthropic"));
        properties.put("tollgate.gateway.anthropic.api-key", PLATFORM_ANTHROPIC_KEY);
        properties.put("tollgate.gateway.providers.groq.kind", "openai");
        properties.put("tollgate.gateway.providers.groq.base-url", UPSTREAM.baseUrl("openai"));
        properties.put("tollgate.gateway.providers.groq.api-key", PLATFORM_GROQ_KEY);
        properties.put("tollgate.gateway.read-timeout", READ_TIMEOUT.toString());
        return properties;
    }

    /** A chat completion of gpt-4o (up to 500 tokens) whose prompt carries the marker of a script. */
    static ChatCompletionCreateParams params(String marker) {
        return ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("Go. " + marker)
                .maxCompletionTokens(500).build();
    }

    protected String gatewayKey(String accountId) {
        var created = admin.post("/v1/accounts/" + accountId + "/gateway-keys", Map.of("name", "test"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("secret").asString();
    }

    protected OpenAIClient openAi(String key) {
        return openAi(key, Map.of());
    }

    protected OpenAIClient openAi(String key, Map<String, String> headers) {
        var builder = OpenAIOkHttpClient.builder().baseUrl("http://localhost:" + port + "/openai/v1").apiKey(key)
                .maxRetries(0);
        headers.forEach(builder::putHeader);
        return builder.build();
    }

    protected AnthropicClient anthropic(String key) {
        return anthropic(key, Map.of());
    }

    protected AnthropicClient anthropic(String key, Map<String, String> headers) {
        var builder = AnthropicOkHttpClient.builder().baseUrl("http://localhost:" + port + "/anthropic").apiKey(key)
                .maxRetries(0);
        headers.forEach(builder::putHeader);
        return builder.build();
    }

    protected void allowance(String accountId, long tokens) {
        var response = admin.put("/v1/accounts/" + accountId + "/allowance", Map.of("tokens_per_period", tokens));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    /** The account's one usage record. */
    protected JsonNode onlyUsage(String accountId) {
        var usage = usageRecords(accountId);
        assertThat(usage.size()).as(usage.toString()).isEqualTo(1);
        return usage.get(0);
    }

    /** The account's usage records, newest first. */
    protected JsonNode usageRecords(String accountId) {
        var usage = admin.get("/v1/accounts/" + accountId + "/usage");
        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
        return usage.json().path("data");
    }

    protected JsonNode tokens(String accountId) {
        return summary(accountId).path("tokens");
    }

    protected long pendingReservations(String accountId) {
        return sql.sql("SELECT count(*) FROM reservation WHERE account_id = :id AND status = 'pending'")
                .param("id", accountId).query(Long.class).single();
    }
}
