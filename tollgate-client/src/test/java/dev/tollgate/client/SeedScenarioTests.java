package dev.tollgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The five seeds' scenarios, through the client's API only. */
class SeedScenarioTests extends ClientTest {

    @Test
    void seed_000_the_allowance_is_50000_an_admin_override_beats_it_and_byok_is_never_charged() {
        String account = newAccount("free");
        assertThat(client.account(account).tokens().limit()).isEqualTo(50_000);

        assertThat(client.setAllowance(account, 1000L).tokens().limit()).isEqualTo(1000);
        assertThatThrownBy(() -> client.reserve(request(account, 600, 600).build()))
                .isInstanceOfSatisfying(DenialException.class,
                        denied -> assertThat(denied.reason()).isEqualTo(DenialReason.INSUFFICIENT_TOKENS));

        try (Reservation ownKey = client.reserve(request(account, 5000, 5000).byok(true).build())) {
            assertThat(ownKey.details().reserved().tokens()).isZero();
            UsageRecord usage = ownKey.commit(Usage.of(5000, 5000));
            assertThat(usage.byok()).isTrue();
            assertThat(usage.costUsd()).isPositive();
        }
        assertThat(client.account(account).tokens().used()).isZero();
        assertThat(client.setAllowance(account, null).tokens().limit()).isEqualTo(50_000);
    }

    @Test
    void seed_001_three_signup_credits_are_spent_one_per_request_and_transactions_are_listed_newest_first() {
        String account = newAccount("credits");
        assertThat(client.account(account).credits().balance()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            use(account, 100);
        }
        assertThatThrownBy(() -> client.reserve(request(account, 10, 10).build()))
                .isInstanceOfSatisfying(DenialException.class,
                        denied -> assertThat(denied.reason()).isEqualTo(DenialReason.INSUFFICIENT_CREDITS));

        client.adjustCredits(account, CreditType.ADD, 5, "Promo", Map.of("campaign", "launch"));
        LedgerEntry adjusted = client.adjustCredits(account, CreditType.ADMIN_ADJUSTMENT, -2, "Correction", null);
        assertThat(adjusted.balanceAfter()).isEqualByComparingTo("3");
        var credits = all(client.ledger(account, "credits"));
        assertThat(credits).extracting(LedgerEntry::type).startsWith("admin_adjustment", "add").endsWith("grant");
        assertThat(credits.get(1).metadata()).containsEntry("campaign", "launch");
        assertThatThrownBy(() -> client.adjustCredits(account, CreditType.DEDUCT, 4, "too much", null))
                .isInstanceOfSatisfying(TollgateProblemException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(422);
                    assertThat(refused.code()).isEqualTo("insufficient_credits");
                });
    }

    @Test
    void seed_002_a_trial_warns_at_91_7_percent_refuses_with_the_exact_message_and_an_upgrade_starts_afresh() {
        String account = newAccount("trial");
        AccountSummary summary = client.account(account);
        assertThat(summary.status()).isEqualTo("trialing");
        assertThat(summary.trialDaysLeft()).isEqualTo(7);
        assertThat(Duration.between(summary.createdAt(), summary.trialEndsAt())).isEqualTo(Duration.ofDays(7));
        use(account, 5500);

        try (Reservation small = client.reserve(request(account, 100, 300).build())) {
            assertThat(small.warnings()).singleElement().satisfies(warning -> {
                assertThat(warning.code()).isEqualTo("soft_limit");
                assertThat(warning.message()).isEqualTo("User at 91.7% of quota");
            });
        }
        assertThatThrownBy(() -> client.reserve(request(account, 500, 1000).build()))
                .isInstanceOfSatisfying(DenialException.class, denied -> {
                    assertThat(denied.reason()).isEqualTo(DenialReason.INSUFFICIENT_TOKENS);
                    assertThat(denied.getMessage()).isEqualTo(
                            "Insufficient tokens. You have 500 tokens remaining, but this request needs ~1500 tokens.");
                    assertThat(denied.remaining()).isEqualTo(500);
                    assertThat(denied.needed()).isEqualTo(1500);
                });

        AccountSummary upgraded = client.changePlan(account, "pro", "paid");
        assertThat(upgraded.plan().code()).isEqualTo("pro");
        assertThat(upgraded.tokens().limit()).isEqualTo(500_000);
        assertThat(upgraded.tokens().used()).isZero();
        assertThat(eventTypes(account)).contains("limit_enforced", "plan.changed");
    }

    @Test
    void seed_003_usage_is_priced_from_the_catalog_and_charged_to_the_prepaid_balance() {
        String account = newAccount("payg");
        assertThat(client.account(account).balance().amountUsd()).isEqualByComparingTo("0");
        String model = "client-test-" + System.nanoTime();
        Price price = client.setPrice("openai", model, PriceChange.of("0.0025", "0.01"));
        assertThat(price.inputPer1kUsd()).isEqualByComparingTo("0.0025");
        assertThat(client.prices()).anySatisfy(p -> assertThat(p.model()).isEqualTo(model));

        client.topUp(account, new BigDecimal("1.00"), "pay_" + account);
        var request = ReserveRequest.builder(account, "openai", model).inputTokens(1000)
                .maxOutputTokens(1000).build();
        try (Reservation reservation = client.reserve(request)) {
            assertThat(reservation.details().reserved().usd()).isEqualByComparingTo("0.0125");
            assertThat(reservation.commit(Usage.of(1000, 500)).costUsd()).isEqualByComparingTo("0.0075");
        }
        assertThat(client.account(account).balance().amountUsd()).isEqualByComparingTo("0.9925");
        assertThat(all(client.usage(account))).singleElement()
                .satisfies(usage -> assertThat(usage.model()).isEqualTo(model));
    }

    @Test
    void seed_004_the_free_plan_allows_five_conversations_and_the_sixth_is_refused() {
        String account = newAccount("free");
        for (int i = 1; i <= 5; i++) {
            try (Reservation reservation = client.reserve(request(account, 10, 10).conversationId("c-" + i).build())) {
                reservation.commit(Usage.of(10, 10));
            }
        }
        try (Reservation again = client.reserve(request(account, 10, 10).conversationId("c-3").build())) {
            again.commit(Usage.of(10, 10));
        }
        assertThatThrownBy(() -> client.reserve(request(account, 10, 10).conversationId("c-6").build()))
                .isInstanceOfSatisfying(DenialException.class, denied -> assertThat(denied.reason())
                        .isEqualTo(DenialReason.CONVERSATION_LIMIT_REACHED));
        assertThat(client.account(account).conversations().used()).isEqualTo(5);
        assertThat(client.account(account).conversations().remaining()).isZero();
    }
}
