package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.EngineTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The test clock moves through trial ends, period ends and reservation expiry. */
class TimeTests extends EngineTest {

    @Autowired
    Ledger ledger;

    @Test
    void a_trial_ends_seven_days_after_signup() {
        String account = newAccount("trial");
        assertThat(reserve(account, 10, 10).status()).isEqualTo(201);
        clock.advance(Duration.ofDays(7).plusMinutes(1));
        var denied = reserve(account, 10, 10);
        assertThat(denied.code()).isEqualTo("trial_expired");
        assertThat(summary(account).path("trial_days_left").asLong()).isZero();
        releaseAll(account);
    }

    @Test
    void a_thirty_day_period_resets_the_allowance_exactly_once() {
        String account = newAccount("pro");
        use(account, 1000);
        var start = Instant.parse(summary(account).path("period").path("start").asString());
        clock.advanceTo(start.plus(Duration.ofDays(30)).plusSeconds(1));

        var after = summary(account);
        assertThat(after.path("tokens").path("used").asLong()).isZero();
        assertThat(Instant.parse(after.path("period").path("start").asString()))
                .isEqualTo(start.plus(Duration.ofDays(30)));
        summary(account);
        use(account, 10);
        assertThat(eventTypes(account).stream().filter("period.reset"::equals).count()).isEqualTo(1);
        var resets = admin.get("/v1/accounts/" + account + "/ledger?meter=tokens").json().path("data");
        long resetEntries = 0;
        for (var entry : resets) {
            if (entry.path("type").asString().equals("reset")) {
                resetEntries++;
                assertThat(entry.path("amount").asLong()).isEqualTo(-1000);
            }
        }
        assertThat(resetEntries).isEqualTo(1);
    }

    @Test
    void a_calendar_month_period_rolls_over_at_the_same_time_next_month() {
        String account = newAccount("free");
        use(account, 500);
        var start = Instant.parse(summary(account).path("period").path("start").asString());
        var end = Instant.parse(summary(account).path("period").path("end").asString());
        assertThat(end).isEqualTo(start.atOffset(java.time.ZoneOffset.UTC).plusMonths(1).toInstant());
        clock.advanceTo(end.plusSeconds(1));
        assertThat(summary(account).path("tokens").path("used").asLong()).isZero();
        assertThat(summary(account).path("period").path("start").asString()).isEqualTo(end.toString());
    }

    @Test
    void a_reservation_made_before_a_period_boundary_and_committed_after_it_settles() {
        String account = newAccount("pro");
        String reservation = approvedReservation(account, 500, 500);
        var end = Instant.parse(summary(account).path("period").path("end").asString());
        clock.advanceTo(end.plusSeconds(60));

        var usage = commit(reservation, 400, 300);
        assertThat(usage.status()).isEqualTo(200);
        var tokens = summary(account).path("tokens");
        assertThat(tokens.path("used").asLong()).isEqualTo(700);
        assertThat(tokens.path("reserved").asLong()).isZero();
    }

    @Test
    void an_unused_reservation_expires_after_its_ttl_and_frees_its_tokens() {
        String account = newAccount("trial");
        String held = approvedReservation(account, 3000, 2500);
        assertThat(reserve(account, 1000, 1000).code()).isEqualTo("insufficient_tokens");

        clock.advance(Duration.ofMinutes(16));
        assertThat(reserve(account, 1000, 1000).status()).isEqualTo(201);
        assertThat(admin.get("/v1/reservations/" + held).json().path("status").asString()).isEqualTo("expired");

        var late = commit(held, 100, 100);
        assertThat(late.status()).isEqualTo(200);
        assertThat(late.json().path("overage_tokens").asLong()).isEqualTo(200);
        assertThat(admin.post("/v1/reservations/" + held + "/release", null).status()).isEqualTo(409);
        releaseAll(account);
    }

    @Test
    void the_sweeper_expires_reservations_nobody_touches() {
        String account = newAccount("pro");
        String held = approvedReservation(account, 100, 100);
        clock.advance(Duration.ofMinutes(16));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(
                () -> admin.get("/v1/reservations/" + held).json().path("status").asString(), "expired"::equals);
        assertThat(summary(account).path("tokens").path("reserved").asLong()).isZero();
        assertThat(eventTypes(account)).contains("reservation.expired");
    }

    @Test
    void the_sweeper_rolls_over_a_period_nobody_touches() {
        String account = newAccount("pro");
        use(account, 1000);
        var end = Instant.parse(summary(account).path("period").path("end").asString());
        clock.advanceTo(end.plusSeconds(1));
        // Only the sweeper's own work and the database from here on: any API call would roll the period over
        // itself. The sweep is run here rather than awaited: the jump makes every older account of the suite
        // due as well, and the scheduled sweeper works through them a batch every few seconds.
        long resets = 0;
        for (int sweep = 0; resets == 0 && sweep < 100; sweep++) {
            ledger.rollOverDue(1000);
            resets = sql.sql("SELECT count(*) FROM event WHERE account_id = :a AND type = 'period.reset'")
                    .param("a", account).query(Long.class).single();
        }
        assertThat(resets).isEqualTo(1);
        assertThat(sql.sql("SELECT tokens_used FROM budget WHERE account_id = :a").param("a", account)
                .query(Long.class).single()).isZero();
        assertThat(sql.sql("SELECT period_start FROM subscription WHERE account_id = :a").param("a", account)
                .query(Timestamp.class).single().toInstant()).isEqualTo(end);
    }
}
