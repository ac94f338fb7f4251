package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.PaymentRequiredException;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.tollgate.gateway.FakeUpstream.Script;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** Anthropic Messages through the gateway, driven by anthropic-java. */
class GatewayAnthropicTests extends GatewayTest {

    private static MessageCreateParams params(String marker, long maxTokens) {
        return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(maxTokens)
                .addUserMessage("Say hello. " + marker).build();
    }

    @Test
    void a_message_commits_input_with_cache_reads_output_and_cached_tokens() {
        String account = newAccount("lite");
        String marker = unique("message");
        UPSTREAM.script(marker, Script.answer(900, 33, "Hello!").cached(300));

        var message = anthropic(gatewayKey(account)).messages().create(params(marker, 200));

        assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo("Hello!");
        var usage = onlyUsage(account);
        assertThat(usage.path("provider").asString()).isEqualTo("anthropic");
        assertThat(usage.path("input_tokens").asLong()).as("input_tokens plus cache reads").isEqualTo(900);
        assertThat(usage.path("cached_input_tokens").asLong()).isEqualTo(300);
        assertThat(usage.path("output_tokens").asLong()).isEqualTo(33);
        var received = UPSTREAM.received(marker).getFirst();
        assertThat(received.headers().get("x-api-key")).isEqualTo(PLATFORM_ANTHROPIC_KEY);
        assertThat(received.headers().get("anthropic-version")).as("the SDK's version, forwarded").isNotBlank();
    }

    @Test
    void prompt_cache_writes_are_recorded_apart_and_charged_the_cache_write_price() {
        String account = newAccount("lite");
        createAndStream(account, Script.answer(2_000, 100, "Cac", "hed.").cached(500).cacheWrites(1_000));

        var records = usageRecords(account);
        assertThat(records).hasSize(2).allSatisfy(usage -> {
            assertThat(usage.path("input_tokens").asLong()).as("plain input, cache reads and cache writes")
                    .isEqualTo(2_000);
            assertThat(usage.path("cached_input_tokens").asLong()).isEqualTo(500);
            assertThat(usage.path("cache_write_input_tokens").asLong()).isEqualTo(1_000);
            // claude-sonnet-4-5 per million: $3 input, $0.30 cache read, $3.75 cache write, $15 output.
            assertThat(usage.path("cost_usd").asString()).as("500 x 3 + 500 x 0.3 + 1,000 x 3.75 + 100 x 15, per 1M")
                    .isEqualTo("0.006900");
        });
    }

    @Test
    void one_hour_cache_writes_are_recorded_apart_and_charged_the_one_hour_price() {
        String account = newAccount("lite");
        createAndStream(account, Script.answer(2_000, 100, "Cac", "hed.").cached(500).cacheWrites(1_000, 600));

        var records = usageRecords(account);
        assertThat(records).hasSize(2).allSatisfy(usage -> {
            assertThat(usage.path("cache_write_input_tokens").asLong()).isEqualTo(1_000);
            assertThat(usage.path("cache_write_1h_input_tokens").asLong()).isEqualTo(600);
            // claude-sonnet-4-5 per million: $3 input, $0.30 cache read, $3.75 five-minute and $6 one-hour cache
            // write, $15 output.
            assertThat(usage.path("cost_usd").asString())
                    .as("500 x 3 + 500 x 0.3 + 400 x 3.75 + 600 x 6 + 100 x 15, per 1M")
                    .isEqualTo("0.008250");
        });
    }

    /** One whole message and one streamed message, each answered by the fake upstream with {@code script}. */
    private void createAndStream(String account, Script script) {
        String marker = unique("whole");
        UPSTREAM.script(marker, script);
        String streamed = unique("streamed");
        UPSTREAM.script(streamed, script);

        anthropic(gatewayKey(account)).messages().create(params(marker, 200));
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic(gatewayKey(account)).messages()
                .createStreaming(params(streamed, 200))) {
            stream.stream().forEach(event -> { });
        }
    }

    @Test
    void a_streamed_message_keeps_its_event_lines_and_commits_message_start_and_message_delta_usage() {
        String account = newAccount("lite");
        String marker = unique("message-stream");
        UPSTREAM.script(marker, Script.answer(410, 27, "Hel", "lo", "!"));

        var events = new ArrayList<RawMessageStreamEvent>();
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic(gatewayKey(account)).messages()
                .createStreaming(params(marker, 200))) {
            stream.stream().forEach(events::add);
        }

        var text = new StringBuilder();
        events.forEach(event -> event.contentBlockDelta()
                .flatMap(delta -> delta.delta().text()).ifPresent(delta -> text.append(delta.text())));
        assertThat(text.toString()).isEqualTo("Hello!");
        assertThat(events.getFirst().isMessageStart()).isTrue();
        assertThat(events.getLast().isMessageStop()).isTrue();
        var usage = onlyUsage(account);
        assertThat(usage.path("input_tokens").asLong()).isEqualTo(410);
        assertThat(usage.path("output_tokens").asLong()).isEqualTo(27);
        assertThat(usage.path("metadata").path("usage_source").asString()).isEqualTo("provider");
    }

    @Test
    void a_denial_raises_payment_required_with_the_seed_message_and_never_calls_the_provider() {
        String account = newAccount("lite");
        allowance(account, 40);
        String marker = unique("denied");

        assertThatThrownBy(() -> anthropic(gatewayKey(account)).messages().create(params(marker, 500)))
                .isInstanceOfSatisfying(PaymentRequiredException.class, e -> {
                    assertThat(e.headers().values("x-should-retry")).containsExactly("false");
                    assertThat(e.body().toString()).contains("insufficient_tokens");
                    assertThat(e.getMessage()).containsPattern(
                            "Insufficient tokens\\. You have 40 tokens remaining, but this request needs ~\\d+ tokens\\.");
                });
        assertThat(UPSTREAM.received(marker)).isEmpty();
    }

    @Test
    void count_tokens_is_answered_by_the_provider_and_reserves_nothing() {
        String account = newAccount("lite");
        String marker = unique("count");
        UPSTREAM.script(marker, Script.answer(77, 0));

        var count = anthropic(gatewayKey(account)).messages().countTokens(MessageCountTokensParams.builder()
                .model("claude-sonnet-4-5").addUserMessage("Count me. " + marker).build());

        assertThat(count.inputTokens()).isEqualTo(77);
        assertThat(UPSTREAM.received(marker)).hasSize(1);
        assertThat(admin.get("/v1/accounts/" + account + "/usage").json().path("data").size()).isZero();
        assertThat(tokens(account).path("used").asLong()).isZero();
    }
}
