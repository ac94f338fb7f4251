package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.EngineTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each origin document's scenario, end to end over HTTP. */
class SeedScenarioTests extends EngineTest {

    // ---- seed 002: trial, pre-flight check, soft warning ------------------------------------------

    @Test
    void seed_002_a_new_user_is_on_a_seven_day_trial_with_6000_tokens_and_usage_is_recorded() {
        String account = newAccount("trial");
        var summary = summary(account);
        assertThat(summary.path("plan").path("code").asString()).isEqualTo("trial");
        assertThat(summary.path("status").asString()).isEqualTo("trialing");
        assertThat(summary.path("trial_days_left").asLong()).isEqualTo(7);
        assertThat(summary.path("tokens").path("limit").asLong()).isEqualTo(6000);
        assertThat(summary.path("tokens").path("used").asLong()).isZero();
        var created = java.time.Instant.parse(summary.path("created_at").asString());
        var trialEnds = java.time.Instant.parse(summary.path("trial_ends_at").asString());
        assertThat(Duration.between(created, trialEnds)).isEqualTo(Duration.ofDays(7));

        String reservation = approvedReservation(account, 1200, 800);
        var usage = admin.post("/v1/reservations/" + reservation + "/commit", Map.of("input_tokens", 1234,
                "output_tokens", 567, "model", "gpt-4o"));
        assertThat(usage.status()).isEqualTo(200);
        assertThat(usage.json().path("total_tokens").asLong()).isEqualTo(1801);
        assertThat(summary(account).path("tokens").path("used").asLong()).isEqualTo(1801);
    }

    @Test
    void seed_002_an_expired_trial_edited_in_sql_is_refused_with_the_exact_message() {
        String account = newAccount("trial");
        sql.sql("UPDATE subscription SET trial_ends_at = now() - INTERVAL '1 day' WHERE account_id = :id")
                .param("id", account).update();

        var denied = reserve(account, 100, 100);
        assertThat(denied.status()).isEqualTo(402);
        assertThat(denied.isProblem()).isTrue();
        assertThat(denied.code()).isEqualTo("trial_expired");
        assertThat(denied.json().path("detail").asString()).isEqualTo(
                "Your 7-day free trial has expired. Please upgrade to Lite, Pro, or Business plan to continue.");
        assertThat(summary(account).path("status").asString()).isEqualTo("expired");
        reserve(account, 100, 100);
        assertThat(eventTypes(account)).containsOnlyOnce("trial.expired").contains("limit_enforced");
    }

    @Test
    void seed_002_a_request_larger_than_what_is_left_is_refused_with_the_exact_message() {
        String account = newAccount("trial");
        use(account, 5500);

        var denied = reserve(account, 500, 1000);
        assertThat(denied.status()).isEqualTo(402);
        assertThat(denied.code()).isEqualTo("insufficient_tokens");
        assertThat(denied.json().path("detail").asString())
                .isEqualTo("Insufficient tokens. You have 500 tokens remaining, but this request needs ~1500 tokens.");
        assertThat(denied.json().path("remaining").asLong()).isEqualTo(500);
        assertThat(denied.json().path("needed").asLong()).isEqualTo(1500);
        assertThat(eventTypes(account)).contains("limit_enforced");
        assertThat(summary(account).path("tokens").path("reserved").asLong()).isZero();
    }

    @Test
    void seed_002_a_small_request_at_91_7_percent_succeeds_with_a_soft_warning() {
        String account = newAccount("trial");
        use(account, 5500);

        var approved = reserve(account, 100, 300);
        assertThat(approved.status()).isEqualTo(201);
        var warning = approved.json().path("warnings").get(0);
        assertThat(warning.path("code").asString()).isEqualTo("soft_limit");
        assertThat(warning.path("percent_used").asDouble()).isEqualTo(91.7);
        assertThat(warning.path("message").asString()).isEqualTo("User at 91.7% of quota");
        assertThat(summary(account).path("warnings").get(0).path("message").asString())
                .isEqualTo("User at 91.7% of quota");
    }

