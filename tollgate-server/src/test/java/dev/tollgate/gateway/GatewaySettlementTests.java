package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.tollgate.gateway.FakeUpstream.Script;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The usage is committed before the answer: a client that reads its usage or ledger as soon as its SDK call
 * has returned sees the call, with no waiting.
 */
class GatewaySettlementTests extends GatewayTest {

    @Test
    void a_whole_answers_and_a_streams_usage_and_ledger_entries_are_readable_the_moment_the_sdk_call_returns() {
        String account = newAccount("lite");
        String wholeMarker = unique("read-whole");
        String streamMarker = unique("read-stream");
        UPSTREAM.script(wholeMarker, Script.answer(321, 45, "Hello", " there"));
        UPSTREAM.script(streamMarker, Script.answer(111, 22, "Hel", "lo"));
        var client = openAi(gatewayKey(account));

        var whole = client.chat().completions().withRawResponse().create(params(wholeMarker));
        String wholeReservation = whole.headers().values("X-Tollgate-Reservation").getFirst();

        assertThat(usageOf(account)).singleElement().satisfies(usage -> {
            assertThat(usage.path("input_tokens").asLong()).isEqualTo(321);
            assertThat(usage.path("output_tokens").asLong()).isEqualTo(45);
        });
        assertThat(tokenUsageEntries(account)).singleElement().satisfies(entry -> {
            assertThat(entry.path("reference").asString()).isEqualTo(wholeReservation);
            assertThat(entry.path("amount").asLong()).isEqualTo(321 + 45);
        });
        assertThat(whole.headers().values("X-Tollgate-Tokens-Remaining")).containsExactly(
                Long.toString(200_000 - 321 - 45));

        var streamed = client.chat().completions().withRawResponse().createStreaming(params(streamMarker));
        String streamReservation = streamed.headers().values("X-Tollgate-Reservation").getFirst();
        try (StreamResponse<ChatCompletionChunk> stream = streamed.parse()) {
            stream.stream().forEach(chunk -> { });

            // Read while the stream is still open: the client has seen its end, nothing more.
            assertThat(usageOf(account)).hasSize(2).anySatisfy(usage -> {
                assertThat(usage.path("input_tokens").asLong()).isEqualTo(111);
                assertThat(usage.path("output_tokens").asLong()).isEqualTo(22);
            });
            assertThat(tokenUsageEntries(account)).hasSize(2).anySatisfy(entry -> {
                assertThat(entry.path("reference").asString()).isEqualTo(streamReservation);
                assertThat(entry.path("amount").asLong()).isEqualTo(111 + 22);
            });
        }
        assertThat(tokens(account).path("used").asLong()).isEqualTo(321 + 45 + 111 + 22);
        assertThat(pendingReservations(account)).isZero();
    }

    private List<JsonNode> usageOf(String account) {
        return list(admin.get("/v1/accounts/" + account + "/usage").json().path("data"));
    }

    private List<JsonNode> tokenUsageEntries(String account) {
        return list(admin.get("/v1/accounts/" + account + "/ledger?meter=tokens").json().path("data")).stream()
                .filter(entry -> entry.path("type").asString().equals("usage")).toList();
    }

    private static List<JsonNode> list(JsonNode array) {
        var items = new ArrayList<JsonNode>();
        array.forEach(items::add);
        return items;
    }
}
