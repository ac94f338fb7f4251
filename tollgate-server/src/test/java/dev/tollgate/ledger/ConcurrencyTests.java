package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.EngineTest;
import dev.tollgate.Http;
import dev.tollgate.Race;
import dev.tollgate.TollgateNode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Invariant 1: no overspend, whatever the number of clients and nodes. */
class ConcurrencyTests extends EngineTest {

    private static final int CLIENTS = 64;
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
    void sixty_four_racing_reservations_on_two_nodes_approve_exactly_as_many_as_fit() throws Exception {
        int fits = 20;
        String account = newAccount("pro");
        admin.put("/v1/accounts/" + account + "/allowance", Map.of("tokens_per_period", fits * 100));

        var statuses = race(account, Map.of("input_tokens", 50, "max_output_tokens", 50));

        assertThat(statuses.stream().filter(s -> s.status() == 201).count()).isEqualTo(fits);
        assertThat(statuses.stream().filter(s -> s.status() == 402).count())
                .as(statuses.stream().filter(s -> s.status() != 201).map(Object::toString).distinct().toList()
                        .toString())
                .isEqualTo(CLIENTS - fits);
        var tokens = summary(account).path("tokens");
        assertThat(tokens.path("reserved").asLong()).isEqualTo(fits * 100L);
        assertThat(tokens.path("used").asLong() + tokens.path("reserved").asLong()).isLessThanOrEqualTo(fits * 100L);

        for (var approved : statuses.stream().filter(s -> s.status() == 201).toList()) {
            var committed = commit(approved.json().path("id").asString(), 60, 40);
            assertThat(committed.status()).isEqualTo(200);
        }
        assertThat(summary(account).path("tokens").path("used").asLong()).isEqualTo(fits * 100L);
        assertThat(reserve(account, 1, 0).code()).isEqualTo("limit_exceeded");
    }

    @Test
    void racing_requests_never_spend_more_credits_than_the_account_has() throws Exception {
        String account = newAccount("credits");
        var statuses = race(account, Map.of("input_tokens", 10, "max_output_tokens", 10));
        assertThat(statuses.stream().filter(s -> s.status() == 201).count()).isEqualTo(3);
        assertThat(statuses.stream().filter(s -> s.status() == 402)
                .allMatch(s -> s.code().equals("insufficient_credits"))).isTrue();
        assertThat(summary(account).path("credits").path("reserved").asLong()).isEqualTo(3);
    }

    @Test
    void racing_retries_with_one_idempotency_key_on_two_nodes_reserve_once_and_all_answer_it() throws Exception {
        String account = newAccount("pro");
        String key = unique("key");

        var answers = race(account, Map.of("input_tokens", 50, "max_output_tokens", 50), key);

        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).as(answer.toString()).isEqualTo(201));
        assertThat(answers.stream().map(Http.Response::text).distinct()).hasSize(1);
        assertThat(answers.stream().filter(a -> !a.headers().containsKey("idempotent-replayed"))).hasSize(1);
        assertThat(summary(account).path("tokens").path("reserved").asLong()).isEqualTo(100);
        assertThat(sql.sql("SELECT count(*) FROM reservation WHERE account_id = ?").param(account)
                .query(Long.class).single()).isEqualTo(1);
        assertThat(eventTypes(account).stream().filter("reservation.approved"::equals)).hasSize(1);
    }

    private List<Http.Response> race(String account, Map<String, Object> fields) throws Exception {
        return race(account, fields, null);
    }

    /** All clients start together; half go to each node; with a key, every client sends the same one. */
    private List<Http.Response> race(String account, Map<String, Object> fields, @Nullable String key)
            throws Exception {
        var nodes = key == null ? List.of(admin, secondNode.admin())
                : List.of(admin.idempotent(key), secondNode.admin().idempotent(key));
        var body = new java.util.HashMap<String, Object>(Map.of("account_id", account, "provider", "openai",
                "model", "gpt-4o"));
        body.putAll(fields);
        return Race.run(nodes, CLIENTS, node -> node.post("/v1/reservations", body));
    }
}
