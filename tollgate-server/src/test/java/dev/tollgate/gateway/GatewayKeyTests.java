package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.errors.UnauthorizedException;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tollgate.Http;
import dev.tollgate.gateway.FakeUpstream.Script;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gateway keys: created, listed, revoked, expiring, limited to models; and service keys paying for an account. */
class GatewayKeyTests extends GatewayTest {

    private static ChatCompletionCreateParams params(String model, String marker) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hi " + marker).maxCompletionTokens(20)
                .build();
    }

    @Test
    void a_gateway_key_is_shown_once_listed_without_its_secret_and_refused_once_revoked() {
        String account = newAccount("lite");
        var created = admin.post("/v1/accounts/" + account + "/gateway-keys", Map.of("name", "laptop"));
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("secret").asString();
        String id = created.json().path("id").asString();
        assertThat(secret).startsWith("tgv_");
        String marker = unique("key");
        UPSTREAM.script(marker, Script.answer(10, 2, "Hi"));
        openAi(secret).chat().completions().create(params("gpt-4o", marker));

        var listed = admin.get("/v1/accounts/" + account + "/gateway-keys");
        assertThat(listed.json().path("data").size()).isEqualTo(1);
        assertThat(listed.json().path("data").get(0).has("secret")).isFalse();
        assertThat(listed.text()).doesNotContain(secret);
        var revoked = admin.delete("/v1/accounts/" + account + "/gateway-keys/" + id);
        assertThat(revoked.json().path("revoked_at").isNull()).isFalse();

        assertThatThrownBy(() -> openAi(secret).chat().completions().create(params("gpt-4o", marker)))
                .isInstanceOfSatisfying(com.openai.errors.UnauthorizedException.class,
                        e -> assertThat(e.code()).contains("invalid_api_key"));
        assertThat(UPSTREAM.received(marker)).hasSize(1);
    }

    @Test
    void a_gateway_key_revoked_by_another_node_stops_working_here_once_the_cache_second_has_passed() {
        String account = newAccount("lite");
        String secret = admin.post("/v1/accounts/" + account + "/gateway-keys", Map.of()).json().path("secret")
                .asString();
        String marker = unique("elsewhere");
        UPSTREAM.script(marker, Script.answer(10, 2, "Hi"));
        openAi(secret).chat().completions().create(params("gpt-4o", marker));

        // What another node's revocation leaves behind: the row revoked, this node's cache untouched.
        sql.sql("UPDATE gateway_key SET revoked_at = :now WHERE account_id = :account")
                .param("now", java.sql.Timestamp.from(clock.instant())).param("account", account).update();
        openAi(secret).chat().completions().create(params("gpt-4o", marker));
        clock.advance(GatewayKeys.CACHE_TTL.plusMillis(1));

        assertThatThrownBy(() -> openAi(secret).chat().completions().create(params("gpt-4o", marker)))
                .isInstanceOf(com.openai.errors.UnauthorizedException.class);
        assertThat(UPSTREAM.received(marker)).as("the call within the second still went through").hasSize(2);
    }

    @Test
    void an_expired_key_is_refused_in_anthropics_shape() {
        String account = newAccount("lite");
        var created = admin.post("/v1/accounts/" + account + "/gateway-keys",
                Map.of("expires_at", clock.instant().plus(Duration.ofMinutes(1)).toString()));
        String secret = created.json().path("secret").asString();
        clock.advance(Duration.ofMinutes(2));

        assertThatThrownBy(() -> anthropic(secret).messages().create(com.anthropic.models.messages.MessageCreateParams
                .builder().model("claude-sonnet-4-5").maxTokens(10).addUserMessage("Hi").build()))
                .isInstanceOfSatisfying(UnauthorizedException.class,
                        e -> assertThat(e.body().toString()).contains("authentication_error"));
    }

    @Test
    void a_key_limited_to_models_refuses_others_before_reserving() {
        String account = newAccount("lite");
        var created = admin.post("/v1/accounts/" + account + "/gateway-keys", Map.of("models", List.of("gpt-4o-mini")));
        String secret = created.json().path("secret").asString();
        String marker = unique("models");
        UPSTREAM.script(marker, Script.answer(10, 2, "Hi"));

        assertThatThrownBy(() -> openAi(secret).chat().completions().create(params("gpt-4o", marker)))
                .isInstanceOfSatisfying(PermissionDeniedException.class,
                        e -> assertThat(e.code()).contains("model_not_allowed"));
        openAi(secret).chat().completions().create(params("gpt-4o-mini", marker));

        assertThat(UPSTREAM.received(marker)).hasSize(1);
        assertThat(onlyUsage(account).path("model").asString()).isEqualTo("gpt-4o-mini");
        var models = new Http("http://localhost:" + port, secret).get("/openai/v1/models");
        assertThat(models.json().path("data").size()).isEqualTo(1);
        assertThat(models.json().path("data").get(0).path("id").asString()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void a_service_key_pays_for_the_account_named_in_x_tollgate_account() {
        String account = newAccount("lite");
        String marker = unique("service");
        UPSTREAM.script(marker, Script.answer(12, 3, "ok"));

        openAi(keyWithRole("service"), Map.of("X-Tollgate-Account", account, "X-Tollgate-Job-Type", "review",
                "X-Tollgate-Job-Id", "job-7", "X-Tollgate-Conversation", "conv-1"))
                .chat().completions().create(params("gpt-4o", marker));

        var usage = onlyUsage(account);
        assertThat(usage.path("total_tokens").asLong()).isEqualTo(15);
        assertThat(usage.path("job_type").asString()).isEqualTo("review");
        assertThat(usage.path("job_id").asString()).isEqualTo("job-7");
        assertThat(usage.path("conversation_id").asString()).isEqualTo("conv-1");
    }

    @Test
    void a_read_key_cannot_manage_gateway_keys_nor_pay_for_an_account() {
        String account = newAccount("lite");
        String read = keyWithRole("read");
        var created = http.as(read).post("/v1/accounts/" + account + "/gateway-keys", Map.of());
        assertThat(created.status()).isEqualTo(403);
        assertThat(http.as(read).get("/v1/accounts/" + account + "/gateway-keys").status()).isEqualTo(403);

        assertThatThrownBy(() -> openAi(read, Map.of("X-Tollgate-Account", account)).chat().completions()
                .create(params("gpt-4o", unique("read")))).isInstanceOf(com.openai.errors.UnauthorizedException.class);
    }

    @Test
    void a_key_for_a_missing_account_is_not_found() {
        var created = admin.post("/v1/accounts/" + unique("nobody") + "/gateway-keys", Map.of());
        assertThat(created.status()).isEqualTo(404);
        assertThat(created.json().path("code").asString()).isEqualTo("account_not_found");
    }
}