    @Test
    void seed_002_nothing_left_is_limit_exceeded_and_a_manual_upgrade_starts_a_fresh_period() {
        String account = newAccount("trial");
        use(account, 6000);
        var denied = reserve(account, 10, 10);
        assertThat(denied.status()).isEqualTo(402);
        assertThat(denied.code()).isEqualTo("limit_exceeded");

        var upgraded = admin.post("/v1/accounts/" + account + "/plan", Map.of("plan", "pro", "reason", "paid"));
        assertThat(upgraded.status()).isEqualTo(200);
        assertThat(upgraded.json().path("plan").path("code").asString()).isEqualTo("pro");
        assertThat(upgraded.json().path("status").asString()).isEqualTo("active");
        assertThat(upgraded.json().path("tokens").path("limit").asLong()).isEqualTo(500_000);
        assertThat(upgraded.json().path("tokens").path("used").asLong()).isZero();
        assertThat(reserve(account, 10, 10).status()).isEqualTo(201);
        assertThat(eventTypes(account)).contains("plan.changed", "period.reset");
    }

    // ---- seed 000: admin-adjustable allowance, BYOK ---------------------------------------------

    @Test
    void seed_000_the_allowance_is_50000_by_default_and_an_admin_override_beats_the_plan() {
        String account = newAccount("free");
        assertThat(summary(account).path("tokens").path("limit").asLong()).isEqualTo(50_000);

        var overridden = admin.put("/v1/accounts/" + account + "/allowance", Map.of("tokens_per_period", 1000));
        assertThat(overridden.status()).isEqualTo(200);
        assertThat(overridden.json().path("tokens").path("limit").asLong()).isEqualTo(1000);
        assertThat(reserve(account, 600, 600).code()).isEqualTo("insufficient_tokens");

        var cleared = admin.send("PUT", "/v1/accounts/" + account + "/allowance", "{\"tokens_per_period\": null}",
                "application/json");
        assertThat(cleared.json().path("tokens").path("limit").asLong()).isEqualTo(50_000);
    }

    @Test
    void seed_000_an_allowance_edited_in_sql_takes_effect_on_the_next_request() {
        String account = newAccount("free");
        sql.sql("UPDATE subscription SET tokens_per_period_override = 100 WHERE account_id = :id")
                .param("id", account).update();
        assertThat(reserve(account, 100, 100).code()).isEqualTo("insufficient_tokens");
    }

    @Test
    void seed_000_byok_usage_is_recorded_and_priced_but_never_charged_to_the_allowance() {
        String account = newAccount("free");
        admin.put("/v1/accounts/" + account + "/allowance", Map.of("tokens_per_period", 100));

        var byok = reserve(account, Map.of("input_tokens", 5000, "max_output_tokens", 5000, "byok", true));
        assertThat(byok.status()).as(byok.toString()).isEqualTo(201);
        assertThat(byok.json().path("reserved").path("tokens").asLong()).isZero();
        var usage = commit(byok.json().path("id").asString(), 5000, 5000);
        assertThat(usage.json().path("byok").asBoolean()).isTrue();
        assertThat(usage.json().path("cost_usd").asString()).isNotEqualTo("0.000000");
        assertThat(summary(account).path("tokens").path("used").asLong()).isZero();

        var unknownModel = reserve(account, Map.of("input_tokens", 10, "byok", true, "model", "my-private-model"));
        assertThat(unknownModel.status()).isEqualTo(201);
    }

