package dev.tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.EngineTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signing in to the console: who may, what the cookie is like, and every way a session ends. */
class ConsoleSessionTests extends EngineTest {

    @Test
    void an_admin_key_signs_in_with_an_http_only_strict_cookie_and_reaches_the_console() {
        var browser = new ConsoleClient(port);
        var signedIn = browser.signIn(ADMIN_KEY);

        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(302);
        assertThat(signedIn.location()).endsWith("/console");
        assertThat(signedIn.setCookies()).anySatisfy(cookie -> assertThat(cookie).startsWith("tollgate_console=")
                .contains("HttpOnly").contains("SameSite=Strict").contains("Path=/console"));
        var page = browser.get("/console/accounts");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.html()).contains("id=\"signed-in-as\"").contains("configured admin key");
    }

    @Test
    void a_service_key_a_revoked_key_and_a_wrong_key_cannot_sign_in() {
        String service = keyWithRole("service");
        var revoked = admin.post("/v1/api-keys", Map.of("name", unique("revoked"), "role", "admin")).json();
        admin.delete("/v1/api-keys/" + revoked.path("id").asString());

        for (String key : new String[] {service, revoked.path("secret").asString(), "tg_not_a_key_at_all", ""}) {
            var browser = new ConsoleClient(port);
            var refused = browser.signIn(key);
            assertThat(refused.status()).as(key).isEqualTo(401);
            assertThat(refused.html()).contains("That is not an active admin or read key.");
            assertThat(browser.cookie("tollgate_console")).isNull();
            assertThat(browser.get("/console/accounts").location()).endsWith("/console/login");
        }
    }

    @Test
    void a_page_without_a_session_sends_the_visitor_to_the_sign_in_and_a_post_is_refused() {
        var browser = new ConsoleClient(port);

        assertThat(browser.get("/console/accounts").location()).endsWith("/console/login");
        var form = browser.get("/console/login");
        var post = browser.submit(form, "/console/accounts/x/credits", Map.of("amount", "5"));
        assertThat(post.status()).isIn(401, 403);
    }

    @Test
    void the_session_ends_after_logout_and_a_copy_of_its_cookie_no_longer_works() {
        var browser = new ConsoleClient(port);
        browser.signIn(ADMIN_KEY);
        String cookie = browser.cookie("tollgate_console");
        var page = browser.get("/console/accounts");

        var loggedOut = browser.submit(page, "/console/logout", Map.of());

        assertThat(loggedOut.location()).endsWith("/console/login?ended");
        assertThat(browser.get("/console/accounts").location()).endsWith("/console/login");
        var thief = new ConsoleClient(port);
        thief.setCookie("tollgate_console", cookie);
        assertThat(thief.get("/console/accounts").location()).endsWith("/console/login");
    }

    @Test
    void a_session_idle_for_thirty_minutes_ends_and_one_in_use_does_not() {
        var idle = new ConsoleClient(port);
        idle.signIn(ADMIN_KEY);
        var busy = new ConsoleClient(port);
        busy.signIn(ADMIN_KEY);

        clock.advance(Duration.ofMinutes(20));
        assertThat(busy.get("/console/accounts").status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(11));

        assertThat(busy.get("/console/accounts").status()).isEqualTo(200);
        assertThat(idle.get("/console/accounts").location()).endsWith("/console/login");
    }

    @Test
    void revoking_the_key_ends_its_console_sessions() {
        var created = admin.post("/v1/api-keys", Map.of("name", unique("operator"), "role", "read")).json();
        var browser = new ConsoleClient(port);
        browser.signIn(created.path("secret").asString());
        assertThat(browser.get("/console/accounts").status()).isEqualTo(200);

        admin.delete("/v1/api-keys/" + created.path("id").asString());

        assertThat(browser.get("/console/accounts").location()).endsWith("/console/login");
    }
}
