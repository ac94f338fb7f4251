package dev.tollgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlowCallsTests {

    private static final long MILLI = 1_000_000;
    private static final long SECOND = 1_000 * MILLI;
    private static final Instant WINDOW = Instant.parse("2026-11-21T22:00:00.500Z");
    private static final long WINDOW_NANOS = 7 * SECOND;

    /** 100 calls a second for ten seconds, 4 ms each, with the given calls slow instead. */
    private static Latencies tenSeconds(long... slowStarts) {
        var latencies = new Latencies();
        for (long call = 0; call < 1000; call++) {
            latencies.record(WINDOW_NANOS + call * 10 * MILLI, 4 * MILLI);
        }
        for (long started : slowStarts) {
            latencies.record(WINDOW_NANOS + started, 60 * MILLI);
        }
        return latencies;
    }

    @Test
    void a_stall_puts_the_slow_calls_into_the_seconds_it_lasted() {
        var latencies = tenSeconds(2 * SECOND, 2 * SECOND + 100 * MILLI, 2 * SECOND + 400 * MILLI, 2 * SECOND + 600 * MILLI,
                7 * SECOND);

        var slow = SlowCalls.of(latencies.starts(20 * MILLI), 20.0, WINDOW_NANOS, WINDOW);

        assertThat(slow.slowCalls()).isEqualTo(5);
        assertThat(slow.secondsLoaded()).isEqualTo(11);
        assertThat(slow.secondsHolding()).isEqualTo(3);
        // Wall-clock seconds: the window began at 22:00:00.5, so +2.0 s and +2.4 s are 22:00:02, +2.6 s is 22:00:03.
        assertThat(slow.worstSeconds()).containsExactly(
                new SlowCalls.Second(Instant.parse("2026-11-21T22:00:02Z"), 3),
                new SlowCalls.Second(Instant.parse("2026-11-21T22:00:03Z"), 1),
                new SlowCalls.Second(Instant.parse("2026-11-21T22:00:07Z"), 1));
    }

    @Test
    void without_calls_over_the_threshold_no_second_holds_any() {
        var slow = SlowCalls.of(tenSeconds().starts(20 * MILLI), 20.0, WINDOW_NANOS, WINDOW);

        assertThat(slow.slowCalls()).isZero();
        assertThat(slow.secondsHolding()).isZero();
        assertThat(slow.worstSeconds()).isEmpty();
    }

    @Test
    void the_report_names_the_worst_seconds_of_each_scenario() {
        var slow = new SlowCalls(18.4, 72, 30, 25, List.of(new SlowCalls.Second(Instant.parse("2026-11-21T22:00:35Z"), 12),
                new SlowCalls.Second(Instant.parse("2026-11-21T22:00:36Z"), 8)));
        var spread = new ScenarioResult(Scenarios.SPREAD, "spread load", 32, 1, 30, 7000, 7000, 0, 0, List.of(),
                LatencySummary.EMPTY, LatencySummary.EMPTY, LatencySummary.EMPTY, slow, Map.of(), List.of(),
                List.of());

        assertThat(Report.slowReserveLines(List.of(spread))).contains(
                "- spread: 72 over 18.4 ms, in 25 of 30 seconds; most in 22:00:35 (12), 22:00:36 (8)");
    }
}