    @Test
    void byok_usage_touches_no_platform_meter_neither_credits_nor_conversations() {
        String credits = newAccount("credits");
        for (int i = 0; i < 3; i++) {
            use(credits, 10);
        }
        var onOwnKey = reserve(credits, Map.of("input_tokens", 10, "max_output_tokens", 10, "byok", true));
        assertThat(onOwnKey.status()).as(onOwnKey.toString()).isEqualTo(201);
        assertThat(onOwnKey.json().path("reserved").path("credits").asLong()).isZero();
        commit(onOwnKey.json().path("id").asString(), 10, 10);
        assertThat(summary(credits).path("credits").path("balance").asLong()).isZero();

        String free = newAccount("free");
        for (int i = 0; i < 3; i++) {
            var call = reserve(free, Map.of("input_tokens", 10, "max_output_tokens", 10, "byok", true,
                    "conversation_id", "own-key-" + i));
            commit(call.json().path("id").asString(), 10, 10);
        }
        var conversations = summary(free).path("conversations");
        assertThat(conversations.path("used").asLong()).isZero();
        assertThat(conversations.path("remaining").asLong()).isEqualTo(5);
    }

    // ---- seed 001: credits ------------------------------------------------------------------------

    @Test
    void seed_001_three_signup_credits_are_spent_one_per_request_then_refused() {
        String account = newAccount("credits");
        assertThat(summary(account).path("credits").path("balance").asLong()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            use(account, 100);
        }
        var denied = reserve(account, 10, 10);
        assertThat(denied.status()).isEqualTo(402);
        assertThat(denied.code()).isEqualTo("insufficient_credits");
        assertThat(summary(account).path("credits").path("balance").asLong()).isZero();
    }

    @Test
    void seed_001_credit_transactions_are_typed_described_and_listed_newest_first() {
        String account = newAccount("credits");
        post201("/v1/accounts/" + account + "/credits", Map.of("type", "add", "amount", 5, "description", "Promo",
                "metadata", Map.of("campaign", "launch")));
        post201("/v1/accounts/" + account + "/credits", Map.of("type", "deduct", "amount", 2, "description", "Manual"));
        post201("/v1/accounts/" + account + "/credits", Map.of("type", "refund", "amount", 1, "description", "Sorry"));
        var adjusted = post201("/v1/accounts/" + account + "/credits",
                Map.of("type", "admin_adjustment", "amount", -4, "description", "Correction"));
        assertThat(adjusted.path("amount").asLong()).isEqualTo(-4);
        assertThat(adjusted.path("balance_after").asLong()).isEqualTo(3);

        var ledger = admin.get("/v1/accounts/" + account + "/ledger?meter=credits").json().path("data");
        assertThat(ledger.size()).isEqualTo(5);
        assertThat(ledger.get(0).path("type").asString()).isEqualTo("admin_adjustment");
        assertThat(ledger.get(3).path("metadata").path("campaign").asString()).isEqualTo("launch");
        assertThat(ledger.get(4).path("type").asString()).isEqualTo("grant");

        var overdraw = admin.post("/v1/accounts/" + account + "/credits",
                Map.of("type", "deduct", "amount", 4, "description", "too much"));
        assertThat(overdraw.status()).isEqualTo(422);
        assertThat(overdraw.code()).isEqualTo("insufficient_credits");
    }

    @Test
    void seed_001_ledger_entries_cannot_be_updated_or_deleted_even_in_sql() {
        String account = newAccount("credits");
        assertThatThrownBy(() -> sql.sql("UPDATE ledger_entry SET amount = 1000 WHERE account_id = :id")
                .param("id", account).update()).hasMessageContaining("append-only");
        assertThatThrownBy(() -> sql.sql("DELETE FROM ledger_entry WHERE account_id = :id")
                .param("id", account).update()).hasMessageContaining("append-only");
        assertThat(summary(account).path("credits").path("balance").asLong()).isEqualTo(3);
    }

    // ---- seed 003: prices and prepaid balance ------------------------------------------------------

