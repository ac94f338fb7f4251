package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.EngineTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertsAndReportsTests extends EngineTest {

    @Test
    void each_threshold_is_announced_once_per_period() {
        String account = newAccount("pro");
        admin.put("/v1/accounts/" + account + "/allowance", Map.of("tokens_per_period", 1000));
        use(account, 500);
        use(account, 310);
        use(account, 50);
        use(account, 50);
        use(account, 90);
        var crossed = admin.get("/v1/accounts/" + account + "/events?limit=200").json().path("data");
        var percents = new java.util.ArrayList<Integer>();
        crossed.forEach(e -> {
            if (e.path("type").asString().equals("threshold.crossed")) {
                percents.add(e.path("data").path("threshold_percent").asInt());
            }
        });
        assertThat(percents).containsExactly(80, 90, 100);
    }

    @Test
    void every_change_is_an_event_readable_in_order_after_a_given_event() {
        String account = newAccount("payg");
        admin.post("/v1/accounts/" + account + "/top-ups", Map.of("amount_usd", "2"));
        admin.post("/v1/accounts/" + account + "/credits", Map.of("type", "add", "amount", 1, "description", "x"));
        admin.post("/v1/accounts/" + account + "/plan", Map.of("plan", "pro"));
        use(account, 100);
        assertThat(eventTypes(account)).containsSubsequence("account.created", "balance.changed", "credits.changed",
                "plan.changed", "reservation.approved", "usage.committed");

        var all = admin.get("/v1/accounts/" + account + "/events").json().path("data");
        String third = all.get(2).path("id").asString();
        var after = admin.get("/v1/accounts/" + account + "/events?after=" + third).json().path("data");
        assertThat(after.size()).isEqualTo(all.size() - 3);
        assertThat(after.get(0).path("id").asString()).isEqualTo(all.get(3).path("id").asString());
    }

    @Test
    void a_commit_announces_its_usage_record_and_the_meter_after_it_before_the_credits_it_spent() {
        String account = newAccount("credits");
        String reservation = approvedReservation(account, 100, 100);
        var committed = commit(reservation, 120, 30);
        assertThat(committed.status()).as(committed.toString()).isEqualTo(200);

        var events = admin.get("/v1/accounts/" + account + "/events?limit=200").json().path("data");
        var types = new java.util.ArrayList<String>();
        events.forEach(e -> types.add(e.path("type").asString()));
        assertThat(types).containsSubsequence("reservation.approved", "usage.committed", "credits.changed");
        var usage = events.get(types.indexOf("usage.committed")).path("data");
        assertThat(usage.path("usage_record_id").asString()).isEqualTo(committed.json().path("id").asString());
        assertThat(usage.path("reservation_id").asString()).isEqualTo(reservation);
        assertThat(usage.path("total_tokens").asLong()).isEqualTo(150);
        assertThat(usage.path("tokens_used").asLong())
                .isEqualTo(summary(account).path("tokens").path("used").asLong());
        assertThat(usage.path("job_id").isNull()).isTrue();
    }

    @Test
    void usage_without_a_reservation_is_charged_like_a_commit_and_summed_by_day_and_model() {
        String account = newAccount("pro");
        for (int i = 0; i < 3; i++) {
            var usage = admin.post("/v1/usage", Map.of("account_id", account, "provider", "openai",
                    "model", "gpt-4o-mini", "input_tokens", 1000, "output_tokens", 100, "job_type", "review",
                    "job_id", "job_" + i));
            assertThat(usage.status()).as(usage.toString()).isEqualTo(201);
        }
        clock.advance(Duration.ofDays(1));
        admin.post("/v1/usage", Map.of("account_id", account, "provider", "anthropic", "model", "claude-sonnet-4",
                "input_tokens", 10, "output_tokens", 10));
        assertThat(summary(account).path("tokens").path("used").asLong()).isEqualTo(3320);

        var byDay = admin.get("/v1/accounts/" + account + "/usage?group_by=day").json().path("data");
        assertThat(byDay.size()).isEqualTo(2);
        assertThat(byDay.get(0).path("requests").asLong()).isEqualTo(3);
        assertThat(byDay.get(0).path("total_tokens").asLong()).isEqualTo(3300);
        var byModel = admin.get("/v1/accounts/" + account + "/usage?group_by=model").json().path("data");
        assertThat(byModel.size()).isEqualTo(2);
        var records = admin.get("/v1/accounts/" + account + "/usage?limit=2").json();
        assertThat(records.path("data").size()).isEqualTo(2);
        assertThat(records.path("data").get(0).path("model").asString()).isEqualTo("claude-sonnet-4");
        var rest = admin.get("/v1/accounts/" + account + "/usage?limit=10&cursor="
                + records.path("next_cursor").asString()).json();
        assertThat(rest.path("data").size()).isEqualTo(2);
    }

    @Test
    void a_plan_edited_in_sql_takes_effect_on_every_node_through_the_cache() {
        String code = "sqlplan" + System.nanoTime() % 1_000_000;
        var put = admin.put("/v1/plans/" + code, Map.of("name", "SQL plan", "period", "P30D",
                "tokens_per_period", 1000, "price_usd", "5.00"));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        String account = newAccount(code);
        assertThat(summary(account).path("tokens").path("limit").asLong()).isEqualTo(1000);

        sql.sql("UPDATE plan SET tokens_per_period = 50, name = 'Edited' WHERE code = :code").param("code", code)
                .update();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.get("/v1/plans/" + code).json().path("name").asString(), "Edited"::equals);
        assertThat(reserve(account, 30, 30).code()).isEqualTo("insufficient_tokens");
    }
}
