package dev.tollgate.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.IntegrationTest;
import dev.tollgate.billing.FakeStripeApi;
import dev.tollgate.billing.StripePayloads;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.node.ObjectNode;

/**
 * The billing page's buttons in a real Chromium with Stripe configured: stripe-java is pointed at a fake
 * Stripe API, the browser follows the session's URL to it, and Stripe's signed webhook (as Stripe would
 * send it after the payment) changes what the page shows.
 */
class CheckoutBrowserTests extends IntegrationTest {

    private static final String PRO_PRICE = "price_1TollgateProMonthly";
    private static final FakeStripeApi STRIPE = FakeStripeApi.start();
    private static Browser browser;

    @DynamicPropertySource
    static void stripeCheckout(DynamicPropertyRegistry registry) {
        registry.add("tollgate.stripe.secret-key", () -> "sk_test_tollgateCheckoutTests0123456789");
        registry.add("tollgate.stripe.api-base", STRIPE::base);
    }

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start(1280, 900);
    }

    @AfterAll
    static void stopBrowserAndStripe() {
        if (browser != null) {
            browser.close();
        }
        STRIPE.close();
    }

    @BeforeEach
    void proIsSoldAtItsStripePrice() {
        var pro = (ObjectNode) admin.get("/v1/plans/pro").json();
        if (!PRO_PRICE.equals(pro.path("stripe_price_id").asString())) {
            pro.put("stripe_price_id", PRO_PRICE);
            var put = admin.put("/v1/plans/pro", pro);
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
        }
    }

    @Test
    void upgrade_reaches_stripe_with_the_price_and_the_account_and_after_the_webhook_the_page_shows_pro() {
        String account = anAccount("trial");
        open(account);
        browser.consoleErrors();
        browser.screenshot("billing-trial-with-upgrades");

        browser.click("upgrade-pro");

        browser.await(driver -> driver.getCurrentUrl().startsWith(STRIPE.base() + "/c/pay/cs_"));
        assertThat(browser.driver.getTitle()).isEqualTo("Stripe Checkout");
        var form = lastCall("/v1/checkout/sessions");
        assertThat(form).containsEntry("mode", "subscription").containsEntry("line_items[0][price]", PRO_PRICE)
                .containsEntry("line_items[0][quantity]", "1").containsEntry("client_reference_id", account)
                .containsEntry("subscription_data[metadata][account_id]", account)
                .containsEntry("success_url", "http://localhost:" + port + "/billing?checkout=success");

        String customer = StripePayloads.id("cus");
        String subscription = StripePayloads.id("sub");
        Instant start = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        stripeSends("checkout.session.completed", StripePayloads.subscriptionCheckout(StripePayloads.id("cs"),
                account, customer, subscription, start));
        stripeSends("customer.subscription.created", StripePayloads.subscription(subscription, customer, "active",
                PRO_PRICE, start, start.plus(Duration.ofDays(30))));
        browser.driver.get(form.get("success_url"));

        assertThat(browser.text("plan-name")).isEqualTo("Pro");
        assertThat(browser.text("status")).isEqualToIgnoringCase("active");
        assertThat(browser.text("checkout-notice")).startsWith("Thank you.");
        browser.click("manage-billing");
        browser.await(driver -> driver.getCurrentUrl().startsWith(STRIPE.base() + "/p/session/bps_"));
        assertThat(lastCall("/v1/billing_portal/sessions")).containsEntry("customer", customer)
                .containsEntry("return_url", "http://localhost:" + port + "/billing");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void top_up_pays_the_chosen_amount_and_after_the_webhook_the_page_shows_the_balance() {
        String account = anAccount("payg");
        open(account);
        assertThat(browser.text("balance")).isEqualTo("$0.00");

        browser.await(driver -> {
            try {
                new Select(driver.findElement(By.id("top-up-amount"))).selectByValue("25");
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return null;
            }
        });
        browser.click("top-up");

        browser.await(driver -> driver.getCurrentUrl().startsWith(STRIPE.base() + "/c/pay/cs_"));
        var form = lastCall("/v1/checkout/sessions");
        assertThat(form).containsEntry("mode", "payment").containsEntry("client_reference_id", account)
                .containsEntry("line_items[0][price_data][currency]", "usd")
                .containsEntry("line_items[0][price_data][unit_amount]", "2500")
                .containsEntry("payment_intent_data[metadata][account_id]", account);

        stripeSends("checkout.session.completed", StripePayloads.paymentCheckout(StripePayloads.id("cs"), account,
                2500, "paid"));
        browser.driver.get(form.get("success_url"));

        assertThat(browser.text("balance")).isEqualTo("$25.00");
        assertThat(admin.get("/v1/accounts/" + account).json().path("balance").path("amount_usd").asString())
                .isEqualTo("25.000000");
    }

    @Test
    void a_purchase_without_the_pages_csrf_token_or_for_a_plan_stripe_does_not_sell_changes_nothing() {
        String account = anAccount("trial");
        int before = STRIPE.calls().size();
        String url = admin.post("/v1/portal-sessions", Map.of("account_id", account)).json().path("url").asString();
        var opened = http.get(url.substring(url.indexOf("/portal/")));
        String cookie = opened.headers().get("set-cookie").getFirst();
        var signedIn = http.withHeader("Cookie", cookie.substring(0, cookie.indexOf(';')));

        var forged = signedIn.send("POST", "/billing/upgrade", "plan=pro", "application/x-www-form-urlencoded");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(http.send("POST", "/billing/upgrade", "plan=pro", "application/x-www-form-urlencoded").status())
                .isEqualTo(403);

        open(account);
        // A hand-edited form: the field says payg, which has no Stripe price. Submitted in the same script,
        // so that no redraw of the page can put the original form back in between.
        browser.text("upgrade-pro");
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript(
                "var form = document.querySelector('input[name=plan][value=pro]').form;"
                        + "form.elements.plan.value = 'payg'; form.submit();");
        assertThat(browser.text("purchase-message"))
                .isEqualTo("Plan 'payg' cannot be bought here.");
        assertThat(STRIPE.calls()).hasSize(before);
        assertThat(admin.get("/v1/accounts/" + account).json().path("plan").path("code").asString()).isEqualTo("trial");
    }

    private String anAccount(String plan) {
        String id = unique("buyer");
        var created = admin.post("/v1/accounts", Map.of("id", id, "plan", plan));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return id;
    }

    private void open(String account) {
        var created = admin.post("/v1/portal-sessions", Map.of("account_id", account));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        browser.driver.get(created.json().path("url").asString());
        browser.await(driver -> driver.findElements(By.id("plan-name")).isEmpty() ? null : true);
    }

    private Map<String, String> lastCall(String path) {
        return STRIPE.calls().stream().filter(call -> call.path().equals(path)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("Stripe was not called at " + path)).form();
    }

    private void stripeSends(String type, String object) {
        String payload = StripePayloads.event(StripePayloads.id("evt"), type, clock.instant(), object);
        var response = http.withHeader("Stripe-Signature",
                        StripePayloads.signature(STRIPE_WEBHOOK_SECRET, payload, clock.instant()))
                .send("POST", "/v1/webhooks/stripe", payload, "application/json; charset=utf-8");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }
}
