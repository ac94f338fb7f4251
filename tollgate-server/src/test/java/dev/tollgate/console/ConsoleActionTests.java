package dev.tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.EngineTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The console's actions over HTTP: they go through the ledger and subscription services (the API's ledger
 * shows the entry, with the key's name as actor), run once per confirmation, refuse forgeries and read keys,
 * and refuse bad input with the message next to the field, changing nothing.
 */
class ConsoleActionTests extends EngineTest {

    @Test
    void a_confirmed_credit_adjustment_makes_one_ledger_entry_with_the_key_name_as_actor() {
        String name = unique("operator");
        var browser = signedIn(name, "admin");
        String account = newAccount("trial");

        var entry = confirm(browser, account, "credits", Map.of("type", "admin_adjustment", "amount", "-2",
                "description", "duplicate signup", "reason", "ticket 42"));

        assertThat(entry.path("type").asString()).isEqualTo("admin_adjustment");
        assertThat(entry.path("amount").asLong()).isEqualTo(-2);
        assertThat(entry.path("balance_after").asLong()).isEqualTo(1);
        assertThat(entry.path("description").asString()).isEqualTo("duplicate signup");
        assertThat(entry.path("actor").asString()).isEqualTo(name);
        assertThat(entry.path("metadata").path("reason").asString()).isEqualTo("ticket 42");
    }

    @Test
    void the_confirmation_page_changes_nothing_until_it_is_confirmed() {
        var browser = signedIn(unique("operator"), "admin");
        String account = newAccount("trial");
        var page = browser.get("/console/accounts/" + account);

        var confirmation = browser.submit(page, "/console/accounts/" + account + "/credits",
                Map.of("type", "add", "amount", "5", "description", "goodwill", "reason", "asked nicely"));

        assertThat(confirmation.status()).isEqualTo(200);
        assertThat(confirmation.html()).contains("add 5 credits on " + account).contains("asked nicely");
        assertThat(creditEntries(account)).hasSize(1);
    }

    @Test
    void a_double_submitted_confirmation_makes_one_ledger_entry_and_both_answers_show_it() throws Exception {
        var browser = signedIn(unique("operator"), "admin");
        String account = newAccount("trial");
        var page = browser.get("/console/accounts/" + account);
        String path = "/console/accounts/" + account + "/credits";
        var fields = Map.of("type", "add", "amount", "5", "description", "goodwill", "reason", "double click");
        var confirmation = browser.submit(page, path, fields);
        var confirmed = new java.util.HashMap<>(fields);
        confirmed.put("nonce", confirmation.nonce());

        var first = CompletableFuture.supplyAsync(() -> browser.submit(confirmation, path, confirmed));
        var second = CompletableFuture.supplyAsync(() -> browser.submit(confirmation, path, confirmed));
        var answers = List.of(first.get(), second.get(), browser.submit(confirmation, path, confirmed));

        assertThat(answers).extracting(ConsoleClient.Page::location).containsOnly(answers.getFirst().location());
        assertThat(creditEntries(account)).hasSize(2);
        assertThat(summary(account).path("credits").path("balance").asLong()).isEqualTo(8);
        var shown = browser.get(answers.getFirst().location().replaceFirst("^https?://[^/]+", ""));
        assertThat(shown.html()).contains("id=\"outcome\"").contains(creditEntries(account).getFirst()
                .path("id").asString());
    }

    @Test
    void a_post_without_the_csrf_token_is_refused_and_changes_nothing() {
        var browser = signedIn(unique("operator"), "admin");
        String account = newAccount("trial");
        var page = browser.get("/console/accounts/" + account);
        var confirmation = browser.submit(page, "/console/accounts/" + account + "/credits",
                Map.of("type", "add", "amount", "5", "description", "x", "reason", "y"));

        var forged = browser.post("/console/accounts/" + account + "/credits", Map.of("type", "add", "amount", "5",
                "description", "x", "reason", "y", "nonce", confirmation.nonce()));
        var wrongToken = browser.post("/console/accounts/" + account + "/credits", Map.of("type", "add",
                "amount", "5", "description", "x", "reason", "y", "nonce", confirmation.nonce(), "_csrf", "forged"));

        assertThat(forged.status()).isEqualTo(403);
        assertThat(wrongToken.status()).isEqualTo(403);
        assertThat(forged.html()).contains("did not come from the console");
        assertThat(creditEntries(account)).hasSize(1);
    }