    @Test
    void seed_003_usage_is_priced_from_the_catalog_and_charged_to_the_prepaid_balance() {
        String account = newAccount("payg");
        assertThat(summary(account).path("balance").path("amount_usd").asString()).isEqualTo("0.000000");
        assertThat(reserve(account, 1000, 1000).code()).isEqualTo("insufficient_balance");

        post201("/v1/accounts/" + account + "/top-ups", Map.of("amount_usd", "1.00", "reference", "pay_1"));
        String model = "tollgate-test-" + System.nanoTime();
        assertThat(admin.put("/v1/prices/openai/" + model,
                Map.of("input_per_1k_usd", "0.0025", "output_per_1k_usd", "0.01")).status()).isEqualTo(200);

        var reservation = reserve(account, Map.of("model", model, "input_tokens", 1000, "max_output_tokens", 1000));
        assertThat(reservation.status()).as(reservation.toString()).isEqualTo(201);
        assertThat(reservation.json().path("reserved").path("usd").asString()).isEqualTo("0.012500");
        var usage = commit(reservation.json().path("id").asString(), 1000, 500);
        assertThat(usage.json().path("cost_usd").asString()).isEqualTo("0.007500");
        assertThat(summary(account).path("balance").path("amount_usd").asString()).isEqualTo("0.992500");
    }

    @Test
    void seed_003_an_unknown_model_is_a_clear_problem_never_a_silent_zero() {
        String account = newAccount("payg");
        var denied = reserve(account, Map.of("model", "no-such-model-anywhere", "input_tokens", 10));
        assertThat(denied.status()).isEqualTo(422);
        assertThat(denied.code()).isEqualTo("unknown_model");
    }

    @Test
    void seed_003_a_price_change_applies_from_its_effective_time_and_history_is_kept() {
        String account = newAccount("payg");
        post201("/v1/accounts/" + account + "/top-ups", Map.of("amount_usd", "10"));
        String model = "tollgate-history-" + System.nanoTime();
        admin.put("/v1/prices/openai/" + model, Map.of("input_per_1k_usd", "0.001", "output_per_1k_usd", "0.001"));
        var later = clock.instant().plus(Duration.ofHours(1));
        admin.put("/v1/prices/openai/" + model, Map.of("input_per_1k_usd", "0.002", "output_per_1k_usd", "0.002",
                "effective_from", later.toString()));

        String before = reserve(account, Map.of("model", model, "input_tokens", 1000, "max_output_tokens", 0))
                .json().path("id").asString();
        assertThat(commit(before, 1000, 0).json().path("cost_usd").asString()).isEqualTo("0.001000");
        clock.advance(Duration.ofHours(2));
        String after = reserve(account, Map.of("model", model, "input_tokens", 1000, "max_output_tokens", 0))
                .json().path("id").asString();
        assertThat(commit(after, 1000, 0).json().path("cost_usd").asString()).isEqualTo("0.002000");
        assertThat(admin.get("/v1/prices/openai/" + model + "/history").json().path("data").size()).isEqualTo(2);
    }

    // ---- seed 004: conversations ------------------------------------------------------------------

    @Test
    void seed_004_the_free_plan_allows_five_conversations_per_period() {
        String account = newAccount("free");
        for (int i = 1; i <= 5; i++) {
            var r = reserve(account, Map.of("input_tokens", 10, "max_output_tokens", 10, "conversation_id", "c-" + i));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            commit(r.json().path("id").asString(), 10, 10);
        }
        var sameConversation = reserve(account, Map.of("input_tokens", 10, "max_output_tokens", 10,
                "conversation_id", "c-3"));
        assertThat(sameConversation.status()).isEqualTo(201);
        commit(sameConversation.json().path("id").asString(), 10, 10);

        var sixth = reserve(account, Map.of("input_tokens", 10, "max_output_tokens", 10, "conversation_id", "c-6"));
        assertThat(sixth.status()).isEqualTo(402);
        assertThat(sixth.code()).isEqualTo("conversation_limit_reached");
        var conversations = summary(account).path("conversations");
        assertThat(conversations.path("used").asLong()).isEqualTo(5);
        assertThat(conversations.path("remaining").asLong()).isZero();
        assertThat(eventTypes(account)).contains("limit_enforced", "usage.committed");
    }

    private tools.jackson.databind.JsonNode post201(String path, Map<String, Object> body) {
        var response = admin.post(path, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }
}
