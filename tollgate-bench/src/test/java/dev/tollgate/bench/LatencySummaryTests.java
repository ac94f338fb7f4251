package dev.tollgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencySummaryTests {

    private static final long MILLI = 1_000_000;

    @Test
    void percentiles_of_one_to_a_hundred_are_the_nearest_ranks() {
        long[] nanos = LongStream.rangeClosed(1, 100).map(i -> (101 - i) * MILLI).toArray();

        var summary = LatencySummary.of(nanos);

        assertThat(summary.count()).isEqualTo(100);
        assertThat(summary.p50Millis()).isEqualTo(50.0);
        assertThat(summary.p90Millis()).isEqualTo(90.0);
        assertThat(summary.p99Millis()).isEqualTo(99.0);
        assertThat(summary.maxMillis()).isEqualTo(100.0);
        assertThat(summary.meanMillis()).isEqualTo(50.5);
    }

    @Test
    void a_percentile_is_always_a_sample_that_was_observed() {
        long[] sorted = {10, 20, 30};

        assertThat(LatencySummary.percentile(sorted, 50)).isEqualTo(20);
        assertThat(LatencySummary.percentile(sorted, 34)).isEqualTo(20);
        assertThat(LatencySummary.percentile(sorted, 33)).isEqualTo(10);
        assertThat(LatencySummary.percentile(sorted, 99)).isEqualTo(30);
        assertThat(LatencySummary.percentile(sorted, 1)).isEqualTo(10);
    }

    @Test
    void p99_of_a_thousand_samples_is_not_the_maximum() {
        long[] sorted = LongStream.rangeClosed(1, 1000).toArray();

        assertThat(LatencySummary.percentile(sorted, 99)).isEqualTo(990);
        assertThat(LatencySummary.percentile(sorted, 100)).isEqualTo(1000);
    }

    @Test
    void a_single_sample_is_every_percentile() {
        var summary = LatencySummary.of(new long[] {7 * MILLI});

        assertThat(summary.p50Millis()).isEqualTo(7.0);
        assertThat(summary.p99Millis()).isEqualTo(7.0);
        assertThat(summary.maxMillis()).isEqualTo(7.0);
    }

    @Test
    void no_samples_summarize_to_empty() {
        assertThat(LatencySummary.of(new long[0])).isEqualTo(LatencySummary.EMPTY);
        assertThatThrownBy(() -> LatencySummary.percentile(new long[0], 50)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void percentiles_outside_one_to_a_hundred_are_refused() {
        assertThatThrownBy(() -> LatencySummary.percentile(new long[] {1}, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatencySummary.percentile(new long[] {1}, 101))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void latencies_of_several_clients_merge_into_one_summary() {
        var first = new Latencies();
        var second = new Latencies();
        for (int i = 1; i <= 1500; i++) {
            (i % 2 == 0 ? first : second).record(i, i * MILLI);
        }

        var summary = Latencies.merge(java.util.List.of(first, second)).summarize();

        assertThat(summary.count()).isEqualTo(1500);
        assertThat(summary.p90Millis()).isEqualTo(1350.0);
        assertThat(summary.maxMillis()).isEqualTo(1500.0);
    }
}
