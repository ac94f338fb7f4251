package dev.tollgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Retries reuse the call's Idempotency-Key, so a lost answer never charges twice. */
class RetryTests extends ClientTest {

    private static final RetryPolicy QUICK = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(50));

    @Test
    void a_commit_whose_answer_is_lost_is_retried_with_the_same_key_and_charged_exactly_once() {
        String account = newAccount("trial");
        try (FlakyProxy proxy = new FlakyProxy(tollgate.baseUrl());
                TollgateClient flaky = through(proxy, QUICK).build()) {
            Reservation reservation = flaky.reserve(request(account, 1000, 1000).build());
            proxy.loseAnswers("/commit", 1);

            UsageRecord usage = reservation.commit(Usage.of(1200, 300));

            assertThat(usage.totalTokens()).isEqualTo(1500);
            var commits = proxy.requests().stream().filter(r -> r.contains("/commit")).toList();
            assertThat(commits).hasSize(2);
            assertThat(commits.get(0).split(" ")[2]).isEqualTo(commits.get(1).split(" ")[2]).isNotEqualTo("null");
        }
        var usageEntries = all(client.ledger(account, "tokens")).stream()
                .filter(entry -> entry.type().equals("usage")).toList();
        assertThat(usageEntries).hasSize(1);
        assertThat(usageEntries.get(0).amount().abs()).isEqualByComparingTo(BigDecimal.valueOf(1500));
        assertThat(all(client.usage(account))).hasSize(1);
        assertThat(client.account(account).tokens().used()).isEqualTo(1500);
    }

    @Test
    void a_reservation_whose_answer_is_lost_reserves_once() {
        String account = newAccount("trial");
        try (FlakyProxy proxy = new FlakyProxy(tollgate.baseUrl());
                TollgateClient flaky = through(proxy, QUICK).build()) {
            proxy.loseAnswers("/v1/reservations", 1);
            flaky.reserve(request(account, 1000, 1000).build());
        }
        assertThat(client.account(account).tokens().reserved()).isEqualTo(2000);
    }

    @Test
    void a_try_again_answer_is_retried_with_the_same_key_until_it_goes_through() {
        String account = newAccount("trial");
        try (FlakyProxy proxy = new FlakyProxy(tollgate.baseUrl());
                TollgateClient flaky = through(proxy, QUICK).build()) {
            proxy.answerUnavailable("/v1/reservations", 2);
            Reservation reservation = flaky.reserve(request(account, 1000, 1000).build());
            assertThat(reservation.provisional()).isFalse();
            var keys = proxy.requests().stream().map(r -> r.split(" ")[2]).distinct().toList();
            assertThat(proxy.requests()).hasSize(3);
            assertThat(keys).hasSize(1);
        }
        assertThat(client.account(account).tokens().reserved()).isEqualTo(2000);
    }

    @Test
    void an_unreachable_tollgate_fails_closed_by_default_after_the_retries() {
        String account = newAccount("trial");
        try (FlakyProxy proxy = new FlakyProxy(tollgate.baseUrl());
                TollgateClient flaky = through(proxy, QUICK).build()) {
            proxy.down(true);
            assertThatThrownBy(() -> flaky.reserve(request(account, 10, 10).build()))
                    .isInstanceOf(TollgateUnavailableException.class);
            assertThat(proxy.requests()).hasSize(QUICK.attemptsMax());
        }
    }

    @Test
    void a_plan_change_whose_answer_is_lost_is_not_sent_again() {
        String account = newAccount("trial");
        try (FlakyProxy proxy = new FlakyProxy(tollgate.baseUrl());
                TollgateClient flaky = through(proxy, QUICK).build()) {
            proxy.loseAnswers("/plan", 1);
            assertThatThrownBy(() -> flaky.changePlan(account, "pro", "paid"))
                    .isInstanceOf(TollgateUnavailableException.class);
            assertThat(proxy.requests()).filteredOn(r -> r.contains("/plan")).hasSize(1);
        }
        assertThat(client.account(account).plan().code()).isEqualTo("pro");
    }
}
