package dev.tollgate.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PlanPeriodTests {

    private static final Instant JAN_31 = Instant.parse("2027-01-31T10:00:00Z");

    @Test
    void a_calendar_month_from_january_31_ends_on_the_last_day_of_february() {
        var month = new PlanPeriod("P1M");
        assertThat(month.end(JAN_31, 1)).isEqualTo(Instant.parse("2027-02-28T10:00:00Z"));
        assertThat(month.end(Instant.parse("2028-01-31T10:00:00Z"), 1)).isEqualTo(Instant.parse("2028-02-29T10:00:00Z"));
    }

    @Test
    void later_periods_are_anchored_at_the_start_not_at_the_previous_end() {
        var month = new PlanPeriod("P1M");
        assertThat(month.end(JAN_31, 2)).isEqualTo(Instant.parse("2027-03-31T10:00:00Z"));
        assertThat(month.end(JAN_31, 3)).isEqualTo(Instant.parse("2027-04-30T10:00:00Z"));
    }

    @Test
    void thirty_day_periods_are_thirty_days_each() {
        var thirty = new PlanPeriod("P30D");
        assertThat(thirty.end(JAN_31, 1)).isEqualTo(Instant.parse("2027-03-02T10:00:00Z"));
        assertThat(thirty.end(JAN_31, 12)).isEqualTo(JAN_31.plusSeconds(360L * 86_400));
    }

    @Test
    void the_period_containing_an_instant_is_found_after_many_periods() {
        var month = new PlanPeriod("P1M");
        var bounds = month.containing(JAN_31, Instant.parse("2029-03-31T09:59:59Z"));
        assertThat(bounds.start()).isEqualTo(Instant.parse("2029-02-28T10:00:00Z"));
        assertThat(bounds.end()).isEqualTo(Instant.parse("2029-03-31T10:00:00Z"));

        var boundary = month.containing(JAN_31, Instant.parse("2027-02-28T10:00:00Z"));
        assertThat(boundary.start()).isEqualTo(Instant.parse("2027-02-28T10:00:00Z"));
        assertThat(boundary.end()).isEqualTo(Instant.parse("2027-03-31T10:00:00Z"));
    }

    @Test
    void the_first_period_starts_at_the_anchor() {
        var bounds = new PlanPeriod("P7D").containing(JAN_31, JAN_31.plusSeconds(60));
        assertThat(bounds.start()).isEqualTo(JAN_31);
        assertThat(bounds.end()).isEqualTo(Instant.parse("2027-02-07T10:00:00Z"));
    }

    @Test
    void periods_must_be_iso_8601() {
        assertThatThrownBy(() -> new PlanPeriod("monthly")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlanPeriod("P0D")).isInstanceOf(IllegalArgumentException.class);
    }
}
