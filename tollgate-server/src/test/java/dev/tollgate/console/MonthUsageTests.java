package dev.tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.report.UsageTotals;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonthUsageTests {

    @Test
    void the_month_adds_today_to_the_earlier_days_per_model_most_costly_first() {
        var earlier = List.of(new UsageTotals("openai/gpt-4o", 2, 20, 10, 0, 30, 500),
                new UsageTotals("openai/o3", 1, 10, 5, 0, 15, 400));
        var today = List.of(new UsageTotals("openai/o3", 3, 30, 15, 5, 45, 300),
                new UsageTotals("anthropic/claude-haiku-4-5", 1, 1, 1, 0, 2, 1));

        var month = MonthUsage.merge(earlier, today);

        assertThat(month).containsExactly(new UsageTotals("openai/o3", 4, 40, 20, 5, 60, 700),
                new UsageTotals("openai/gpt-4o", 2, 20, 10, 0, 30, 500),
                new UsageTotals("anthropic/claude-haiku-4-5", 1, 1, 1, 0, 2, 1));
    }
}
