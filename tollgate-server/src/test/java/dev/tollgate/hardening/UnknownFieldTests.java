package dev.tollgate.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.EngineTest;
import dev.tollgate.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A misspelled field is refused with {@code unknown_field}, names the field it probably meant, and changes
 * nothing: a silently ignored {@code "pln"} would have put the account on the default plan.
 */
class UnknownFieldTests extends EngineTest {

    private static void assertUnknownField(Http.Response response, String field, String suggestion) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo("unknown_field");
        assertThat(response.json().path("field").asString()).isEqualTo(field);
        assertThat(response.json().path("suggestion").asString()).isEqualTo(suggestion);
        assertThat(response.json().path("detail").asString())
                .isEqualTo("Unknown field '" + field + "'. Did you mean '" + suggestion + "'?");
    }

    @Test
    void creating_an_account_with_a_misspelled_plan_is_refused_and_creates_nothing() {
        String id = unique("typo");
        var response = admin.post("/v1/accounts", Map.of("id", id, "pln", "pro"));
        assertUnknownField(response, "pln", "plan");
        assertThat(admin.get("/v1/accounts/" + id).status()).isEqualTo(404);
    }

    @Test
    void a_backfill_names_the_misspelled_field_inside_the_list_and_creates_no_account() {
        String first = unique("typo");
        String second = unique("typo");
        var response = admin.post("/v1/accounts/batch", Map.of("accounts",
                List.of(Map.of("id", first), Map.of("id", second, "emial", "a@example.com"))));
        assertUnknownField(response, "accounts[1].emial", "accounts[1].email");
        assertThat(admin.get("/v1/accounts/" + first).status()).isEqualTo(404);
    }

    @Test
    void a_reservation_with_a_misspelled_output_estimate_is_refused_and_reserves_nothing() {
        String account = newAccount("pro");
        var response = reserve(account, Map.of("input_tokens", 100, "max_output_token", 4000));
        assertUnknownField(response, "max_output_token", "max_output_tokens");
        assertThat(summary(account).path("tokens").path("reserved").asLong()).isZero();
        assertThat(eventTypes(account)).doesNotContain("reservation.approved", "limit_enforced");
    }

    @Test
    void a_commit_with_a_misspelled_count_is_refused_and_the_reservation_stays_pending() {
        String account = newAccount("pro");
        String reservation = approvedReservation(account, 100, 100);
        var response = admin.post("/v1/reservations/" + reservation + "/commit",
                Map.of("input_tokens", 100, "output_tokens", 50, "cached_input_token", 10));
        assertUnknownField(response, "cached_input_token", "cached_input_tokens");
        assertThat(admin.get("/v1/reservations/" + reservation).json().path("status").asString())
                .isEqualTo("pending");
        assertThat(summary(account).path("tokens").path("used").asLong()).isZero();
        admin.post("/v1/reservations/" + reservation + "/release", null);
    }

    @Test
    void usage_with_a_misspelled_field_is_refused_and_records_nothing() {
        String account = newAccount("pro");
        var response = admin.post("/v1/usage", Map.of("account_id", account, "provider", "openai", "model", "gpt-4o",
                "input_tokens", 10, "output_tokens", 5, "job_tpye", "review"));
        assertUnknownField(response, "job_tpye", "job_type");
        assertThat(admin.get("/v1/accounts/" + account + "/usage").json().path("data").size()).isZero();
    }

    @Test
    void credits_and_top_ups_with_a_misspelled_description_are_refused_and_move_nothing() {
        String account = newAccount("pro");
        var credits = admin.post("/v1/accounts/" + account + "/credits",
                Map.of("type", "add", "amount", 5, "descripton", "goodwill"));
        assertUnknownField(credits, "descripton", "description");
        var topUp = admin.post("/v1/accounts/" + account + "/top-ups",
                Map.of("amount_usd", "1.00", "refrence", "pay_1"));
        assertUnknownField(topUp, "refrence", "reference");
        var after = summary(account);
        assertThat(after.path("credits").path("balance").asLong()).isEqualTo(3);
        assertThat(after.path("balance").path("amount_usd").asString()).isEqualTo("0.000000");
    }

    @Test
    void an_allowance_or_plan_change_with_a_misspelled_field_is_refused_and_changes_nothing() {
        String account = newAccount("trial");
        assertUnknownField(admin.put("/v1/accounts/" + account + "/allowance", Map.of("tokens_per_perod", 100)),
                "tokens_per_perod", "tokens_per_period");
        assertUnknownField(admin.post("/v1/accounts/" + account + "/plan", Map.of("plan", "pro", "reasn", "vip")),
                "reasn", "reason");
        var after = summary(account);
        assertThat(after.path("plan").path("code").asString()).isEqualTo("trial");
        assertThat(after.path("tokens").path("limit").asLong()).isEqualTo(6000);
    }

    @Test
    void a_price_with_a_misspelled_field_is_refused_and_prices_nothing() {
        String model = "typo-model-" + System.nanoTime();
        var response = admin.put("/v1/prices/typoprovider/" + model, Map.of("input_per_1k_usd", "0.001",
                "output_per_1k_usd", "0.002", "efective_from", "2026-01-01T00:00:00Z"));
        assertUnknownField(response, "efective_from", "effective_from");
        assertThat(admin.get("/v1/prices/typoprovider/" + model + "/history").json().path("data").size()).isZero();
    }

    @Test
    void a_plan_with_a_misspelled_field_is_refused_and_a_plan_read_back_can_be_sent_again() {
        String code = "typo-plan-" + System.nanoTime();
        var response = admin.put("/v1/plans/" + code, Map.of("name", "Typo", "period", "P1M",
                "tokens_per_periods", 1000));
        assertUnknownField(response, "tokens_per_periods", "tokens_per_period");
        assertThat(admin.get("/v1/plans/" + code).status()).isEqualTo(404);

        var pro = admin.get("/v1/plans/pro").json();
        var sentBack = admin.put("/v1/plans/pro", pro);
        assertThat(sentBack.status()).as(sentBack.toString()).isEqualTo(200);
        assertThat(sentBack.json()).isEqualTo(pro);
    }

    @Test
    void an_api_key_with_a_misspelled_role_is_refused_and_creates_no_key() {
        String name = unique("typo-key");
        var response = admin.post("/v1/api-keys", Map.of("name", name, "rol", "read"));
        assertUnknownField(response, "rol", "role");
        assertThat(admin.get("/v1/api-keys?limit=200").text()).doesNotContain(name);
    }

    @Test
    void a_webhook_endpoint_with_a_misspelled_field_is_refused_and_registers_nothing() {
        String description = unique("typo-hook");
        var response = admin.post("/v1/webhook-endpoints", Map.of("url", "https://example.com/hook",
                "description", description, "event_type", List.of("usage.committed")));
        assertUnknownField(response, "event_type", "event_types");
        assertThat(admin.get("/v1/webhook-endpoints?limit=200").text()).doesNotContain(description);
    }

    @Test
    void a_camel_case_name_is_pointed_at_its_snake_case_field() {
        String account = newAccount("pro");
        var response = reserve(account, Map.of("maxOutputTokens", 10));
        assertUnknownField(response, "maxOutputTokens", "max_output_tokens");
    }

    @Test
    void a_field_far_from_every_known_one_is_refused_without_a_guess() {
        String id = unique("typo");
        var response = admin.post("/v1/accounts", Map.of("id", id, "favourite_colour", "teal"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("unknown_field");
        assertThat(response.json().path("detail").asString()).isEqualTo("Unknown field 'favourite_colour'.");
        assertThat(response.json().has("suggestion")).isFalse();
    }

    @Test
    void metadata_stays_free_form() {
        String account = newAccount("pro");
        var response = admin.post("/v1/usage", Map.of("account_id", account, "provider", "openai", "model", "gpt-4o",
                "input_tokens", 10, "output_tokens", 5, "metadata", Map.of("pln", "anything", "nested", Map.of("x", 1))));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.json().path("metadata").path("pln").asString()).isEqualTo("anything");
    }

    @Test
    void a_replay_of_a_refused_call_under_the_same_idempotency_key_is_refused_the_same_way() {
        String id = unique("typo");
        var keyed = admin.idempotent(unique("key"));
        var first = keyed.post("/v1/accounts", Map.of("id", id, "pln", "pro"));
        var again = keyed.post("/v1/accounts", Map.of("id", id, "pln", "pro"));
        assertUnknownField(first, "pln", "plan");
        assertUnknownField(again, "pln", "plan");
        assertThat(again.json().path("detail")).isEqualTo(first.json().path("detail"));
        var corrected = keyed.post("/v1/accounts", Map.of("id", id, "plan", "pro"));
        assertThat(corrected.status()).as("the refusal did not take the key").isEqualTo(201);
        track(id);
    }
}
