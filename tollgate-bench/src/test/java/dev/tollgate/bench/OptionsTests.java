package dev.tollgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsTests {

    @Test
    void durations_read_milliseconds_seconds_and_minutes() {
        assertThat(Options.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Options.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Options.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Options.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> Options.duration("30")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaults_measure_every_scenario_but_report_10m_for_thirty_seconds_with_32_clients() {
        var options = Options.parse("--root", "/repo");

        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.clients()).isEqualTo(32);
        assertThat(options.scenarios()).hasSize(Options.Scenario.values().length - 1)
                .doesNotContain(Options.Scenario.REPORT_10M);
        assertThat(options.outputDir()).isEqualTo(Path.of("/repo/tollgate-bench/target/bench-results"));
        assertThat(options.serverJar()).isEqualTo(Path.of("/repo/tollgate-server/target/tollgate-server.jar"));
        assertThat(options.arguments()).isEmpty();
    }

    @Test
    void smoke_keeps_every_scenario_but_shrinks_the_load() {
        var options = Options.parse("--root", "/repo", "--smoke", "--duration", "30s");

        assertThat(options.scenarios()).containsExactlyInAnyOrder(Options.Scenario.values());
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.reportRows()).isEqualTo(20_000);
        assertThat(options.report10mRows()).isEqualTo(20_000);
        assertThat(options.consoleAccounts()).isEqualTo(2_000);
        assertThat(options.consoleRecords()).isEqualTo(20_000);
        assertThat(options.arguments()).containsExactly("--smoke", "--duration", "30s");
    }

    @Test
    void the_console_loads_100000_accounts_and_a_million_usage_records_unless_told_otherwise() {
        assertThat(Options.parse().consoleAccounts()).isEqualTo(100_000);
        assertThat(Options.parse().consoleRecords()).isEqualTo(1_000_000);
        assertThat(Options.parse("--console-accounts", "5000", "--console-records", "50000").consoleRecords())
                .isEqualTo(50_000);
        assertThatThrownBy(() -> Options.parse("--console-accounts", "99"))
                .hasMessageContaining("--console-accounts must be between 100");
    }

    @Test
    void report_10m_loads_ten_million_records_when_chosen_and_fewer_when_told() {
        var options = Options.parse("--scenarios", "report-10m");

        assertThat(options.scenarios()).containsExactly(Options.Scenario.REPORT_10M);
        assertThat(options.report10mRows()).isEqualTo(10_000_000);
        assertThat(Options.parse("--scenarios", "report-10m", "--report-10m-rows", "50,000").report10mRows())
                .isEqualTo(50_000);
        assertThatThrownBy(() -> Options.parse("--report-10m-rows", "0"))
                .hasMessageContaining("--report-10m-rows must be between 1");
        assertThat(Options.usage()).contains("report-10m", "--report-10m-rows");
    }

    @Test
    void scenarios_are_chosen_by_name() {
        var options = Options.parse("--scenarios", "spread,two-nodes", "--out", "/tmp/out");

        assertThat(options.scenarios()).containsExactlyInAnyOrder(Options.Scenario.SPREAD, Options.Scenario.TWO_NODES);
        assertThat(options.runs(Options.Scenario.RAW)).isFalse();
        assertThat(options.outputDir()).isEqualTo(Path.of("/tmp/out"));
    }

    @Test
    void server_properties_are_collected_in_order() {
        var options = Options.parse("--server-property", "a.b=1", "--server-property", "c=two");

        assertThat(options.serverProperties()).containsExactly("a.b=1", "c=two");
        assertThatThrownBy(() -> Options.parse("--server-property", "novalue")).hasMessageContaining("name=value");
    }

    @Test
    void the_warm_up_limit_defaults_to_four_minutes_and_is_never_below_the_minimum() {
        assertThat(Options.parse().serverWarmupMax()).isEqualTo(Duration.ofMinutes(4));
        assertThat(Options.parse("--server-warmup", "5m").serverWarmupMax()).isEqualTo(Duration.ofMinutes(5));
        assertThat(Options.parse("--smoke").serverWarmupMax()).isZero();
        assertThatThrownBy(() -> Options.parse("--server-warmup", "60s", "--server-warmup-max", "30s"))
                .hasMessageContaining("--server-warmup-max must be between PT1M");
    }

    @Test
    void postgres_settings_are_collected_in_order_and_name_their_option_when_malformed() {
        var options = Options.parse("--postgres-setting", "wal_compression=on", "--postgres-setting", "commit_delay=10");

        assertThat(options.postgresSettings()).containsExactly("wal_compression=on", "commit_delay=10");
        assertThatThrownBy(() -> Options.parse("--postgres-setting", "=on"))
                .hasMessageContaining("--postgres-setting looks like name=value");
    }

    @Test
    void server_jvm_options_are_collected_in_order_and_must_be_options() {
        var options = Options.parse("--server-jvm-option", "-XX:+UseZGC", "--server-jvm-option", "-Xmx2g");

        assertThat(options.serverJvmOptions()).containsExactly("-XX:+UseZGC", "-Xmx2g");
        assertThatThrownBy(() -> Options.parse("--server-jvm-option", "UseZGC")).hasMessageContaining("JVM option");
        assertThatThrownBy(() -> Options.parse("--server-jvm-option", "-jar")).hasMessageContaining("JVM option");
    }

    @Test
    void unknown_options_scenarios_and_missing_values_are_refused() {
        assertThatThrownBy(() -> Options.parse("--fast")).hasMessageContaining("--fast");
        assertThatThrownBy(() -> Options.parse("--scenarios", "cold")).hasMessageContaining("cold");
        assertThatThrownBy(() -> Options.parse("--duration")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Options.parse("--clients", "0")).hasMessageContaining("--clients");
    }
}
