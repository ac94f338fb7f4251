package dev.tollgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One bench run: starts PostgreSQL and Tollgate, measures the raw baseline and every selected scenario,
 * writes results.json and results.md, and exits non-zero only when a result is wrong (never on timing).
 */
public final class Bench {

    static final int EXIT_WRONG_RESULT = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_BROKEN = 3;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Bench() {}

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.usage());
            System.exit(EXIT_USAGE);
            return;
        }
        int status;
        try {
            status = run(options);
        } catch (Exception e) {
            System.err.println("The bench could not complete: " + e);
            e.printStackTrace();
            status = EXIT_BROKEN;
        }
        System.exit(status);
    }

    static int run(Options options) throws Exception {
        Files.createDirectories(options.outputDir());
        removePreviousRun(options.outputDir());
        String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        String adminKey = "tg_bench_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var results = new ArrayList<ScenarioResult>();
        Machine machine;
        List<String> notes;
        List<ProfileSummary> profiles;
        String aborted = "";
        log("results go to " + options.outputDir());
        try (var postgres = Postgres.start(options.outputDir().resolve("postgres.log"), options.profile(),
                options.durable(), options.postgresSettings());
                var client = new TollgateClient(adminKey)) {
            machine = Machine.describe(postgres.settings(), options.root());
            var scenarios = new Scenarios(options, postgres, client, adminKey, runId);
            try (scenarios) {
                runScenarios(options, scenarios, results);
            } catch (Exception e) {
                // What was measured before the failure is still worth keeping; the exit status says it broke.
                aborted = "the run stopped during " + scenarios.current() + ": " + e;
                log(aborted);
                e.printStackTrace();
            }
            notes = scenarios.notes();
            profiles = scenarios.profiles();
        }
        var report = new RunReport(date, command(options), RunReport.Settings.of(options), machine, results,
                Target.evaluate(results), profiles, AutovacuumRounds.read(options.outputDir().resolve("postgres.log")),
                notes, aborted);
        Report.write(report, options.outputDir());
        System.out.println(Report.markdown(report));
        log("wrote " + options.outputDir().resolve(Report.JSON_FILE) + " and " + Report.MARKDOWN_FILE);
        if (!aborted.isEmpty()) {
            log("BROKEN: " + aborted);
            return EXIT_BROKEN;
        }
        if (!report.correct()) {
            log("WRONG RESULTS: at least one correctness check failed (see Checks above)");
            return EXIT_WRONG_RESULT;
        }
        return 0;
    }

    /** Files of an earlier run in the same folder would be read as this run's (logs, dumps, recordings). */
    private static void removePreviousRun(Path dir) throws IOException {
        try (var files = Files.newDirectoryStream(dir, "{results.json,results.md,postgres.log,tollgate-*.log,"
                + "tollgate-*.jfr,diagnostics-*.txt}")) {
            for (Path file : files) {
                Files.delete(file);
            }
        }
    }

    private static void runScenarios(Options options, Scenarios scenarios, List<ScenarioResult> results)
            throws Exception {
        scenarios.startServer();
        scenarios.setUp();
        if (options.smoke() && options.runs(Options.Scenario.TWO_NODES)) {
            // Timings do not count in a smoke, so the second node may start while the first is loaded.
            scenarios.startSecondServerInBackground();
        }
        // The floor first, so that the nodes go from their warm-up straight into the spread: a node left idle
        // while the floor was measured compiled again (uncommon traps) inside the next measured window.
        if (options.runs(Options.Scenario.RAW)) {
            results.addAll(scenarios.raw());
        }
        scenarios.warmUp();
        if (options.runs(Options.Scenario.SPREAD)) {
            var spread = scenarios.spread(Scenarios.SPREAD, scenarios.servers());
            results.add(spread);
            results.add(scenarios.spreadPaced(spread.cyclesPerSecond()));
        }
        if (options.runs(Options.Scenario.HOT)) {
            results.add(scenarios.hot());
        }
        if (options.runs(Options.Scenario.CONTENDED)) {
            results.add(scenarios.contended(Scenarios.CONTENDED, scenarios.servers()));
        }
        if (options.runs(Options.Scenario.REPORT)) {
            results.addAll(scenarios.report());
        }
        if (options.runs(Options.Scenario.REPORT_10M)) {
            results.addAll(scenarios.report10m());
        }
        if (options.runs(Options.Scenario.BILLING_PAGE)) {
            results.add(scenarios.billingPage());
        }
        if (options.runs(Options.Scenario.CONSOLE)) {
            results.addAll(scenarios.console());
        }
        if (options.runs(Options.Scenario.GATEWAY) || options.runs(Options.Scenario.GATEWAY_STREAM)) {
            scenarios.gateway();
        }
        if (options.runs(Options.Scenario.TWO_NODES)) {
            scenarios.addSecondServer();
            scenarios.warmUp();
            results.add(scenarios.spread(Scenarios.TWO_NODES_SPREAD, scenarios.servers()));
            results.add(scenarios.contended(Scenarios.TWO_NODES_CONTENDED, scenarios.servers()));
        }
    }

    /** The command that reproduces this run from the repository root. */
    static String command(Options options) {
        String args = String.join(" ", options.arguments());
        return "./mvnw -q package -DskipTests -Pbench" + (args.isEmpty() ? "" : " -Dbench.args=\"" + args + "\"");
    }

    static void log(String message) {
        System.err.println("[bench " + LocalTime.now().format(CLOCK) + "] " + message);
    }
}
