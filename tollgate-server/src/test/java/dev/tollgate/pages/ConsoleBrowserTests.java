package dev.tollgate.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.EngineTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * The admin console in a real headless Chromium, doing what an operator does: sign in with a key, find an
 * account by a part of its email, change its plan, adjust its credits and override its allowance, each
 * seen on the page and in the API's ledger; and what must not work does not: a read key's actions, a
 * forged form, a double click, bad input, a session after logout.
 */
class ConsoleBrowserTests extends EngineTest {

    private static Browser browser;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start(1280, 900);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void an_admin_finds_an_account_by_part_of_its_email_and_changes_its_plan_credits_and_allowance() {
        String keyName = unique("ops");
        signIn(key(keyName, "admin"));
        String account = accountWithEmail();
        String email = account + "@customer.example";

        browser.driver.get(url("/console/accounts"));
        element("q").sendKeys(email.substring(5, 20));
        element("search-button").click();
        browser.await(driver -> driver.findElement(By.linkText(account))).click();
        browser.await(driver -> text("account-id").equals(account));
        assertThat(text("email")).isEqualTo(email);

        new Select(element("plan-plan")).selectByVisibleText("Pro");
        element("plan-reason").sendKeys("paid by invoice");
        confirm("plan-submit");
        assertThat(text("plan-name")).isEqualTo("Pro");
        assertThat(summary(account).path("plan").path("code").asString()).isEqualTo("pro");

        new Select(element("credits-type")).selectByValue("add");
        element("credits-amount").sendKeys("5");
        element("credits-description").sendKeys("goodwill after an outage");
        element("credits-reason").sendKeys("ticket 4711");
        confirm("credits-submit");
        JsonNode entry = admin.get("/v1/accounts/" + account + "/ledger?meter=credits").json().path("data").get(0);
        assertThat(entry.path("type").asString()).isEqualTo("add");
        assertThat(entry.path("amount").asLong()).isEqualTo(5);
        assertThat(entry.path("actor").asString()).isEqualTo(keyName);
        assertThat(text("credits")).isEqualTo("8");
        assertThat(text("outcome-entry")).isEqualTo(entry.path("id").asString());
        assertThat(element(entry.path("id").asString()).getText()).contains("goodwill after an outage")
                .contains(keyName);

        element("allowance-tokens").sendKeys("12345");
        element("allowance-reason").sendKeys("pilot customer");
        confirm("allowance-submit");
        assertThat(text("tokens-limit")).isEqualTo("12,345");
        assertThat(summary(account).path("tokens").path("limit").asLong()).isEqualTo(12_345);
        browser.screenshot("console-account");

        browser.driver.manage().window().setSize(new Dimension(390, 844));
        assertThat(pageWidth()).isLessThanOrEqualTo(390);
        browser.screenshot("console-account-phone");
        browser.driver.manage().window().setSize(new Dimension(1280, 900));
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void a_read_key_sees_no_action_and_its_forged_post_is_refused() {
        signIn(key(unique("auditor"), "read"));
        String account = newAccount("trial");

        browser.driver.get(url("/console/accounts/" + account));

        assertThat(text("credits")).isEqualTo("3");
        assertThat(element("role").getDomProperty("textContent")).isEqualTo("read");
        assertThat(browser.driver.findElements(By.id("actions"))).isEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("form[method=post]"))).extracting(f -> f.getDomAttribute("action"))
                .containsExactly("/console/logout");
        postFromThePage("/console/accounts/" + account + "/credits", true);
        assertThat(text("refused")).contains("may read the console but not change anything");
        assertThat(creditEntries(account)).hasSize(1);
    }

    @Test
    void a_forged_post_without_the_csrf_token_is_refused() {
        signIn(key(unique("ops"), "admin"));
        String account = newAccount("trial");
        browser.driver.get(url("/console/accounts/" + account));

        postFromThePage("/console/accounts/" + account + "/credits", false);

        assertThat(text("refused")).contains("did not come from the console");
        assertThat(creditEntries(account)).hasSize(1);
    }

    @Test
    void a_form_with_bad_input_shows_the_message_next_to_the_field_and_changes_nothing() {
        signIn(key(unique("ops"), "admin"));
        String account = newAccount("trial");
        browser.driver.get(url("/console/accounts/" + account));

        element("credits-amount").sendKeys("lots");
        element("credits-description").sendKeys("x");
        element("credits-reason").sendKeys("y");
        element("credits-submit").click();

        var error = browser.await(driver -> driver.findElement(By.id("credits-amount-error")));
        assertThat(error.getText()).isEqualTo("must be a whole number");
        assertThat(element("credits-amount").getDomProperty("value")).isEqualTo("lots");
        assertThat(browser.driver.findElements(By.id("confirm"))).isEmpty();
        assertThat(admin.get("/v1/accounts/" + account + "/ledger").json().path("data").size()).isEqualTo(1);
    }

    @Test
    void a_double_clicked_confirmation_makes_one_ledger_entry() {
        signIn(key(unique("ops"), "admin"));
        String account = newAccount("trial");
        browser.driver.get(url("/console/accounts/" + account));
        element("credits-amount").sendKeys("2");
        element("credits-description").sendKeys("twice?");
        element("credits-reason").sendKeys("double click");
        element("credits-submit").click();

        new Actions(browser.driver).doubleClick(browser.await(driver -> driver.findElement(By.id("confirm")))).perform();

        browser.await(driver -> driver.findElement(By.id("outcome")));
        assertThat(creditEntries(account)).extracting(e -> e.path("type").asString()).containsExactly("add", "grant");
        assertThat(text("credits")).isEqualTo("5");
    }

    @Test
    void the_session_ends_after_logout() {
        signIn(key(unique("ops"), "admin"));
        browser.driver.get(url("/console/accounts"));

        element("logout").click();

        browser.await(driver -> driver.findElement(By.id("signed-out")));
        browser.driver.get(url("/console/accounts"));
        browser.await(driver -> driver.getCurrentUrl().endsWith("/console/login"));
        assertThat(browser.driver.findElements(By.id("signed-in-as"))).isEmpty();
    }

    @Test
    void every_page_is_readable_at_1280_and_usable_at_390_px_and_the_overview_tail_follows_new_events() {
        signIn(key(unique("ops"), "admin"));
        String account = accountWithEmail();
        admin.post("/v1/accounts/" + account + "/plan", Map.of("plan", "free"));
        for (long tokens : new long[] {1200, 800, 2500}) {
            use(account, tokens);
        }
        String[] pages = {"/console", "/console/accounts", "/console/accounts/" + account, "/console/plans",
                "/console/plans/pro", "/console/prices", "/console/prices/openai/gpt-4o", "/console/webhooks",
                "/console/keys", "/console/reconciliation"};
        for (int width : new int[] {1280, 390}) {
            browser.driver.manage().window().setSize(new Dimension(width, width == 390 ? 844 : 900));
            for (String path : pages) {
                browser.driver.get(url(path));
                browser.await(driver -> driver.findElements(By.id("signed-in-as")).isEmpty() ? null : true);
                assertThat(pageWidth()).as(path + " at " + width + " px").isLessThanOrEqualTo(width);
                browser.screenshot(screenshotName(path, account) + (width == 390 ? "-phone" : ""));
            }
        }
        browser.driver.manage().window().setSize(new Dimension(1280, 900));
        browser.driver.get(url("/console/accounts/" + account));
        element("credits-amount").sendKeys("5");
        element("credits-description").sendKeys("goodwill");
        element("credits-reason").sendKeys("ticket 4711");
        element("credits-submit").click();
        browser.await(driver -> driver.findElement(By.id("confirm")));
        browser.screenshot("console-confirm");
        browser.driver.get(url("/console/login?ended"));
        browser.screenshot("console-login");
        signIn(key(unique("ops"), "admin"));

        browser.driver.get(url("/console"));
        admin.post("/v1/accounts/" + account + "/credits", Map.of("type", "add", "amount", 1, "description", "live"));
        String newest = admin.get("/v1/accounts/" + account + "/events?limit=200").json().path("data").valueStream()
                .reduce((first, second) -> second).orElseThrow().path("id").asString();
        browser.await(driver -> driver.findElements(By.cssSelector("#tail tr[data-event='" + newest + "']")).isEmpty()
                ? null : true);
        assertThat(browser.consoleErrors()).isEmpty();
    }

    private static String screenshotName(String path, String account) {
        String name = path.replace("/console", "console").replace(account, "account").replace("/", "-");
        return name.equals("console") ? "console-overview" : name;
    }


    // ---- helpers ---------------------------------------------------------------------------------

    private String key(String name, String role) {
        var created = admin.post("/v1/api-keys", Map.of("name", name, "role", role));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("secret").asString();
    }

    private String accountWithEmail() {
        String id = unique("acct");
        var created = admin.post("/v1/accounts", Map.of("id", id, "email", id + "@customer.example"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        track(id);
        return id;
    }

    private void signIn(String key) {
        browser.consoleErrors();
        browser.driver.get(url("/console/login"));
        element("key").sendKeys(key);
        element("sign-in").click();
        browser.await(driver -> driver.findElements(By.id("signed-in-as")).isEmpty() ? null : true);
    }

    /** Submits the action's form, then its confirmation, and waits for the page that shows the outcome. */
    private void confirm(String submitButton) {
        element(submitButton).click();
        browser.await(driver -> driver.findElement(By.id("confirm"))).click();
        browser.await(driver -> driver.findElement(By.id("outcome")));
    }

    /** A form an attacker's script would post, with or without the page's own CSRF token. */
    private void postFromThePage(String path, boolean withToken) {
        ((JavascriptExecutor) browser.driver).executeScript("""
                var form = document.createElement('form');
                form.method = 'post';
                form.action = arguments[0];
                var fields = {type: 'add', amount: '5', description: 'forged', reason: 'forged',
                              nonce: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'};
                if (arguments[1]) {
                    fields._csrf = document.querySelector('input[name=_csrf]').value;
                }
                for (var name in fields) {
                    var input = document.createElement('input');
                    input.type = 'hidden';
                    input.name = name;
                    input.value = fields[name];
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                form.submit();
                """, path, withToken);
        browser.await(driver -> driver.findElements(By.id("refused")).isEmpty() ? null : true);
    }

    private List<JsonNode> creditEntries(String account) {
        var entries = new ArrayList<JsonNode>();
        admin.get("/v1/accounts/" + account + "/ledger?meter=credits").json().path("data").forEach(entries::add);
        return entries;
    }

    private long pageWidth() {
        return ((Number) ((JavascriptExecutor) browser.driver).executeScript(
                "return document.documentElement.scrollWidth")).longValue();
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private static WebElement element(String id) {
        return browser.driver.findElement(By.id(id));
    }

    private static String text(String id) {
        return element(id).getText();
    }
}
