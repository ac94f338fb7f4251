package dev.tollgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTests {

    private static final LatencySummary FAST = new LatencySummary(1000, 1.0, 2.0, 4.25, 12.5, 1.2);
    private static final LatencySummary SLOW_TAIL = new LatencySummary(1000, 5.0, 9.0, 31.0, 140.0, 6.0);

    private static ScenarioResult scenario(String name, int nodes, long cycles, LatencySummary reserve,
            LatencySummary query, List<Check> checks) {
        return new ScenarioResult(name, name + " load", 32, nodes, 10.0, cycles, cycles, 0, 0, List.of(), reserve,
                reserve, query, SlowCalls.NONE, Map.of(Scenarios.BENCH, 1.0, Scenarios.TOLLGATE, 5.0, Scenarios.TOLLGATE_JIT, 0.4,
                        Scenarios.POSTGRES, 2.0, CpuMeter.MACHINE, 12.0, CpuMeter.STEAL, 1.0),
                List.of(new StatementStats.Share("UPDATE budget SET x = $1 | y", 2000, 0.5, 1000, 40)), checks);
    }

    private static final Check PASSED = Check.of("no overspend", true, "all within their allowance");

    private static List<ScenarioResult> run(LatencySummary spreadReserve, Check contendedCheck) {
        return List.of(
                scenario(Scenarios.RAW, 0, 20_000, FAST, LatencySummary.EMPTY, List.of(PASSED)),
                scenario(Scenarios.SPREAD, 1, 9_000, spreadReserve, LatencySummary.EMPTY, List.of(PASSED)),
                scenario(Scenarios.HOT, 1, 4_000, FAST, LatencySummary.EMPTY, List.of(PASSED)),
                scenario(Scenarios.CONTENDED, 1, 5_000, FAST, LatencySummary.EMPTY, List.of(contendedCheck)),
                scenario(Scenarios.REPORT, 1, 800, LatencySummary.EMPTY, FAST, List.of(PASSED)));
    }

    private static RunReport report(List<ScenarioResult> scenarios) {
        var machine = new Machine(2, "Test CPU", 4096, "Linux", "Test JVM 21", "17.6",
                Map.of("server_version", "17.6", "synchronous_commit", "off"), "abc1234", "0.42");
        var settings = new RunReport.Settings(10, 2, 30, 32, 1000, 500, 1_000_000, 4, true, false, List.of(),
                List.of());
        return new RunReport("2026-11-21T10:00:00Z", "./mvnw -q package -DskipTests -Pbench", settings, machine,
                scenarios, Target.evaluate(scenarios), List.of(), List.of(), List.of("a note"), "");
    }

    @Test
    void each_load_scenario_is_a_row_with_its_share_of_the_raw_baseline() {
        String table = Report.cycleTable(run(FAST, PASSED), 2);

        assertThat(table).contains("| raw | – | 2,000 | 100 % | 1.00 / 2.00 / 4.25 / 12.5 |");
        assertThat(table).contains("| spread | 1 | 900 | 45 % |");
        assertThat(table).contains("| hot | 1 | 400 | 20 % |");
        assertThat(table).contains("| hot | 1 | 400 | 20 % | 1.00 / 2.00 / 4.25 / 12.5 | 1.00 / 2.00 / 4.25 / 12.5 | 0.25 / 1.25 (0.10) / 0.50 | 20 % (5 %) | 0 |");
        assertThat(table).doesNotContain("| report |");
    }

    @Test
    void targets_compare_shares_and_tails_with_the_issue_s_figures() {
        var targets = Target.evaluate(run(SLOW_TAIL, PASSED));

        assertThat(targets).extracting(Target::target).containsExactly("spread ≥ 40 % of raw cycles/s",
                "spread reserve p99 < 20 ms", "hot ≥ 25 % of raw cycles/s", "contended: zero overspend",
                "report p99 < 50 ms");
        assertThat(targets).extracting(Target::met).containsExactly(true, false, false, true, true);
        assertThat(targets.get(1).measured()).isEqualTo("31.0 ms");
    }

    @Test
    void a_failed_check_misses_the_overspend_target_and_marks_the_run_wrong() {
        var scenarios = run(FAST, Check.of("exactly N approved", false, "rounds approving other than 500: [r1: 501]"));

        var report = report(scenarios);

        assertThat(report.correct()).isFalse();
        assertThat(report.targets()).filteredOn(t -> t.target().startsWith("contended")).extracting(Target::met)
                .containsExactly(false);
        assertThat(Report.markdown(report))
                .contains("- **FAIL** · contended · exactly N approved: rounds approving other than 500: [r1: 501]");
    }

    @Test
    void markdown_names_the_machine_the_command_and_the_query_latencies() {
        String markdown = Report.markdown(report(run(FAST, PASSED)));

        assertThat(markdown).contains("## Results of 2026-11-21T10:00:00Z");
        assertThat(markdown).contains("- Command: `./mvnw -q package -DskipTests -Pbench`");
        assertThat(markdown).contains("2 cores, Test CPU, 4 GB RAM; Linux; load average 0.42 at the start");
        assertThat(markdown).contains("PostgreSQL 17.6 (synchronous_commit=off)");
        assertThat(markdown).contains("`report` (report load): 80 queries/s, p50 / p90 / p99 / max 1.00 / 2.00 / 4.25");
        assertThat(markdown).contains("| report p99 < 50 ms | 4.25 ms | yes |");
    }

    @Test
    void database_time_is_listed_per_statement_with_calls_per_cycle() {
        String section = Report.statementSection(run(FAST, PASSED).get(1));

        assertThat(section).startsWith("Database time of `spread` by statement:");
        assertThat(section).contains("| `UPDATE budget SET x = $1 \\| y` | 0.22 | 0.50 | 40.0 % |");
    }

    @Test
    void numbers_are_rounded_for_reading() {
        assertThat(Report.decimal(0.4242)).isEqualTo("0.42");
        assertThat(Report.decimal(12.46)).isEqualTo("12.5");
        assertThat(Report.decimal(311.7)).isEqualTo("312");
        assertThat(Report.whole(12345.6)).isEqualTo("12,346");
    }
}
