package dev.tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.EngineTest;
import dev.tollgate.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Portal links over plain HTTP: single use, bound to one account, and nothing shown without them. */
class PortalSessionTests extends EngineTest {

    @Test
    void a_portal_link_opens_once_into_an_http_only_session_cookie_and_then_answers_410() {
        String account = newAccount("pro");
        var created = admin.post("/v1/portal-sessions", Map.of("account_id", account,
                "return_url", "https://app.example.com/settings"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String url = created.json().path("url").asString();
        assertThat(url).startsWith("http://localhost:" + port + "/portal/");
        assertThat(created.json().path("id").asString()).startsWith("ps_");
        assertThat(created.json().path("expires_at").asString()).isNotEmpty();

        var opened = http.get(path(url));
        assertThat(opened.status()).isEqualTo(302);
        assertThat(opened.headers().get("location").getFirst()).endsWith("/billing");
        String cookie = opened.headers().get("set-cookie").stream().filter(c -> c.startsWith("tollgate_portal="))
                .findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").doesNotContain("Secure");

        var page = http.withHeader("Cookie", cookie.substring(0, cookie.indexOf(';'))).get("/billing");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains(account).contains("Pro");
        assertThat(page.text()).as("without Stripe or an upgrade page, no button leads nowhere")
                .doesNotContain("Upgrade to").doesNotContain("Top up").doesNotContain("Manage billing");
        assertThat(page.headers().get("content-security-policy").getFirst())
                .contains("script-src 'self'").contains("frame-ancestors 'none'");

        var again = http.get(path(url));
        assertThat(again.status()).isEqualTo(410);
        assertThat(again.text()).contains("This link has expired").doesNotContain(account);
    }

    @Test
    void the_billing_page_without_a_session_shows_no_account_data() {
        var page = http.withHeader("Cookie", "tollgate_portal=forged").get("/billing");
        assertThat(page.status()).isEqualTo(401);
        assertThat(page.text()).contains("Your session has ended");
        assertThat(http.get("/portal/not-a-real-token").status()).isEqualTo(410);
    }

    @Test
    void a_link_that_was_not_opened_in_time_has_expired() {
        String account = newAccount("pro");
        String url = admin.post("/v1/portal-sessions", Map.of("account_id", account)).json().path("url").asString();
        clock.advance(java.time.Duration.ofMinutes(16));
        assertThat(http.get(path(url)).status()).isEqualTo(410);
    }

    @Test
    void portal_sessions_are_for_known_accounts_and_service_keys_only() {
        assertThat(admin.post("/v1/portal-sessions", Map.of("account_id", unique("nobody"))).code())
                .isEqualTo("account_not_found");
        String account = newAccount("pro");
        var badUrl = admin.post("/v1/portal-sessions", Map.of("account_id", account, "return_url", "javascript:alert(1)"));
        assertThat(badUrl.status()).isEqualTo(400);
        assertThat(badUrl.json().path("field").asString()).isEqualTo("return_url");
        var typo = admin.post("/v1/portal-sessions", Map.of("acount_id", account));
        assertThat(typo.code()).isEqualTo("unknown_field");
        assertThat(http.post("/v1/portal-sessions", Map.of("account_id", account)).status()).isEqualTo(401);
    }

    @Test
    void signing_out_ends_the_session() {
        String account = newAccount("pro");
        String url = admin.post("/v1/portal-sessions", Map.of("account_id", account)).json().path("url").asString();
        var opened = http.get(path(url));
        String cookie = opened.headers().get("set-cookie").getFirst();
        Http browser = http.withHeader("Cookie", cookie.substring(0, cookie.indexOf(';')));
        var page = browser.get("/billing");
        assertThat(page.status()).isEqualTo(200);
        String csrfCookie = page.headers().get("set-cookie").stream().filter(c -> c.startsWith("XSRF-TOKEN="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
        var hidden = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.text());
        assertThat(hidden.find()).as("the sign-out form carries a CSRF token").isTrue();
        String csrf = hidden.group(1);

        var refused = browser.send("POST", "/billing/logout", "", "application/x-www-form-urlencoded");
        assertThat(refused.status()).as("no CSRF token").isEqualTo(403);
        var out = http.withHeader("Cookie", cookie.substring(0, cookie.indexOf(';')) + "; " + csrfCookie)
                .send("POST", "/billing/logout", "_csrf=" + java.net.URLEncoder.encode(csrf,
                        java.nio.charset.StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
        assertThat(out.status()).isEqualTo(200);
        assertThat(out.text()).contains("You are signed out");

        assertThat(browser.get("/billing").status()).isEqualTo(401);
    }

    @Test
    void the_pricing_table_lists_the_public_plans_with_their_prices_and_the_trial_highlighted() {
        String listed = unique("team");
        String hidden = unique("internal");
        assertThat(admin.put("/v1/plans/" + listed, Map.of("name", "Team", "price_usd", "1250.5", "period", "P1M",
                "tokens_per_period", 2_500_000, "public", true)).status()).isEqualTo(200);
        assertThat(admin.put("/v1/plans/" + hidden, Map.of("name", "Internal", "price_usd", "1", "period", "P1M",
                "tokens_per_period", 1)).status()).isEqualTo(200);
        assertThat(admin.get("/v1/plans/" + listed).json().path("public").asBoolean()).isTrue();

        var page = http.get("/pricing");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("data-plan=\"" + listed + "\"").contains("$1,250.50")
                .contains("2,500,000 tokens per month").doesNotContain("data-plan=\"" + hidden + "\"")
                .doesNotContain("data-plan=\"payg\"").doesNotContain(".000000");
        assertThat(page.text()).containsPattern("class=\"tier highlight\"[^>]*data-plan=\"trial\"")
                .contains("7-day free trial");
    }

    private static String path(String url) {
        return url.substring(url.indexOf("/portal/"));
    }
}
