package dev.tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.EngineTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A console form refuses a field it does not have, as the API refuses an unknown JSON field: 400
 * {@code unknown_field}, the message with the field probably meant shown on the form, and nothing changed.
 * A browser only sends the form's own fields, so such a post was written by hand or by a script, and a
 * silently ignored field would be an action the operator did not mean.
 */
class FormUnknownFieldTests extends EngineTest {

    @Test
    void a_misspelled_field_on_an_account_action_is_shown_on_its_form_and_changes_nothing() {
        var browser = signedIn();
        String account = newAccount("trial");
        String path = "/console/accounts/" + account + "/credits";
        var page = browser.get("/console/accounts/" + account);

        var refused = browser.submit(page, path, Map.of("type", "add", "amount", "5", "descripton", "goodwill",
                "reason", "asked nicely"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.html()).contains("id=\"credits-error\"")
                .contains("Unknown field &#39;descripton&#39;. Did you mean &#39;description&#39;?");
        assertThat(ledger(account)).isEqualTo(1);
    }

    @Test
    void a_confirmed_action_with_an_unknown_field_is_refused_and_changes_nothing() {
        var browser = signedIn();
        String account = newAccount("trial");
        String path = "/console/accounts/" + account + "/top-up";
        var fields = new HashMap<>(Map.of("amount_usd", "5", "reason", "wire"));
        var confirmation = browser.submit(browser.get("/console/accounts/" + account), path, fields);
        fields.put("nonce", confirmation.nonce());
        fields.put("referense", "INV-1");

        var refused = browser.submit(confirmation, path, fields);
        var again = browser.submit(confirmation, path, fields);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(again.status()).isEqualTo(400);
        assertThat(refused.html()).contains("id=\"topup-error\"").contains("Did you mean &#39;reference&#39;?");
        assertThat(admin.get("/v1/accounts/" + account + "/ledger?meter=balance").json().path("data").size())
                .isZero();
    }

    @Test
    void plan_price_webhook_and_key_forms_refuse_a_field_they_do_not_have() {
        var browser = signedIn();
        long webhooksBefore = count("webhook_endpoint");
        long keysBefore = count("api_key");
        long pricesBefore = count("model_price");
        String proBefore = admin.get("/v1/plans/pro").text();

        var plan = browser.submit(browser.get("/console/plans/pro"), "/console/plans/pro", Map.of("name", "Pro",
                "period", "P30D", "prce_usd", "1.00", "reason", "r"));
        var price = browser.submit(browser.get("/console/prices"), "/console/prices", Map.of("provider", "openai",
                "model", "gpt-4o", "input_per_1k_usd", "1", "output_per_1k_usd", "2", "efective_from", "", "reason", "r"));
        var webhook = browser.submit(browser.get("/console/webhooks"), "/console/webhooks", Map.of(
                "url", "https://hooks.example.com/x", "secret", "mine", "reason", "r"));
        var key = browser.submit(browser.get("/console/keys"), "/console/keys", Map.of("name", "k", "role", "read",
                "rol", "admin", "reason", "r"));

        assertThat(plan.status()).isEqualTo(400);
        assertThat(plan.html()).contains("id=\"plan-error\"").contains("Did you mean &#39;price_usd&#39;?");
        assertThat(price.status()).isEqualTo(400);
        assertThat(price.html()).contains("id=\"price-error\"").contains("Did you mean &#39;effective_from&#39;?");
        assertThat(webhook.status()).isEqualTo(400);
        assertThat(webhook.html()).contains("id=\"webhook-error\"").contains("Unknown field &#39;secret&#39;.");
        assertThat(key.status()).isEqualTo(400);
        assertThat(key.html()).contains("id=\"key-error\"").contains("Did you mean &#39;role&#39;?");
        assertThat(admin.get("/v1/plans/pro").text()).isEqualTo(proBefore);
        assertThat(count("model_price")).isEqualTo(pricesBefore);
        assertThat(count("webhook_endpoint")).isEqualTo(webhooksBefore);
        assertThat(count("api_key")).isEqualTo(keysBefore);
    }

    @Test
    void a_row_action_with_an_unknown_field_is_refused_above_the_table() {
        var browser = signedIn();
        var created = admin.post("/v1/api-keys", Map.of("name", unique("spare"), "role", "read"));
        String id = created.json().path("id").asString();

        var refused = browser.submit(browser.get("/console/keys"), "/console/keys/" + id + "/revoke",
                Map.of("reason", "rotated", "now", "true"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.html()).contains("id=\"row-error\"").contains("Unknown field &#39;now&#39;.");
        assertThat(sql.sql("SELECT revoked_at IS NULL FROM api_key WHERE id = ?").param(id).query(Boolean.class)
                .single()).isTrue();
    }

    @Test
    void sign_in_and_sign_out_refuse_a_field_they_do_not_have() {
        var key = admin.post("/v1/api-keys", Map.of("name", unique("operator"), "role", "admin"));
        var browser = new ConsoleClient(port);
        var form = browser.get("/console/login");

        var signIn = browser.post("/console/login", Map.of("key", key.json().path("secret").asString(),
                "remember_me", "on", "_csrf", form.csrf()));

        assertThat(signIn.status()).isEqualTo(400);
        assertThat(signIn.html()).contains("id=\"login-error\"").contains("Unknown field &#39;remember_me&#39;.");
        assertThat(browser.cookie(ConsoleSecurity.SESSION_COOKIE)).isNull();

        var signedIn = signedIn();
        var console = signedIn.get("/console");
        var signOut = signedIn.post("/console/logout", Map.of("everywhere", "yes", "_csrf", console.csrf()));

        assertThat(signOut.status()).isEqualTo(400);
        assertThat(signOut.html()).contains("id=\"refused\"").contains("Unknown field &#39;everywhere&#39;.");
        assertThat(signedIn.get("/console").status()).isEqualTo(200);
    }

    private ConsoleClient signedIn() {
        var created = admin.post("/v1/api-keys", Map.of("name", unique("operator"), "role", "admin"));
        var browser = new ConsoleClient(port);
        assertThat(browser.signIn(created.json().path("secret").asString()).status()).isEqualTo(302);
        return browser;
    }

    private int ledger(String account) {
        return admin.get("/v1/accounts/" + account + "/ledger").json().path("data").size();
    }

    private long count(String table) {
        return sql.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }
}
