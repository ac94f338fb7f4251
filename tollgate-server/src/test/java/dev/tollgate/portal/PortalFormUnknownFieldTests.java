package dev.tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.IntegrationTest;
import dev.tollgate.console.ConsoleClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The billing page's forms refuse a field they do not have with 400 {@code unknown_field} and a readable
 * page, before anything reaches Stripe or ends the session.
 */
class PortalFormUnknownFieldTests extends IntegrationTest {

    @Test
    void upgrade_top_up_and_manage_refuse_a_field_they_do_not_have() {
        var browser = signedIn();
        String csrf = browser.get("/billing").csrf();

        var upgrade = browser.post("/billing/upgrade", Map.of("pln", "pro", "_csrf", csrf));
        var topUp = browser.post("/billing/top-up", Map.of("amount_us", "10", "_csrf", csrf));
        var manage = browser.post("/billing/manage", Map.of("customer", "cus_other", "_csrf", csrf));

        assertThat(upgrade.status()).isEqualTo(400);
        assertThat(upgrade.html()).contains("id=\"purchase-message\"")
                .contains("Unknown field &#39;pln&#39;. Did you mean &#39;plan&#39;?");
        assertThat(topUp.status()).isEqualTo(400);
        assertThat(topUp.html()).contains("Did you mean &#39;amount_usd&#39;?");
        assertThat(manage.status()).isEqualTo(400);
        assertThat(manage.html()).contains("Unknown field &#39;customer&#39;.");
    }

    @Test
    void sign_out_with_an_unknown_field_is_refused_and_the_session_stays() {
        var browser = signedIn();
        String csrf = browser.get("/billing").csrf();

        var signOut = browser.post("/billing/logout", Map.of("all_devices", "on", "_csrf", csrf));

        assertThat(signOut.status()).isEqualTo(400);
        assertThat(signOut.html()).contains("Unknown field &#39;all_devices&#39;.");
        assertThat(browser.get("/billing").status()).isEqualTo(200);
    }

    private ConsoleClient signedIn() {
        String account = unique("host");
        assertThat(admin.post("/v1/accounts", Map.of("id", account, "plan", "trial")).status()).isEqualTo(201);
        String url = admin.post("/v1/portal-sessions", Map.of("account_id", account)).json().path("url").asString();
        var browser = new ConsoleClient(port);
        assertThat(browser.get(url.substring(url.indexOf("/portal/"))).location()).endsWith("/billing");
        return browser;
    }
}