    @Test
    void a_read_key_sees_no_actions_and_its_forged_post_is_refused() {
        var browser = signedIn(unique("auditor"), "read");
        String account = newAccount("trial");

        var page = browser.get("/console/accounts/" + account);
        var forged = browser.submit(page, "/console/accounts/" + account + "/credits", Map.of("type", "add",
                "amount", "5", "description", "x", "reason", "y", "nonce", "0123456789ABCDEFGHJKMNPQ"));
        var plan = browser.submit(page, "/console/accounts/" + account + "/plan", Map.of("plan", "pro",
                "reason", "y"));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.html()).contains("id=\"credits\"").doesNotContain("id=\"actions\"")
                .doesNotContain("credits-form");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(plan.status()).isEqualTo(403);
        assertThat(forged.html()).contains("may read the console but not change anything");
        assertThat(creditEntries(account)).hasSize(1);
        assertThat(summary(account).path("plan").path("code").asString()).isEqualTo("trial");
    }

    @Test
    void bad_input_shows_the_message_next_to_the_field_and_changes_nothing() {
        var browser = signedIn(unique("operator"), "admin");
        String account = newAccount("trial");
        var page = browser.get("/console/accounts/" + account);

        var notANumber = browser.submit(page, "/console/accounts/" + account + "/credits",
                Map.of("type", "deduct", "amount", "five", "description", "x", "reason", "y"));
        var noReason = browser.submit(page, "/console/accounts/" + account + "/credits",
                Map.of("type", "add", "amount", "5", "description", "x", "reason", " "));
        var tooMuch = browser.submit(page, "/console/accounts/" + account + "/top-up",
                Map.of("amount_usd", "1.0000001", "reason", "y"));
        var negative = confirmFails(browser, account, "credits", Map.of("type", "deduct", "amount", "4",
                "description", "x", "reason", "y"));

        assertThat(notANumber.status()).isEqualTo(422);
        assertThat(notANumber.html()).contains("id=\"credits-amount-error\"").contains("must be a whole number")
                .contains("value=\"five\"");
        assertThat(noReason.html()).contains("id=\"credits-reason-error\"").contains("is required");
        assertThat(tooMuch.html()).contains("id=\"topup-amount_usd-error\"");
        assertThat(negative.status()).isEqualTo(422);
        assertThat(negative.html()).contains("id=\"credits-error\"").contains("3 credits available");
        assertThat(admin.get("/v1/accounts/" + account + "/ledger").json().path("data").size()).isEqualTo(1);
        assertThat(summary(account).path("credits").path("balance").asLong()).isEqualTo(3);
    }

    @Test
    void plan_allowance_top_up_and_trial_actions_go_through_the_services() {
        String name = unique("operator");
        var browser = signedIn(name, "admin");
        String account = newAccount("trial");

        confirm(browser, account, "allowance", Map.of("tokens_per_period", "12,345", "reason", "pilot"));
        assertThat(summary(account).path("tokens").path("limit").asLong()).isEqualTo(12_345);
        confirm(browser, account, "end-trial", Map.of("reason", "abuse"));
        assertThat(summary(account).path("status").asString()).isEqualTo("expired");
        assertThat(reserve(account, 10, 10).code()).isEqualTo("trial_expired");
        confirm(browser, account, "plan", Map.of("plan", "pro", "reason", "paid by invoice"));
        assertThat(summary(account).path("plan").path("code").asString()).isEqualTo("pro");
        confirm(browser, account, "allowance", Map.of("tokens_per_period", "", "reason", "pilot over"));
        assertThat(summary(account).path("tokens").path("limit").asLong()).isEqualTo(500_000);
        confirm(browser, account, "top-up", Map.of("amount_usd", "12.50", "reason", "wire transfer"));

        var topUp = admin.get("/v1/accounts/" + account + "/ledger?meter=balance").json().path("data").get(0);
        assertThat(topUp.path("type").asString()).isEqualTo("top_up");
        assertThat(topUp.path("amount").asString()).isEqualTo("12.500000");
        assertThat(topUp.path("actor").asString()).isEqualTo(name);
        var plan = admin.get("/v1/accounts/" + account + "/events?limit=200").json().path("data");
        assertThat(plan.valueStream().filter(e -> e.path("type").asString().equals("plan.changed")))
                .singleElement().satisfies(e -> assertThat(e.path("data").path("actor").asString()).isEqualTo(name));
    }

    @Test
    void a_portal_link_is_shown_once_and_opens_the_billing_page() {
        var browser = signedIn(unique("operator"), "admin");
        String account = newAccount("trial");
        var page = browser.get("/console/accounts/" + account);
        String path = "/console/accounts/" + account + "/portal-link";
        var confirmation = browser.submit(page, path, Map.of("reason", "support call"));

        var shown = browser.submit(confirmation, path, Map.of("reason", "support call", "nonce", confirmation.nonce()));

        assertThat(shown.status()).isEqualTo(200);
        var matcher = java.util.regex.Pattern.compile("id=\"secret\"[^>]*>(http[^<]+)<").matcher(shown.html());
        assertThat(matcher.find()).as(shown.html()).isTrue();
        var opened = new ConsoleClient(port).get(matcher.group(1).replaceFirst("^https?://[^/]+", ""));
        assertThat(opened.location()).endsWith("/billing");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private ConsoleClient signedIn(String keyName, String role) {
        var created = admin.post("/v1/api-keys", Map.of("name", keyName, "role", role));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        var browser = new ConsoleClient(port);
        assertThat(browser.signIn(created.json().path("secret").asString()).status()).isEqualTo(302);
        return browser;
    }

    /** Submits the action's form, confirms it, and returns the newest ledger entry the API shows. */
    private JsonNode confirm(ConsoleClient browser, String account, String action, Map<String, String> fields) {
        String path = "/console/accounts/" + account + "/" + action;
        var confirmation = browser.submit(browser.get("/console/accounts/" + account), path, fields);
        assertThat(confirmation.status()).as(confirmation.toString()).isEqualTo(200);
        var confirmed = new java.util.HashMap<>(fields);
        confirmed.put("nonce", confirmation.nonce());
        var done = browser.submit(confirmation, path, confirmed);
        assertThat(done.status()).as(done.toString()).isEqualTo(302);
        return admin.get("/v1/accounts/" + account + "/ledger").json().path("data").get(0);
    }

    private ConsoleClient.Page confirmFails(ConsoleClient browser, String account, String action,
            Map<String, String> fields) {
        String path = "/console/accounts/" + account + "/" + action;
        var confirmation = browser.submit(browser.get("/console/accounts/" + account), path, fields);
        var confirmed = new java.util.HashMap<>(fields);
        confirmed.put("nonce", confirmation.nonce());
        return browser.submit(confirmation, path, confirmed);
    }

    private List<JsonNode> creditEntries(String account) {
        var entries = new ArrayList<JsonNode>();
        admin.get("/v1/accounts/" + account + "/ledger?meter=credits").json().path("data").forEach(entries::add);
        return entries;
    }
}
