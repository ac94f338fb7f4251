package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.EngineTest;
import dev.tollgate.Http;
import dev.tollgate.Race;
import dev.tollgate.TollgateNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A conversation holds one slot of its period from its first reservation on, however many of its
 * calls are pending or committed (the Free plan has five).
 */
class ConversationSlotTests extends EngineTest {

    private static TollgateNode secondNode;

    @BeforeAll
    static void startSecondNode() {
        secondNode = TollgateNode.start(Map.of());
    }

    @AfterAll
    static void stopSecondNode() {
        secondNode.close();
    }

    @Test
    void two_pending_calls_of_one_conversation_take_one_slot() {
        String account = newAccount("free");

        var first = call(account, "x");
        var second = call(account, "x");

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(first.json().path("reserved").path("conversations").asLong()).isEqualTo(1);
        assertThat(second.json().path("reserved").path("conversations").asLong()).isZero();
        assertThat(second.json().path("remaining").path("conversations").asLong()).isEqualTo(4);
        assertConversations(account, 0, 1, 4);
    }

    @Test
    void with_five_conversations_open_a_call_in_one_of_them_is_approved_and_a_new_one_refused() {
        String account = newAccount("free");
        var open = new java.util.ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            open.add(approved(account, "c" + i));
        }

        var inOpenConversation = call(account, "c1");
        var newConversation = call(account, "c5");

        assertThat(inOpenConversation.status()).as(inOpenConversation.toString()).isEqualTo(201);
        assertThat(newConversation.status()).isEqualTo(402);
        assertThat(newConversation.code()).isEqualTo("conversation_limit_reached");
        assertThat(newConversation.json().path("detail").asString())
                .startsWith("5 of 5 conversations in use this period (0 finished, 5 open) on the Free plan."
                        + " It resets at ");
        assertThat(newConversation.json().path("remaining").asLong()).isZero();

        for (String reservation : open.subList(0, 3)) {
            assertThat(commit(reservation, 10, 10).status()).isEqualTo(200);
        }
        assertThat(call(account, "c6").json().path("detail").asString())
                .startsWith("5 of 5 conversations in use this period (3 finished, 2 open) on the Free plan.");
        assertConversations(account, 3, 2, 0);
        releaseAll(account);
    }

    @Test
    void releasing_the_only_call_of_a_conversation_frees_its_slot() {
        String account = newAccount("free");
        String only = approved(account, "x");

        assertThat(admin.post("/v1/reservations/" + only + "/release", null).status()).isEqualTo(200);

        assertConversations(account, 0, 0, 5);
        assertThat(sql.sql("SELECT count(*) FROM conversation WHERE account_id = ?").param(account)
                .query(Long.class).single()).isZero();
    }

    @Test
    void a_conversation_keeps_its_slot_while_any_call_is_pending_and_frees_it_with_the_last() {
        String account = newAccount("free");
        String first = approved(account, "x");
        String second = approved(account, "x");

        admin.post("/v1/reservations/" + first + "/release", null);
        assertConversations(account, 0, 1, 4);

        admin.post("/v1/reservations/" + second + "/release", null);
        assertConversations(account, 0, 0, 5);
    }

    @Test
    void committing_one_call_finishes_the_conversation_and_releasing_the_others_keeps_it() {
        String account = newAccount("free");
        String first = approved(account, "x");
        String second = approved(account, "x");
        String third = approved(account, "x");

        assertThat(commit(second, 10, 10).status()).isEqualTo(200);
        assertConversations(account, 1, 0, 4);
        assertThat(commit(first, 10, 10).status()).isEqualTo(200);
        admin.post("/v1/reservations/" + third + "/release", null);

        assertConversations(account, 1, 0, 4);
        var entries = admin.get("/v1/accounts/" + account + "/ledger?meter=conversations").json().path("data");
        assertThat(entries.size()).as(entries.toString()).isEqualTo(1);
        assertThat(call(account, "x").json().path("reserved").path("conversations").asLong()).isZero();
        releaseAll(account);
    }

    @Test
    void an_expired_conversation_that_never_committed_frees_its_slot() {
        String account = newAccount("free");
        for (int i = 0; i < 5; i++) {
            approved(account, "c" + i);
        }

        clock.advance(Duration.ofMinutes(16));
        var afterExpiry = call(account, "c5");

        assertThat(afterExpiry.status()).as(afterExpiry.toString()).isEqualTo(201);
        assertConversations(account, 0, 1, 4);
        releaseAll(account);
    }

    @Test
    void each_call_without_a_conversation_id_is_a_conversation_of_its_own() {
        String account = newAccount("free");
        String first = approvedReservation(account, 10, 10);
        approvedReservation(account, 10, 10);

        assertConversations(account, 0, 2, 3);
        commit(first, 10, 10);
        assertConversations(account, 1, 1, 3);
        releaseAll(account);
    }

    @Test
    void thirty_two_concurrent_first_calls_of_one_conversation_on_two_nodes_take_one_slot() throws Exception {
        String account = newAccount("free");

        var answers = raceFirstCalls(account, "new-conversation", 32);

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.toString()).isEqualTo(201));
        assertThat(answers.stream().filter(a -> a.json().path("reserved").path("conversations").asLong() == 1))
                .hasSize(1);
        assertConversations(account, 0, 1, 4);
        for (var answer : answers) {
            assertThat(commit(answer.json().path("id").asString(), 10, 10).status()).isEqualTo(200);
        }
        assertConversations(account, 1, 0, 4);
    }

    private Http.Response call(String account, String conversationId) {
        return reserve(account, Map.of("input_tokens", 10, "max_output_tokens", 10,
                "conversation_id", conversationId));
    }

    private String approved(String account, String conversationId) {
        var answer = call(account, conversationId);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        return answer.json().path("id").asString();
    }

    private void assertConversations(String account, long used, long reserved, long remaining) {
        JsonNode conversations = summary(account).path("conversations");
        assertThat(conversations.path("limit").asLong()).isEqualTo(5);
        assertThat(conversations.path("used").asLong()).as("used").isEqualTo(used);
        assertThat(conversations.path("reserved").asLong()).as("reserved").isEqualTo(reserved);
        assertThat(conversations.path("remaining").asLong()).as("remaining").isEqualTo(remaining);
    }

    private List<Http.Response> raceFirstCalls(String account, String conversationId, int clients) throws Exception {
        var nodes = List.of(admin, secondNode.admin());
        var body = Map.<String, Object>of("account_id", account, "provider", "openai", "model", "gpt-4o",
                "input_tokens", 10, "max_output_tokens", 10, "conversation_id", conversationId);
        return Race.run(nodes, clients, node -> node.post("/v1/reservations", body));
    }
}
