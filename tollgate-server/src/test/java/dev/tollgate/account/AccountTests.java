package dev.tollgate.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.EngineTest;
import dev.tollgate.TollgateNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountTests extends EngineTest {

    @Test
    void a_new_account_gets_the_signup_grants_once_and_an_existing_id_is_refused() {
        String id = newAccount("trial");
        var again = admin.post("/v1/accounts", Map.of("id", id));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("account_exists");
        var summary = summary(id);
        assertThat(summary.path("credits").path("balance").asLong()).isEqualTo(3);
        assertThat(summary.path("balance").path("amount_usd").asString()).isEqualTo("0.000000");
        assertThat(admin.get("/v1/accounts/" + id + "/ledger?meter=credits").json().path("data").size()).isEqualTo(1);
    }

    @Test
    void an_account_id_that_could_not_be_addressed_in_a_url_is_refused() {
        for (String id : List.of("a/b", "a%2Fb", "semi;colon", "what?", "hash#tag", "white space", "back\\slash")) {
            var refused = admin.post("/v1/accounts", Map.of("id", id));
            assertThat(refused.status()).as(id).isEqualTo(400);
            assertThat(refused.json().path("field").asString()).isEqualTo("id");
        }
        var uuid = admin.post("/v1/accounts", Map.of("id", "auth0|5f7c8ec7c33c6c004bbafe82"));
        assertThat(uuid.status()).isEqualTo(201);
        track("auth0|5f7c8ec7c33c6c004bbafe82");
    }

    @Test
    void a_backfill_of_ten_thousand_accounts_creates_the_missing_and_counts_the_existing() {
        String prefix = unique("backfill");
        var accounts = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < 10_000; i++) {
            accounts.add(Map.of("id", prefix + "-" + i));
        }
        String existing = prefix + "-17";
        admin.post("/v1/accounts", Map.of("id", existing, "plan", "credits"));

        var first = admin.post("/v1/accounts/batch", Map.of("accounts", accounts));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().path("created").asInt()).isEqualTo(9_999);
        assertThat(first.json().path("existing").asInt()).isEqualTo(1);

        var second = admin.post("/v1/accounts/batch", Map.of("accounts", accounts));
        assertThat(second.json().path("created").asInt()).isZero();
        assertThat(second.json().path("existing").asInt()).isEqualTo(10_000);

        long grants = sql.sql("SELECT count(*) FROM ledger_entry WHERE account_id LIKE :prefix AND type = 'grant'")
                .param("prefix", prefix + "-%").query(Long.class).single();
        assertThat(grants).isEqualTo(10_000);
        assertThat(summary(prefix + "-9999").path("credits").path("balance").asLong()).isEqualTo(3);
        assertThat(summary(existing).path("plan").path("code").asString()).isEqualTo("credits");
        var reconciliation = admin.get("/v1/admin/reconciliation");
        assertThat(reconciliation.json().path("data").size()).as(reconciliation.text()).isZero();
    }

    @Test
    void a_batch_over_the_limit_is_refused_and_creates_nothing() {
        var accounts = new ArrayList<Map<String, Object>>();
        String prefix = unique("toomany");
        for (int i = 0; i < 10_001; i++) {
            accounts.add(Map.of("id", prefix + "-" + i));
        }
        var response = admin.post("/v1/accounts/batch", Map.of("accounts", accounts));
        assertThat(response.status()).isEqualTo(400);
        assertThat(sql.sql("SELECT count(*) FROM account WHERE id LIKE :p").param("p", prefix + "%")
                .query(Long.class).single()).isZero();
    }

    @Test
    void accounts_are_listed_and_searched_by_id_email_and_plan() {
        String marker = unique("findme");
        admin.post("/v1/accounts", Map.of("id", marker + "-a", "email", "alice@" + marker + ".test", "plan", "lite"));
        admin.post("/v1/accounts", Map.of("id", marker + "-b", "plan", "business"));
        track(marker + "-a");
        track(marker + "-b");

        var byEmail = admin.get("/v1/accounts?q=alice@" + marker);
        assertThat(ids(byEmail.json().path("data"))).containsExactly(marker + "-a");
        var byPlan = admin.get("/v1/accounts?q=" + marker + "&plan=business");
        assertThat(ids(byPlan.json().path("data"))).containsExactly(marker + "-b");
        var paged = admin.get("/v1/accounts?q=" + marker + "&limit=1");
        assertThat(paged.json().path("next_cursor").isNull()).isFalse();
        var next = admin.get("/v1/accounts?q=" + marker + "&limit=1&cursor="
                + paged.json().path("next_cursor").asString());
        assertThat(ids(next.json().path("data"))).containsExactly(marker + "-b");
    }

    @Test
    void unknown_accounts_are_refused_unless_auto_create_is_on() {
        String stranger = unique("stranger");
        var refused = reserve(stranger, 10, 10);
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.code()).isEqualTo("account_not_found");

        try (var node = TollgateNode.start(Map.of("tollgate.ledger.auto-create-accounts", "true"))) {
            var created = node.admin().post("/v1/reservations", Map.of("account_id", stranger, "provider", "openai",
                    "model", "gpt-4o", "input_tokens", 10, "max_output_tokens", 10));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        track(stranger);
        assertThat(summary(stranger).path("plan").path("code").asString()).isEqualTo("trial");
        assertThat(summary(stranger).path("credits").path("balance").asLong()).isEqualTo(3);
    }

    private static List<String> ids(tools.jackson.databind.JsonNode data) {
        var ids = new ArrayList<String>();
        data.forEach(item -> ids.add(item.path("id").asString()));
        return ids;
    }
}
