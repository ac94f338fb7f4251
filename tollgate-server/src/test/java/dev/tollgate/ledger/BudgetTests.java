package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.shared.Money;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The budget row's arithmetic, without a database. */
class BudgetTests {

    private static final Instant PERIOD = Instant.parse("2026-11-01T00:00:00Z");

    private static Budget budget(long tokensUsed, long tokensReserved) {
        return new Budget("a", PERIOD, tokensUsed, tokensReserved, 2, 1, 5, 1, Money.ofUsd(3), Money.ofMicros(500));
    }

    @Test
    void remaining_is_the_limit_less_used_and_reserved_never_below_zero_and_null_when_unlimited() {
        assertThat(budget(4000, 500).tokensRemaining(6000L)).isEqualTo(1500);
        assertThat(budget(6500, 500).tokensRemaining(6000L)).isZero();
        assertThat(budget(6500, 500).tokensRemaining(null)).isNull();
        assertThat(budget(0, 0).conversationsRemaining(5L)).isEqualTo(2);
    }

    @Test
    void release_gives_back_what_a_hold_set_aside_on_every_meter() {
        var after = budget(100, 2000).release(new Hold(2000, 1, 1, Money.ofMicros(500)));

        assertThat(after).isEqualTo(new Budget("a", PERIOD, 100, 0, 2, 0, 5, 0, Money.ofUsd(3), Money.ZERO));
    }

    @Test
    void settle_posts_usage_and_releases_the_reserve_in_one_step() {
        var after = budget(100, 2000).settle(1500, 1, 1, Money.ofMicros(250_000),
                new Hold(2000, 1, 1, Money.ofMicros(500)));

        assertThat(after).isEqualTo(new Budget("a", PERIOD, 1600, 0, 3, 0, 4, 0, Money.ofMicros(2_750_000),
                Money.ZERO));
    }

    @Test
    void a_new_period_starts_the_periodic_meters_again_but_keeps_what_is_reserved_and_carried() {
        var next = Instant.parse("2026-12-01T00:00:00Z");

        assertThat(budget(4000, 500).inPeriod(next))
                .isEqualTo(new Budget("a", next, 0, 500, 0, 1, 5, 1, Money.ofUsd(3), Money.ofMicros(500)));
    }

    @Test
    void credits_and_balance_move_exactly_and_overflow_throws_instead_of_wrapping() {
        assertThat(budget(0, 0).plusCredits(-2).creditsAvailable()).isEqualTo(2);
        assertThat(budget(0, 0).plusBalance(Money.ofMicros(1)).balanceAvailable()).isEqualTo(Money.ofMicros(2_999_501));
        assertThatThrownBy(() -> budget(0, 0).plusCredits(Long.MAX_VALUE)).isInstanceOf(ArithmeticException.class);
    }
}
