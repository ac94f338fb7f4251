package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.EngineTest;
import dev.tollgate.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Invariant 3: a retry with the same Idempotency-Key returns the first answer and moves nothing twice. */
class IdempotencyTests extends EngineTest {

    @Test
    void every_value_moving_post_replays_its_first_response() {
        String account = unique("idem");
        track(account);
        var create = once("/v1/accounts", Map.of("id", account, "plan", "payg"));
        assertThat(create.status()).isEqualTo(201);

        var topUp = once("/v1/accounts/" + account + "/top-ups", Map.of("amount_usd", "5.00"));
        assertThat(topUp.status()).isEqualTo(201);
        var credits = once("/v1/accounts/" + account + "/credits", Map.of("type", "add", "amount", 2,
                "description", "gift"));
        assertThat(credits.status()).isEqualTo(201);

        var reservation = once("/v1/reservations", Map.of("account_id", account, "provider", "openai",
                "model", "gpt-4o", "input_tokens", 100, "max_output_tokens", 100));
        assertThat(reservation.status()).isEqualTo(201);
        String id = reservation.json().path("id").asString();
        var commit = once("/v1/reservations/" + id + "/commit", Map.of("input_tokens", 100, "output_tokens", 50));
        assertThat(commit.status()).isEqualTo(200);

        var second = reservation("/v1/reservations", account);
        var release = once("/v1/reservations/" + second + "/release", null);
        assertThat(release.status()).isEqualTo(200);

        var usage = once("/v1/usage", Map.of("account_id", account, "provider", "openai", "model", "gpt-4o",
                "input_tokens", 10, "output_tokens", 10));
        assertThat(usage.status()).isEqualTo(201);

        var summary = summary(account);
        assertThat(summary.path("credits").path("balance").asLong()).isEqualTo(5);
        assertThat(summary.path("tokens").path("used").asLong()).isEqualTo(170);
        assertThat(admin.get("/v1/accounts/" + account + "/ledger?meter=balance").json().path("data").size())
                .isEqualTo(3);
    }

    @Test
    void a_denied_reservation_is_replayed_as_the_same_denial() {
        String account = newAccount("trial");
        var key = unique("key");
        var body = Map.<String, Object>of("account_id", account, "provider", "openai", "model", "gpt-4o",
                "input_tokens", 7000);
        var first = admin.idempotent(key).post("/v1/reservations", body);
        var second = admin.idempotent(key).post("/v1/reservations", body);
        assertThat(first.status()).isEqualTo(402);
        assertThat(second.status()).isEqualTo(402);
        assertThat(second.text()).isEqualTo(first.text());
        assertThat(eventTypes(account).stream().filter("limit_enforced"::equals).count()).isEqualTo(1);
    }

    @Test
    void the_same_key_with_a_different_body_is_refused_and_changes_nothing() {
        String account = newAccount("credits");
        String key = unique("key");
        var first = admin.idempotent(key).post("/v1/accounts/" + account + "/credits",
                Map.of("type", "add", "amount", 1, "description", "one"));
        var reused = admin.idempotent(key).post("/v1/accounts/" + account + "/credits",
                Map.of("type", "add", "amount", 100, "description", "hundred"));
        assertThat(first.status()).isEqualTo(201);
        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.code()).isEqualTo("idempotency_key_reused");
        assertThat(summary(account).path("credits").path("balance").asLong()).isEqualTo(4);
    }

    @Test
    void committing_again_with_the_same_numbers_returns_the_same_record_and_other_numbers_conflict() {
        String account = newAccount("pro");
        String id = approvedReservation(account, 100, 100);
        var first = commit(id, 100, 80);
        var again = commit(id, 100, 80);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("id").asString()).isEqualTo(first.json().path("id").asString());
        var different = commit(id, 100, 81);
        assertThat(different.status()).isEqualTo(409);
        assertThat(different.code()).isEqualTo("reservation_already_committed");
        assertThat(admin.post("/v1/reservations/" + id + "/release", null).status()).isEqualTo(409);
        assertThat(summary(account).path("tokens").path("used").asLong()).isEqualTo(180);
    }

    private String reservation(String path, String account) {
        var response = admin.post(path, Map.of("account_id", account, "provider", "openai", "model", "gpt-4o",
                "input_tokens", 10, "max_output_tokens", 10));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json().path("id").asString();
    }

    /** Sends the same request twice with one key and checks the replay is identical. */
    private Http.Response once(String path, Map<String, Object> body) {
        var client = admin.idempotent(unique("key"));
        var first = client.post(path, body);
        var second = client.post(path, body);
        assertThat(second.status()).as(path).isEqualTo(first.status());
        assertThat(second.text()).as(path).isEqualTo(first.text());
        return first;
    }
}
