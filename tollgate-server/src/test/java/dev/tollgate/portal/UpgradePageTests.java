package dev.tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Without Stripe, the billing page's buttons lead to the host app's own upgrade page. */
class UpgradePageTests extends IntegrationTest {

    private static final String UPGRADE_PAGE = "https://app.example.com/upgrade";

    @DynamicPropertySource
    static void upgradePage(DynamicPropertyRegistry registry) {
        registry.add("tollgate.billing.upgrade-url", () -> UPGRADE_PAGE);
    }

    @Test
    void upgrade_and_top_up_link_to_the_configured_page_when_stripe_is_not_configured() {
        String trial = account("trial");
        String payg = account("payg");

        String trialPage = billingPage(trial);
        assertThat(trialPage).contains("id=\"upgrade-pro\"").contains("href=\"" + UPGRADE_PAGE + "\"")
                .contains("Upgrade to Pro").contains("$30.00 per 30 days").doesNotContain("action=\"/billing/upgrade\"");
        assertThat(billingPage(payg)).contains("id=\"top-up\"").doesNotContain("action=\"/billing/top-up\"");
    }

    private String account(String plan) {
        String id = unique("host");
        assertThat(admin.post("/v1/accounts", Map.of("id", id, "plan", plan)).status()).isEqualTo(201);
        return id;
    }

    private String billingPage(String account) {
        String url = admin.post("/v1/portal-sessions", Map.of("account_id", account)).json().path("url").asString();
        String cookie = http.get(url.substring(url.indexOf("/portal/"))).headers().get("set-cookie").getFirst();
        var page = http.withHeader("Cookie", cookie.substring(0, cookie.indexOf(';'))).get("/billing");
        assertThat(page.status()).isEqualTo(200);
        return page.text();
    }
}
