package dev.tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.EngineTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console's other pages over HTTP: the overview's numbers, plan editing with field errors, prices with
 * an effective time and the price a usage record was charged at, webhook endpoints and API keys with their
 * secrets shown once, and the reconciliation, each agreeing with the API.
 */
class ConsolePagesTests extends EngineTest {

    private static final Pattern SECRET = Pattern.compile("id=\"secret\"[^>]*>([^<]+)<");

    @Test
    void the_overview_shows_todays_usage_denials_and_the_newest_events() {
        var browser = signedIn("admin");
        String account = newAccount("free");
        use(account, 1500);
        admin.put("/v1/accounts/" + account + "/allowance", Map.of("tokens_per_period", 1600));
        assertThat(reserve(account, 0, 500).code()).isEqualTo("insufficient_tokens");

        var page = browser.get("/console");

        assertThat(page.status()).isEqualTo(200);
        assertThat(number(page.html(), "tokens-today")).isGreaterThanOrEqualTo(1500);
        assertThat(number(page.html(), "tokens-month")).isGreaterThanOrEqualTo(number(page.html(), "tokens-today"));
        assertThat(page.html()).contains("data-code=\"insufficient_tokens\"").contains("data-model=\"openai/gpt-4o\"")
                .contains("data-plan=\"free\" data-status=\"active\"").contains(account);
        String newest = admin.get("/v1/accounts/" + account + "/events?limit=200").json().path("data")
                .valueStream().reduce((first, second) -> second).orElseThrow().path("id").asString();
        assertThat(browser.get("/console/tail").html()).contains("data-event=\"" + newest + "\"");
    }

    @Test
    void the_account_list_filters_by_plan_and_status_and_sorts_by_tokens_used_this_period() {
        var browser = signedIn("read");
        String plan = unique("list").replaceAll("[^a-z0-9]", "");
        assertThat(admin.put("/v1/plans/" + plan, Map.of("name", "List", "period", "P1M", "tokens_per_period", 10_000))
                .status()).isIn(200, 201);
        String light = newAccount(plan);
        String heavy = newAccount(plan);
        use(light, 1000);
        use(heavy, 3000);

        var byId = browser.get("/console/accounts?plan=" + plan + "&status=active").html();
        var byUsage = browser.get("/console/accounts?plan=" + plan + "&sort=usage").html();
        var expired = browser.get("/console/accounts?plan=" + plan + "&status=expired").html();

        assertThat(byId.indexOf("data-account=\"" + light + "\"")).isPositive()
                .isLessThan(byId.indexOf("data-account=\"" + heavy + "\""));
        assertThat(byUsage.indexOf("data-account=\"" + heavy + "\"")).isPositive()
                .isLessThan(byUsage.indexOf("data-account=\"" + light + "\""));
        assertThat(byUsage).contains(">3,000<").contains(">10,000<");
        assertThat(expired).contains("id=\"no-accounts\"").doesNotContain(light);
    }

    @Test
    void a_search_by_part_of_the_email_is_ordered_by_tokens_used_this_period_and_paged() {
        var browser = signedIn("read");
        String part = unique("find").replaceAll("[^a-z0-9]", "");
        var batch = new java.util.ArrayList<Map<String, Object>>();
        for (int i = 0; i < AccountPages.ACCOUNTS_PER_PAGE + 2; i++) {
            batch.add(Map.of("id", part + "-" + i, "plan", "free", "email", "ops." + part + "." + i + "@example.test"));
        }
        assertThat(admin.post("/v1/accounts/batch", Map.of("accounts", batch)).status()).isEqualTo(200);
        String light = part + "-7";
        String heavy = part + "-3";
        use(light, 1000);
        use(heavy, 3000);

        var first = browser.get("/console/accounts?q=" + part + "&plan=free&status=active&sort=usage").html();
        var second = browser.get("/console/accounts?q=" + part + "&plan=free&status=active&sort=usage&page=1").html();

        assertThat(first.indexOf("data-account=\"" + heavy + "\"")).isPositive()
                .isLessThan(first.indexOf("data-account=\"" + light + "\""));
        assertThat(first).contains("id=\"usage-order\"").contains("page=1");
        assertThat(rows(first)).isEqualTo(AccountPages.ACCOUNTS_PER_PAGE);
        assertThat(rows(second)).isEqualTo(2);
        assertThat(second).doesNotContain("data-account=\"" + heavy + "\"").doesNotContain("id=\"next\"");
    }

