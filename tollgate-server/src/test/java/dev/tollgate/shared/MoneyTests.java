package dev.tollgate.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoneyTests {

    @Test
    void money_for_people_has_cents_thousands_separators_and_only_the_digits_a_small_cost_needs() {
        assertThat(Money.display(0)).isEqualTo("$0.00");
        assertThat(Money.display(15_000_000)).isEqualTo("$15.00");
        assertThat(Money.display(1_250_500_000)).isEqualTo("$1,250.50");
        assertThat(Money.display(150)).isEqualTo("$0.00015");
        assertThat(Money.display(-2_500_000)).isEqualTo("-$2.50");
    }

    @Test
    void money_on_the_wire_keeps_six_fraction_digits() {
        assertThat(Money.format(15_000_000)).isEqualTo("15.000000");
        assertThat(Money.parseMicros("0.000001")).isEqualTo(1);
    }

    @Test
    void money_arithmetic_is_exact_and_throws_instead_of_wrapping() {
        assertThat(Money.ofUsd(10).minus(Money.ofMicros(2_500_000))).isEqualTo(Money.ofMicros(7_500_000));
        assertThat(Money.ofMicros(1).plus(Money.ofMicros(2)).format()).isEqualTo("0.000003");
        assertThat(Money.ofMicros(5).min(Money.ofMicros(3))).isEqualTo(Money.ofMicros(3));
        assertThat(Money.ZERO.minus(Money.ofMicros(1)).max(Money.ZERO)).isEqualTo(Money.ZERO);
        assertThatThrownBy(() -> Money.ofMicros(Long.MAX_VALUE).plus(Money.ofMicros(1)))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.ofUsd(Long.MAX_VALUE / 1000)).isInstanceOf(ArithmeticException.class);
    }
}
