package dev.tollgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes a run's results as JSON (for tools) and as Markdown (for BENCHMARKS.md and people). */
final class Report {

    static final String JSON_FILE = "results.json";
    static final String MARKDOWN_FILE = "results.md";

    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private Report() {}

    static void write(RunReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(JSON_FILE), JSON.writeValueAsString(report) + "\n");
        Files.writeString(dir.resolve(MARKDOWN_FILE), markdown(report));
    }

    static String markdown(RunReport report) {
        var md = new StringBuilder();
        var machine = report.machine();
        var settings = report.settings();
        md.append("## Results of ").append(report.date()).append("\n\n");
        md.append("- Command: `").append(report.command()).append("`\n");
        md.append("- Machine: ").append(machine.cores()).append(" cores, ").append(machine.cpuModel()).append(", ")
                .append(Math.round(machine.memoryMegabytes() / 1024.0)).append(" GB RAM; ").append(machine.os())
                .append("; load average ").append(machine.loadAverageAtStart()).append(" at the start\n");
        md.append("- JVM: ").append(machine.jvm()).append("; PostgreSQL ").append(machine.postgres()).append(" (")
                .append(postgresSettings(machine.postgresSettings())).append(")\n");
        md.append("- Tollgate commit ").append(machine.gitCommit()).append("; ").append(settings.clients())
                .append(" clients; each new node warmed up for ").append(decimal(settings.serverWarmupSeconds()))
                .append(" s, then ").append(decimal(settings.warmupSeconds())).append(" s warm-up and ")
                .append(decimal(settings.durationSeconds())).append(" s measured per scenario; Idempotency-Key ")
                .append(settings.idempotencyKeys() ? "on every POST" : "off").append(settings.smoke() ? "; smoke run" : "")
                .append(settings.serverProperties().isEmpty() ? ""
                        : "; server properties " + String.join(", ", settings.serverProperties()))
                .append(settings.serverJvmOptions().isEmpty() ? ""
                        : "; server JVM options " + String.join(" ", settings.serverJvmOptions()))
                .append("\n\n");
        if (!report.aborted().isEmpty()) {
            md.append("**Incomplete run**: ").append(report.aborted()).append("\n\n");
        }
        md.append(cycleTable(report.scenarios(), machine.cores()));
        md.append(slowReserveLines(report.scenarios()));
        md.append(autovacuumLines(report.autovacuumRounds()));
        report.scenarios().stream().filter(s -> s.query().count() > 0).forEach(s -> md.append('\n')
                .append(queryLine(s)));
        if (!report.targets().isEmpty()) {
            md.append("\n| target | measured | met |\n|---|---:|:---:|\n");
            for (Target target : report.targets()) {
                md.append("| ").append(target.target()).append(" | ").append(target.measured()).append(" | ")
                        .append(target.met() ? "yes" : "**no**").append(" |\n");
            }
        }
        md.append("\nChecks:\n");
        for (ScenarioResult scenario : report.scenarios()) {
            for (Check check : scenario.checks()) {
                md.append("- ").append(check.passed() ? "pass" : "**FAIL**").append(" · ").append(scenario.name())
                        .append(" · ").append(check.name()).append(": ").append(check.detail()).append('\n');
            }
        }
        for (ProfileSummary profile : report.profiles()) {
            md.append('\n').append(profileSection(profile));
        }
        for (ScenarioResult scenario : report.scenarios()) {
            if (!scenario.statements().isEmpty()) {
                md.append('\n').append(statementSection(scenario));
            }
        }
        if (!report.notes().isEmpty()) {
            md.append('\n');
            report.notes().forEach(note -> md.append("- ").append(note).append('\n'));
        }
        return md.toString();
    }

    /** One row per load scenario: throughput, its share of the raw baseline, latencies and CPU per cycle. */
    static String cycleTable(List<ScenarioResult> scenarios, int cores) {
        Optional<ScenarioResult> raw = scenarios.stream().filter(s -> s.name().equals(Scenarios.RAW)).findFirst();
        var md = new StringBuilder();
        md.append("| scenario | nodes | cycles/s | of raw | reserve p50 / p90 / p99 / max ms "
                + "| commit p50 / p90 / p99 / max ms | CPU ms per cycle: bench / tollgate (of it JIT) / postgres | others' CPU (of it steal) "
                + "| failed calls |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ScenarioResult s : scenarios) {
            if (s.reserve().count() == 0 && s.query().count() > 0) {
                continue;
            }
            md.append("| ").append(s.name())
                    .append(" | ").append(s.nodes() == 0 ? "–" : Integer.toString(s.nodes()))
                    .append(" | ").append(whole(s.cyclesPerSecond()))
                    .append(" | ").append(raw.map(r -> Target.percent(Target.share(s, r))).orElse("–"))
                    .append(" | ").append(latencies(s.reserve()))
                    .append(" | ").append(latencies(s.commit()))
                    .append(" | ").append(cpu(s))
                    .append(" | ").append(Math.round(s.othersCpuPercent(cores))).append(" % (")
                    .append(Math.round(s.stealPercent(cores))).append(" %)")
                    .append(" | ").append(s.failures())
                    .append(" |\n");
        }
        return md.toString();
    }

    /**
     * Where in its window each scenario's slowest reserves fell: in a few seconds (a stall) or all over (a
     * steady tail), with the worst seconds in UTC to look up in postgres.log and the nodes' logs.
     */
    static String slowReserveLines(List<ScenarioResult> scenarios) {
        var md = new StringBuilder();
        for (ScenarioResult s : scenarios) {
            SlowCalls slow = s.slowReserves();
            if (slow.slowCalls() == 0) {
                continue;
            }
            md.append(md.isEmpty() ? "\nSlowest reserves (over each scenario's p99), by the second they started:\n" : "")
                    .append("- ").append(s.name()).append(": ").append(slow.slowCalls()).append(" over ")
                    .append(decimal(slow.overMillis())).append(" ms, in ").append(slow.secondsHolding()).append(" of ")
                    .append(slow.secondsLoaded()).append(" seconds; most in ")
                    .append(slow.worstSeconds().stream()
                            .map(second -> SECOND.format(second.second()) + " (" + second.slowCalls() + ")")
                            .collect(Collectors.joining(", ")))
                    .append('\n');
        }
        return md.toString();
    }

    /** The autovacuum rounds, on the same clock as the slowest reserves, so that the two can be lined up. */
    static String autovacuumLines(List<AutovacuumRounds.Round> rounds) {
        if (rounds.isEmpty()) {
            return "";
        }
        return "\nAutovacuum rounds (postgres.log), by when they ran: " + rounds.stream()
                .map(round -> SECOND.format(round.from()) + "–" + SECOND.format(round.to()) + " ("
                        + decimal(round.cpuSeconds()) + " s CPU)")
                .collect(Collectors.joining(", ")) + "\n";
    }

    private static String queryLine(ScenarioResult s) {
        return "`" + s.name() + "` (" + s.description() + "): " + whole(s.cyclesPerSecond()) + " queries/s, p50 / p90 / "
                + "p99 / max " + latencies(s.query()) + " ms over " + s.query().count() + " queries, " + s.failures()
                + " failed.\n";
    }

    static String latencies(LatencySummary summary) {
        if (summary.count() == 0) {
            return "–";
        }
        return decimal(summary.p50Millis()) + " / " + decimal(summary.p90Millis()) + " / " + decimal(summary.p99Millis())
                + " / " + decimal(summary.maxMillis());
    }

    /** "bench / tollgate (of it JIT) / postgres", in CPU milliseconds per cycle. */
    private static String cpu(ScenarioResult s) {
        return cpuOf(s, Scenarios.BENCH) + " / " + cpuOf(s, Scenarios.TOLLGATE) + " (" + cpuOf(s, Scenarios.TOLLGATE_JIT)
                + ") / " + cpuOf(s, Scenarios.POSTGRES);
    }

    private static String cpuOf(ScenarioResult s, String party) {
        return s.cpuSeconds().containsKey(party) ? decimal(s.cpuMillisPerCycle(party)) : "–";
    }

    private static String postgresSettings(Map<String, String> settings) {
        return settings.entrySet().stream()
                .filter(e -> !e.getKey().equals("server_version"))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String profileSection(ProfileSummary profile) {
        var md = new StringBuilder();
        md.append("Profile of ").append(profile.server()).append(" (").append(profile.recording()).append(", ")
                .append(profile.samples()).append(" CPU samples, ").append(profile.gcCount()).append(" GCs pausing ")
                .append(decimal(profile.gcPauseMillis())).append(" ms in all):\n\n");
        md.append("| layer | share of CPU samples |\n|---|---:|\n");
        profile.layers().forEach(share -> md.append("| ").append(share.name()).append(" | ")
                .append(decimal(share.percent())).append(" % |\n"));
        md.append("\n| hottest frames (self) | share |\n|---|---:|\n");
        profile.topFrames().forEach(share -> md.append("| `").append(share.name()).append("` | ")
                .append(decimal(share.percent())).append(" % |\n"));
        md.append("\n| Tollgate methods (inclusive) | share |\n|---|---:|\n");
        profile.tollgateInclusive().forEach(share -> md.append("| `").append(share.name()).append("` | ")
                .append(decimal(share.percent())).append(" % |\n"));
        md.append("\nAllocated about ").append(whole(profile.allocatedMegabytes())).append(" MB in the windows; by class: ")
                .append(profile.allocationsByClass().stream()
                        .map(share -> "`" + share.name() + "` " + decimal(share.percent()) + " %")
                        .collect(Collectors.joining(", ")))
                .append(".\n");
        md.append("Exceptions thrown in the windows: ").append(profile.exceptions().isEmpty() ? "none"
                : profile.exceptions().stream().map(share -> "`" + share.name() + "` × " + share.samples())
                        .collect(Collectors.joining(", "))).append(".\n");
        return md.toString();
    }

    /** PostgreSQL's time in a scenario's window, statement by statement (pg_stat_statements). */
    static String statementSection(ScenarioResult scenario) {
        var md = new StringBuilder();
        md.append("Database time of `").append(scenario.name()).append("` by statement:\n\n");
        md.append("| statement | calls per cycle | mean ms | share of database time |\n|---|---:|---:|---:|\n");
        for (StatementStats.Share share : scenario.statements()) {
            md.append("| `").append(share.query().replace("|", "\\|")).append("` | ")
                    .append(scenario.cycles() == 0 ? "–" : decimal((double) share.calls() / scenario.cycles()))
                    .append(" | ").append(decimal(share.meanMillis())).append(" | ").append(decimal(share.percent()))
                    .append(" % |\n");
        }
        return md.toString();
    }

    /** Two significant decimals below 10, one below 100, none above: 0.42, 3.14, 12.5, 311. */
    static String decimal(double value) {
        double magnitude = Math.abs(value);
        String pattern = magnitude < 10 ? "%.2f" : magnitude < 100 ? "%.1f" : "%.0f";
        return String.format(Locale.ROOT, pattern, value);
    }

    /** A whole number with thousands separators: 12,345. */
    static String whole(double value) {
        return String.format(Locale.ROOT, "%,d", Math.round(value));
    }
}