    @Test
    void the_overview_shows_the_latest_reconciliation_check_and_when_it_was_made() {
        var browser = signedIn("read");
        browser.get("/console");

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(browser.get("/console").html()).containsPattern("data-status=\"(ok|bad)\"")
                        .contains("id=\"reconciliation-checked\""));
    }

    @Test
    void the_account_page_shows_pending_reservations_and_this_periods_conversations() {
        var browser = signedIn("read");
        String account = newAccount("free");
        String finished = approvedReservation(account, 100, 100);
        admin.post("/v1/reservations/" + finished + "/release", null);
        var open = reserve(account, Map.of("input_tokens", 10, "max_output_tokens", 10, "conversation_id", "chat-1"));
        var done = reserve(account, Map.of("input_tokens", 10, "max_output_tokens", 10, "conversation_id", "chat-2"));
        commit(done.json().path("id").asString(), 10, 10);

        var page = browser.get("/console/accounts/" + account).html();

        assertThat(page).contains("data-reservation=\"" + open.json().path("id").asString() + "\"")
                .doesNotContain("data-reservation=\"" + finished + "\"")
                .contains("data-conversation=\"chat-1\"").contains("open (1 call)")
                .contains("data-conversation=\"chat-2\"").contains("finished");
        releaseAll(account);
    }

    @Test
    void a_plan_with_bad_input_shows_the_message_next_to_the_field_and_saves_nothing() {
        var browser = signedIn("admin");
        String code = unique("tier").replaceAll("[^a-z0-9]", "");
        String path = "/console/plans/" + code;
        var form = browser.get(path);
        var fields = new HashMap<>(Map.of("name", "Team", "price_usd", "49", "period", "P1M",
                "tokens_per_period", "-5", "reason", "new tier"));

        assertThat(form.html()).contains("<label for=\"plan-period\">Period")
                .contains("<input type=\"text\" id=\"plan-period\" name=\"period\" value=\"P1M\">")
                .contains("<input type=\"text\" id=\"plan-trial_days\" name=\"trial_days\" inputmode=\"numeric\" value=\"0\">")
                .contains("<input type=\"text\" id=\"plan-name\" name=\"name\" maxlength=\"200\" value=\"\">");
        var refused = browser.submit(form, path, fields);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.html()).contains("id=\"plan-tokens_per_period-error\"").contains("must be 0 to")
                .contains("value=\"-5\"");
        assertThat(admin.get("/v1/plans/" + code).status()).isEqualTo(404);

        fields.put("tokens_per_period", "250000");
        fields.put("public", "on");
        var confirmation = browser.submit(refused, path, fields);
        fields.put("nonce", confirmation.nonce());
        assertThat(browser.submit(confirmation, path, fields).status()).isEqualTo(302);
        var saved = admin.get("/v1/plans/" + code).json();
        assertThat(saved.path("tokens_per_period").asLong()).isEqualTo(250_000);
        assertThat(saved.path("price_usd").asString()).isEqualTo("49.000000");
        assertThat(saved.path("public").asBoolean()).isTrue();
    }

    @Test
    void a_new_price_takes_effect_and_the_account_page_shows_the_price_a_usage_was_charged_at() {
        var browser = signedIn("admin");
        String model = unique("console-model").replaceAll("[^a-z0-9-]", "");
        var fields = new HashMap<>(Map.of("provider", "openai", "model", model, "input_per_1k_usd", "0.002",
                "output_per_1k_usd", "0.008", "reason", "list price"));
        var refused = browser.submit(browser.get("/console/prices"), "/console/prices",
                Map.of("provider", "openai", "model", model, "input_per_1k_usd", "cheap", "output_per_1k_usd", "1",
                        "reason", "x"));
        assertThat(refused.html()).contains("id=\"price-input_per_1k_usd-error\"");
        var confirmation = browser.submit(refused, "/console/prices", fields);
        fields.put("nonce", confirmation.nonce());
        assertThat(browser.submit(confirmation, "/console/prices", fields).status()).isEqualTo(302);
        assertThat(admin.get("/v1/prices/openai/" + model + "/history").json().path("data").get(0)
                .path("input_per_1k_usd").asString()).isEqualTo("0.002");

        String account = newAccount("free");
        var usage = admin.post("/v1/usage", Map.of("account_id", account, "provider", "openai", "model", model,
                "input_tokens", 1000, "output_tokens", 1000));
        assertThat(usage.status()).as(usage.toString()).isEqualTo(201);

        var page = browser.get("/console/accounts/" + account);
        assertThat(page.html()).contains("$0.002 in / $0.008 out per 1K").contains("$0.01");
        assertThat(browser.get("/console/prices/openai/" + model).html()).contains("$0.002").contains("open");
    }

    @Test
    void a_key_created_in_the_console_is_shown_once_works_and_stops_working_when_revoked() {
        var browser = signedIn("admin");
        var fields = new HashMap<>(Map.of("name", unique("backend"), "role", "service", "reason", "new service"));
        var confirmation = browser.submit(browser.get("/console/keys"), "/console/keys", fields);
        fields.put("nonce", confirmation.nonce());

        var shown = browser.submit(confirmation, "/console/keys", fields);

        var matcher = SECRET.matcher(shown.html());
        assertThat(matcher.find()).as(shown.html()).isTrue();
        String secret = matcher.group(1);
        assertThat(http.as(secret).get("/v1/plans").status()).isEqualTo(200);
        var replay = browser.submit(confirmation, "/console/keys", fields);
        assertThat(replay.html()).doesNotContain(secret);
        String keyId = admin.get("/v1/api-keys?limit=200").json().path("data").valueStream()
                .filter(k -> k.path("name").asString().equals(fields.get("name"))).findFirst().orElseThrow()
                .path("id").asString();

        String revoke = "/console/keys/" + keyId + "/revoke";
        var revokeConfirmation = browser.submit(browser.get("/console/keys"), revoke, Map.of("reason", "leaked"));
        assertThat(browser.submit(revokeConfirmation, revoke, Map.of("reason", "leaked", "nonce",
                revokeConfirmation.nonce())).status()).isEqualTo(302);
        await(() -> http.as(secret).get("/v1/plans").status() == 401);
    }

    @Test
    void a_webhook_endpoint_shows_its_secret_once_and_its_deliveries_with_the_last_error() {
        var browser = signedIn("admin");
        var fields = new HashMap<>(Map.of("url", "http://127.0.0.1:9/hook", "event_types", "credits.changed",
                "reason", "integration"));
        var confirmation = browser.submit(browser.get("/console/webhooks"), "/console/webhooks", fields);
        fields.put("nonce", confirmation.nonce());
        var shown = browser.submit(confirmation, "/console/webhooks", fields);
        var matcher = SECRET.matcher(shown.html());
        assertThat(matcher.find()).as(shown.html()).isTrue();
        assertThat(matcher.group(1)).startsWith("whsec_");
        String endpoint = admin.get("/v1/webhook-endpoints").json().path("data").valueStream()
                .filter(e -> e.path("url").asString().equals("http://127.0.0.1:9/hook")).findFirst().orElseThrow()
                .path("id").asString();
        try {
            String account = newAccount("trial");
            admin.post("/v1/accounts/" + account + "/credits", Map.of("type", "add", "amount", 1,
                    "description", "to be delivered"));
            // Nothing listens on port 9: the first attempt fails and the page shows why.
            await(() -> browser.get("/console/webhooks/" + endpoint).html().contains("ConnectException"));
            assertThat(browser.get("/console/webhooks/" + endpoint).html()).contains("credits.changed")
                    .contains(account);
        } finally {
            String delete = "/console/webhooks/" + endpoint + "/delete";
            var deleteConfirmation = browser.submit(browser.get("/console/webhooks"), delete, Map.of("reason", "done"));
            assertThat(browser.submit(deleteConfirmation, delete, Map.of("reason", "done", "nonce",
                    deleteConfirmation.nonce())).status()).isEqualTo(302);
        }
        assertThat(admin.get("/v1/webhook-endpoints").json().path("data").valueStream()
                .map(e -> e.path("id").asString())).doesNotContain(endpoint);
    }

    @Test
    void a_failed_delivery_is_sent_again_from_the_endpoint_page() {
        var browser = signedIn("admin");
        var endpoint = admin.post("/v1/webhook-endpoints", Map.of("url", "http://127.0.0.1:9/retry",
                "event_types", java.util.List.of("credits.changed"))).json().path("id").asString();
        try {
            String account = newAccount("trial");
            admin.post("/v1/accounts/" + account + "/credits", Map.of("type", "add", "amount", 1, "description", "x"));
            // The first attempt is over once its error is recorded (nothing listens on port 9).
            await(() -> !deliveries(endpoint).isEmpty() && !deliveries(endpoint).get(0).path("last_error").isNull()
                    && !deliveries(endpoint).get(0).path("last_error").isMissingNode());
            long delivery = Long.parseLong(deliveries(endpoint).get(0).path("id").asString().replace("dlv_", ""));
            // Eleven attempts take a day; the delivery is marked as having used them all.
            sql.sql("UPDATE webhook_delivery SET status = 'failed', completed_at = now() WHERE id = :id")
                    .param("id", delivery).update();
            String path = "/console/webhooks/" + endpoint + "/deliveries/" + delivery + "/retry";
            var page = browser.get("/console/webhooks/" + endpoint);
            assertThat(page.html()).contains("action=\"" + path + "\"");

            var confirmation = browser.submit(page, path, Map.of("reason", "receiver fixed"));
            var done = browser.submit(confirmation, path, Map.of("reason", "receiver fixed", "nonce",
                    confirmation.nonce()));

            assertThat(done.status()).isEqualTo(302);
            assertThat(deliveries(endpoint).get(0).path("status").asString()).isEqualTo("pending");
        } finally {
            admin.delete("/v1/webhook-endpoints/" + endpoint);
        }
    }

    private java.util.List<tools.jackson.databind.JsonNode> deliveries(String endpoint) {
        var list = new java.util.ArrayList<tools.jackson.databind.JsonNode>();
        admin.get("/v1/webhook-endpoints/" + endpoint + "/deliveries").json().path("data").forEach(list::add);
        return list;
    }

    @Test
    void the_reconciliation_page_says_what_the_api_says() {
        var browser = signedIn("read");
        var api = admin.get("/v1/admin/reconciliation").json().path("data");

        var page = browser.get("/console/reconciliation");

        if (api.isEmpty()) {
            assertThat(page.html()).contains("All meters agree with the ledger.");
        } else {
            assertThat(page.html()).contains(api.get(0).path("account_id").asString());
        }
    }

    @Test
    void every_page_names_itself_in_the_title_and_marks_its_section_in_the_navigation() {
        var browser = signedIn("read");
        var pages = Map.of("/console", "Overview", "/console/accounts", "Accounts", "/console/plans", "Plans",
                "/console/prices", "Prices", "/console/webhooks", "Webhooks", "/console/keys", "API keys",
                "/console/reconciliation", "Reconciliation");

        pages.forEach((path, section) -> {
            String html = browser.get(path).html();
            assertThat(html).as(path).contains("<title>" + section + " · Tollgate console</title>")
                    .contains("/assets/console.css")
                    .containsPattern("<a href=\"[^\"]*\" class=\"current\">" + section + "</a>");
            assertThat(html.split("class=\"current\"", -1)).as("one section marked on " + path).hasSize(2);
        });
    }

    @Test
    void a_read_key_sees_every_page_without_a_form_that_changes_anything() {
        var browser = signedIn("read");
        for (String path : new String[] {"/console", "/console/accounts", "/console/plans", "/console/plans/pro",
                "/console/prices", "/console/webhooks", "/console/keys", "/console/reconciliation"}) {
            var page = browser.get(path);
            assertThat(page.status()).as(path).isEqualTo(200);
            assertThat(page.html().split("method=\"post\"", -1)).as(path).hasSize(2);
            assertThat(page.html()).as(path).contains("action=\"/console/logout\"");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private ConsoleClient signedIn(String role) {
        var browser = new ConsoleClient(port);
        assertThat(browser.signIn(role.equals("admin") ? ADMIN_KEY : keyWithRole(role)).status()).isEqualTo(302);
        return browser;
    }

    private static int rows(String html) {
        return (int) Pattern.compile("<tr data-account=").matcher(html).results().count();
    }

    private static long number(String html, String id) {
        var matcher = Pattern.compile("id=\"" + id + "\"[^>]*>([0-9,]+)<").matcher(html);
        assertThat(matcher.find()).as(id).isTrue();
        return Long.parseLong(matcher.group(1).replace(",", ""));
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 15 s").isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
