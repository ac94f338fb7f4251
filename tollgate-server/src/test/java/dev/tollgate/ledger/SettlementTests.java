package dev.tollgate.ledger;

import dev.tollgate.pricing.Rates;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.plan.Plan;
import dev.tollgate.plan.PlanPeriod;
import dev.tollgate.pricing.ModelPrice;
import dev.tollgate.shared.Money;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** {@link Settlement#of} without a database: what a commit does to the meters and which entries it appends. */
class SettlementTests {

    private static final Instant PERIOD = Instant.parse("2026-11-01T00:00:00Z");
    /** $2.50 in, $10 out per million tokens. */
    private static final ModelPrice PRICE = new ModelPrice("openai", "gpt-4o",
            new Rates(2_500_000, 10_000_000, 1_250_000, 2_500_000, 2_500_000), PERIOD, null);

    private static Plan plan(@Nullable Long tokens, long creditsPerRequest, boolean chargesBalance) {
        return new Plan("p", "P", 0, "usd", new PlanPeriod("P1M"), 0, tokens, null, creditsPerRequest,
                chargesBalance, null, 0, true);
    }

    private static Budget budget(long tokensUsed, long tokensReserved, long credits, long creditsReserved,
            long balanceMicros, long balanceReservedMicros) {
        return new Budget("a", PERIOD, tokensUsed, tokensReserved, 0, 0, credits, creditsReserved,
                Money.ofMicros(balanceMicros), Money.ofMicros(balanceReservedMicros));
    }

    private static Reservation reservation(ReservationStatus status, long tokens, long credits, long amountMicros) {
        var pending = new Reservation.Pending(new Reservation.Terms("rsv_1", "a", "openai", "gpt-4o", false, tokens,
                0, credits, Money.ofMicros(amountMicros), tokens / 2, tokens / 2, null, null, null, Map.of(), PERIOD,
                PERIOD, PERIOD.plusSeconds(900)));
        return status == ReservationStatus.EXPIRED ? pending.expire(PERIOD.plusSeconds(900)) : pending;
    }

    private static UsageCommand usage(long input, long output, boolean byok) {
        return new UsageCommand("a", "openai", "gpt-4o", input, output, 0, 0, 0, byok, null, null, null, null, Map.of());
    }

    private static Settlement settle(Budget before, @Nullable Reservation r, UsageCommand u, Plan plan) {
        return Settlement.of(before, r, u, Optional.of(PRICE), plan, ConversationSlots.Change.NONE, "use_1", "svc");
    }

    private static List<String> kinds(Settlement s) {
        return s.entries().stream().map(e -> e.meter().wireName() + ":" + e.type().wireName() + ":" + e.amount())
                .toList();
    }

    @Test
    void a_commit_within_its_reservation_posts_usage_and_gives_back_the_unused_reserve() {
        var before = budget(100, 2000, 3, 1, 0, 0);
        var s = settle(before, reservation(ReservationStatus.PENDING, 2000, 1, 0), usage(1000, 500, false),
                plan(6000L, 1, false));

        assertThat(kinds(s)).containsExactly("tokens:usage:1500", "credits:usage:-1");
        assertThat(s.after().tokensUsed()).isEqualTo(1600);
        assertThat(s.after().tokensReserved()).isZero();
        assertThat(s.after().credits()).isEqualTo(2);
        assertThat(s.after().creditsReserved()).isZero();
        assertThat(s.overageTokens()).isZero();
        assertThat(s.entries()).allSatisfy(e -> assertThat(e.reference()).isEqualTo("rsv_1"));
    }

    @Test
    void usage_beyond_the_reservation_is_posted_as_overage_never_dropped() {
        var s = settle(budget(0, 1000, 0, 0, 0, 0), reservation(ReservationStatus.PENDING, 1000, 0, 0),
                usage(800, 700, false), plan(1200L, 0, false));

        assertThat(kinds(s)).containsExactly("tokens:usage:1000", "tokens:overage:500");
        assertThat(s.entries().getLast().balanceAfter()).isEqualTo(1500);
        assertThat(s.after().tokensUsed()).isEqualTo(1500);
        assertThat(s.after().tokensReserved()).isZero();
        assertThat(s.overageTokens()).isEqualTo(500);
    }

    @Test
    void a_commit_after_expiry_is_all_overage_because_its_reserve_went_back_at_expiry() {
        var before = budget(0, 300, 0, 0, 0, 0);
        var s = settle(before, reservation(ReservationStatus.EXPIRED, 1000, 0, 0), usage(100, 100, false),
                plan(6000L, 0, false));

        assertThat(kinds(s)).containsExactly("tokens:overage:200");
        assertThat(s.after().tokensReserved()).isEqualTo(300);
    }

    @Test
    void usage_without_a_reservation_is_all_usage_and_charges_the_plans_credits() {
        var s = settle(budget(0, 0, 5, 0, 0, 0), null, usage(10, 20, false), plan(null, 2, false));

        assertThat(kinds(s)).containsExactly("tokens:usage:30", "credits:usage:-2");
        assertThat(s.entries()).allSatisfy(e -> assertThat(e.reference()).isEqualTo("use_1"));
        assertThat(s.after().credits()).isEqualTo(3);
    }

    @Test
    void byok_usage_is_priced_but_moves_no_platform_meter() {
        var before = budget(0, 0, 5, 0, 1_000_000, 0);
        var s = settle(before, null, usage(1000, 1000, true), plan(6000L, 1, true));

        assertThat(s.entries()).isEmpty();
        assertThat(s.after()).isEqualTo(before);
        assertThat(s.cost()).isEqualTo(Money.ofMicros(12_500));
    }

    @Test
    void a_balance_plan_charges_the_cost_rounded_up_once_and_the_excess_over_the_reserve_as_overage() {
        // 1,000 in and 1,000 out: $0.0025 + $0.01 = $0.0125; the reservation set aside $0.01.
        var before = budget(0, 2000, 0, 0, 1_000_000, 10_000);
        var s = settle(before, reservation(ReservationStatus.PENDING, 2000, 0, 10_000), usage(1000, 1000, false),
                plan(null, 0, true));

        assertThat(kinds(s)).containsExactly("tokens:usage:2000", "balance:usage:-10000", "balance:overage:-2500");
        assertThat(s.after().balance()).isEqualTo(Money.ofMicros(987_500));
        assertThat(s.after().balanceReserved()).isEqualTo(Money.ZERO);
    }
}
