package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.tollgate.gateway.FakeUpstream.Script;
import dev.tollgate.pricing.TokenEstimator;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** What is billed when something goes wrong: upstream errors and timeouts, disconnects; and BYOK. */
class GatewayFailureTests extends GatewayTest {

    @Autowired
    TokenEstimator estimator;

    private String reservationStatus(String account) {
        return sql.sql("SELECT status FROM reservation WHERE account_id = :id").param("id", account)
                .query(String.class).single();
    }

    @Test
    void an_upstream_500_is_passed_through_and_releases_the_reservation() {
        String account = newAccount("lite");
        String marker = unique("upstream-500");
        UPSTREAM.script(marker, Script.error(500, "{\"error\":{\"message\":\"The server had an error while processing "
                + "your request. Sorry about that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));

        assertThatThrownBy(() -> openAi(gatewayKey(account)).chat().completions().create(params(marker)))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.getMessage()).contains("The server had an error while processing your request");
                });
        assertThat(reservationStatus(account)).isEqualTo("released");
        assertThat(tokens(account).path("used").asLong()).isZero();
        assertThat(tokens(account).path("reserved").asLong()).isZero();
    }

    @Test
    void an_upstream_that_does_not_answer_in_time_is_a_504_and_releases_the_reservation() {
        String account = newAccount("lite");
        String marker = unique("upstream-slow");
        UPSTREAM.script(marker, Script.answer(10, 5, "late").slowHeaders(READ_TIMEOUT.toMillis() + 2000));

        assertThatThrownBy(() -> openAi(gatewayKey(account)).chat().completions().create(params(marker)))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(504);
                    assertThat(e.code()).contains("upstream_timeout");
                });
        assertThat(reservationStatus(account)).isEqualTo("released");
        assertThat(tokens(account).path("reserved").asLong()).isZero();
    }

    @Test
    void a_client_that_disconnects_after_three_chunks_is_billed_for_what_was_streamed() {
        String account = newAccount("lite");
        String marker = unique("disconnect");
        String[] pieces = IntStream.range(0, 60).mapToObj(i -> " word" + i).toArray(String[]::new);
        UPSTREAM.script(marker, Script.answer(999, 999, pieces).slowPieces(50));

        try (StreamResponse<ChatCompletionChunk> stream = openAi(gatewayKey(account)).chat().completions()
                .createStreaming(params(marker))) {
            assertThat(stream.stream().limit(3).count()).isEqualTo(3);
        }

        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> pendingReservations(account) == 0);
        var usage = onlyUsage(account);
        long firstThree = estimator.countText("openai", "gpt-4o", " word0 word1");
        long all = estimator.countText("openai", "gpt-4o", String.join("", pieces));
        assertThat(usage.path("output_tokens").asLong()).isBetween(firstThree, all - 1);
        assertThat(usage.path("input_tokens").asLong()).as("the estimate, since no usage arrived").isLessThan(999);
        assertThat(usage.path("metadata").path("usage_source").asString()).isEqualTo("estimated");
        assertThat(usage.path("metadata").path("on_disconnect").asString()).isEqualTo("cancel");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> UPSTREAM.cancelled(marker));
    }

    @Test
    void byok_reaches_the_provider_with_the_users_key_and_leaves_platform_meters_untouched() {
        String account = newAccount("lite");
        String marker = unique("byok");
        UPSTREAM.script(marker, Script.answer(500, 50, "Yours"));
        String userKey = "sk-user-own-key-" + marker;

        openAi(gatewayKey(account), Map.of("X-Tollgate-Provider-Key", userKey)).chat().completions()
                .create(params(marker));

        assertThat(UPSTREAM.received(marker).getFirst().headers().get("authorization")).isEqualTo("Bearer " + userKey);
        var usage = onlyUsage(account);
        assertThat(usage.path("byok").asBoolean()).isTrue();
        assertThat(usage.path("total_tokens").asLong()).isEqualTo(550);
        assertThat(usage.path("cost_usd").asString()).isNotEqualTo("0.000000");
        assertThat(tokens(account).path("used").asLong()).isZero();
        assertThat(tokens(account).path("reserved").asLong()).isZero();
        assertThat(admin.get("/v1/accounts/" + account + "/usage").text()).doesNotContain(userKey);
        assertThat(admin.get("/v1/accounts/" + account + "/events?limit=200").text()).doesNotContain(userKey);
        assertThat(sql.sql("SELECT count(*) FROM reservation WHERE metadata::text LIKE :key")
                .param("key", "%" + userKey + "%").query(Long.class).single()).isZero();
    }
}
