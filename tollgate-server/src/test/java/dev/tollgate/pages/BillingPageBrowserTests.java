package dev.tollgate.pages;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.platform.security.EndUserTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The end-user pages in a real headless Chromium: the billing page shows what the API says and follows
 * it live, the trial and quota texts are the seed's, markup in data stays text, and the widget works on
 * a page of another origin. Screenshots go to target/screenshots.
 */
class BillingPageBrowserTests extends EndUserTest {

    /** The host app's page: another origin (another port) that embeds the widget. */
    private static final HttpServer HOST = hostApp();
    private static final AtomicReference<String> HOST_PAGE = new AtomicReference<>("");
    private static Browser browser;

    @DynamicPropertySource
    static void hostAppMayCallTollgate(DynamicPropertyRegistry registry) {
        registry.add("tollgate.cors.origins", BillingPageBrowserTests::hostOrigin);
    }

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start(1280, 900);
    }

    @AfterAll
    static void stopBrowserAndHost() {
        if (browser != null) {
            browser.close();
        }
        HOST.stop(0);
    }

    @Test
    void the_billing_page_shows_the_numbers_of_the_api_and_a_commit_appears_without_a_reload() {
        String account = anAccount();
        admin.post("/v1/accounts/" + account + "/plan", Map.of("plan", "free"));
        use(account, 1200);
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));

        open(account);

        JsonNode summary = admin.get("/v1/accounts/" + account).json();
        assertThat(text("plan-name")).isEqualTo(summary.path("plan").path("name").asString());
        assertThat(text("tokens-used")).isEqualTo("1,200");
        assertThat(text("tokens-limit")).isEqualTo("50,000");
        assertThat(browser.attribute("tokens-bar", "role")).isEqualTo("progressbar");
        assertThat(Double.parseDouble(browser.attribute("tokens-bar", "aria-valuenow")))
                .isEqualTo(summary.path("tokens").path("percent_used").asDouble());
        assertThat(text("tokens-remaining")).isEqualTo("48,800");
        assertThat(text("conversations-limit")).isEqualTo("5");
        assertThat(text("credits")).isEqualTo(summary.path("credits").path("balance").asString());
        String firstModel = browser.read(driver -> driver.findElements(By.cssSelector("#models tbody tr")).getFirst()
                .getText());
        assertThat(firstModel).contains("openai/gpt-4o");
        browser.screenshot("billing-desktop");

        use(account, 800);
        browser.await(driver -> text("tokens-used").equals("2,000"));
        assertThat(browser.attribute("tokens-bar", "aria-valuenow")).isEqualTo("4.0");

        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        browser.screenshot("billing-phone");
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void a_trial_ended_by_sql_shows_the_seed_message_word_for_word() {
        String account = anAccount();
        sql.sql("UPDATE subscription SET trial_ends_at = :at WHERE account_id = :id")
                .param("at", java.sql.Timestamp.from(clock.instant().minusSeconds(60)))
                .param("id", account)
                .update();

        open(account);

        assertThat(text("trial-expired")).isEqualTo(
                "Your 7-day free trial has expired. Please upgrade to Lite, Pro, or Business plan to continue.");
    }

    @Test
    void at_ninety_percent_the_page_warns_in_the_seed_words() {
        String account = aThousandTokenAccountThatUsed(917);

        open(account);

        assertThat(text("warning")).isEqualTo("User at 91.7% of quota");
    }

    @Test
    void a_job_rejected_elsewhere_is_announced_on_the_open_page_in_the_seed_words() {
        String account = aThousandTokenAccountThatUsed(900);
        open(account);
        assertThat(browser.driver.findElements(By.id("denied"))).isEmpty();

        var denied = admin.post("/v1/reservations", Map.of("account_id", account, "provider", "openai",
                "model", "gpt-4o", "input_tokens", 0, "max_output_tokens", 500));
        assertThat(denied.status()).isEqualTo(402);

        String shown = browser.await(driver -> driver.findElements(By.id("denied-message")).isEmpty() ? null
                : browser.text("denied-message"));
        assertThat(shown).isEqualTo("Insufficient tokens. You have 100 tokens remaining, but this request needs ~500 tokens.")
                .isEqualTo(denied.json().path("detail").asString());
    }

    @Test
    void markup_in_a_plan_name_and_an_email_renders_as_text() {
        String payload = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=1</script>";
        String plan = unique("xss").replaceAll("[^a-z0-9]", "");
        var put = admin.put("/v1/plans/" + plan, Map.of("name", payload, "period", "P1M", "tokens_per_period", 1000));
        assertThat(put.status()).as(put.toString()).isIn(200, 201);
        String account = anAccount();
        admin.post("/v1/accounts/" + account + "/plan", Map.of("plan", plan));
        // Written past the API's validation, as a row edited in SQL would be.
        String email = "\"><svg onload=\"window.pwned=1\">@example.com";
        sql.sql("UPDATE account SET email = :email WHERE id = :id").param("email", email).param("id", account).update();

        open(account);

        assertThat(text("plan-name")).isEqualTo(payload);
        assertThat(text("account")).isEqualTo(email);
        assertThat(((JavascriptExecutor) browser.driver).executeScript("return window.pwned === undefined"))
                .isEqualTo(true);
    }

    @Test
    void a_link_opened_a_second_time_shows_that_it_expired_and_nothing_of_the_account() {
        String account = anAccount();
        String url = portalLink(account);
        browser.driver.get(url);
        browser.await(driver -> driver.getCurrentUrl().endsWith("/billing"));

        browser.driver.get(url);

        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("This link has expired");
        assertThat(browser.driver.getPageSource()).doesNotContain(account);
    }

    @Test
    void the_widget_renders_on_a_page_of_another_origin_with_the_users_jwt_and_warns_at_ninety_percent() {
        String account = anAccount();
        use(account, 3000);
        String nearlySpent = aThousandTokenAccountThatUsed(917);
        HOST_PAGE.set("""
                <!DOCTYPE html><html><head><title>Host app</title>
                <style>body { font-family: serif; color: red; } div { border: 5px solid red; }</style></head>
                <body><h1>My app</h1>
                <tollgate-usage id="half" account-id="%s" token="%s" billing-url="https://app.example.com/billing"></tollgate-usage>
                <tollgate-usage id="nearly" account-id="%s" token="%s"></tollgate-usage>
                <script src="http://localhost:%d/widget.js"></script></body></html>
                """.formatted(account, tokens().hs256(account), nearlySpent, tokens().hs256(nearlySpent), port));

        browser.driver.get(hostOrigin() + "/");

        assertThat(widgetText("half")).contains("3,000 tokens left").contains("50% used").doesNotContain("of quota");
        assertThat(widgetText("nearly")).contains("83 tokens left").contains("User at 91.7% of quota");
        browser.screenshot("widget");
        use(account, 600);
        String followed = browser.await(driver -> {
            String text = widgetText("half");
            return text.contains("2,400 tokens left") ? text : null;
        });
        assertThat(followed).as("the widget follows the account's events").contains("60% used");

        var allowed = http.withHeader("Origin", hostOrigin()).withHeader("Access-Control-Request-Method", "GET")
                .withHeader("Access-Control-Request-Headers", "authorization")
                .send("OPTIONS", "/v1/accounts/" + account, null, null);
        assertThat(allowed.status()).isBetween(200, 204);
        assertThat(allowed.headers().get("access-control-allow-origin")).containsExactly(hostOrigin());
        assertThat(allowed.headers()).doesNotContainKey("access-control-allow-credentials");
        var refused = http.withHeader("Origin", "https://evil.example").withHeader("Access-Control-Request-Method", "GET")
                .send("OPTIONS", "/v1/accounts/" + account, null, null);
        assertThat(refused.headers()).doesNotContainKey("access-control-allow-origin");
    }

    @Test
    void the_pricing_table_shows_the_public_plans_with_the_trial_highlighted() {
        browser.consoleErrors();
        browser.driver.get("http://localhost:" + port + "/pricing");

        var highlighted = browser.driver.findElement(By.cssSelector(".tier.highlight"));
        assertThat(highlighted.getAttribute("data-plan")).isEqualTo("trial");
        assertThat(highlighted.getAttribute("textContent")).contains("7-day free trial");
        assertThat(browser.driver.findElements(By.cssSelector(".tier"))).extracting(e -> e.getAttribute("data-plan"))
                .contains("lite", "pro", "business");
        browser.screenshot("pricing");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private void open(String account) {
        browser.consoleErrors();
        browser.driver.get(portalLink(account));
        browser.await(driver -> driver.findElements(By.id("plan-name")).isEmpty() ? null : true);
    }

    private String portalLink(String account) {
        var created = admin.post("/v1/portal-sessions", Map.of("account_id", account));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("url").asString();
    }

    /** An account on Free with its allowance set to 1,000 tokens, of which it used these. */
    private String aThousandTokenAccountThatUsed(long tokens) {
        String account = anAccount();
        admin.post("/v1/accounts/" + account + "/plan", Map.of("plan", "free"));
        admin.put("/v1/accounts/" + account + "/allowance", Map.of("tokens_per_period", 1000));
        use(account, tokens);
        return account;
    }

    private void use(String account, long tokens) {
        var reserved = admin.post("/v1/reservations", Map.of("account_id", account, "provider", "openai",
                "model", "gpt-4o", "input_tokens", 0, "max_output_tokens", tokens));
        assertThat(reserved.status()).as(reserved.toString()).isEqualTo(201);
        var committed = admin.post("/v1/reservations/" + reserved.json().path("id").asString() + "/commit",
                Map.of("input_tokens", 0, "output_tokens", tokens));
        assertThat(committed.status()).as(committed.toString()).isEqualTo(200);
    }

    private static String widgetText(String id) {
        return browser.await(driver -> {
            Object text = ((JavascriptExecutor) driver).executeScript(
                    "var w = document.getElementById(arguments[0]);"
                            + "return w && w.shadowRoot ? w.shadowRoot.textContent : null;", id);
            return text != null && text.toString().contains("tokens left") ? text.toString() : null;
        });
    }

    private static String text(String id) {
        return browser.text(id);
    }

    private static String hostOrigin() {
        return "http://127.0.0.1:" + HOST.getAddress().getPort();
    }

    private static HttpServer hostApp() {
        try {
            var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = HOST_PAGE.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
