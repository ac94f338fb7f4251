package dev.tollgate.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one bench run does. Parsed from the command line; every number has a named maximum so that a typo
 * cannot start a run that never ends.
 */
record Options(
        Path root,
        Path serverJar,
        Path outputDir,
        Duration duration,
        Duration warmup,
        Duration serverWarmup,
        Duration serverWarmupMax,
        Set<Scenario> scenarios,
        int clients,
        int accounts,
        int gatewayAccounts,
        int contendedFits,
        long reportRows,
        long report10mRows,
        int reportClients,
        int consoleAccounts,
        long consoleRecords,
        boolean idempotencyKeys,
        boolean durable,
        boolean profile,
        boolean smoke,
        List<String> serverProperties,
        List<String> serverJvmOptions,
        List<String> postgresSettings,
        List<String> arguments) {

    static final Duration DURATION_MAX = Duration.ofHours(1);
    /**
     * On two cores C2 takes about 90 s of load to compile Tollgate's hot path; until it has, it uses a
     * third to a half of a core, taken from the work being measured.
     */
    static final Duration SERVER_WARMUP_MAX_DEFAULT = Duration.ofMinutes(4);
    static final int CLIENTS_MAX = 1_000;
    static final int ACCOUNTS_MAX = 100_000;
    static final int GATEWAY_ACCOUNTS_MAX = 1_000;
    static final long REPORT_ROWS_MAX = 100_000_000L;
    static final int CONSOLE_ACCOUNTS_MAX = 1_000_000;

    /** The scenarios in the order a run measures them. */
    enum Scenario {
        RAW("raw"),
        SPREAD("spread"),
        HOT("hot"),
        CONTENDED("contended"),
        REPORT("report"),
        // Not in the default set: its load alone takes about 15 minutes at 10,000,000 records.
        REPORT_10M("report-10m"),
        BILLING_PAGE("billing-page"),
        CONSOLE("console"),
        GATEWAY("gateway"),
        GATEWAY_STREAM("gateway-stream"),
        // Last, because from its start on, the run has two nodes.
        TWO_NODES("two-nodes");

        final String slug;

        Scenario(String slug) {
            this.slug = slug;
        }

        static Scenario of(String slug) {
            for (Scenario scenario : values()) {
                if (scenario.slug.equals(slug)) {
                    return scenario;
                }
            }
            throw new IllegalArgumentException("unknown scenario '" + slug + "', expected one of " + slugs());
        }

        static String slugs() {
            var slugs = new ArrayList<String>();
            for (Scenario scenario : values()) {
                slugs.add(scenario.slug);
            }
            return String.join(",", slugs);
        }
    }

    Options {
        scenarios = Set.copyOf(scenarios);
        serverProperties = List.copyOf(serverProperties);
        serverJvmOptions = List.copyOf(serverJvmOptions);
        postgresSettings = List.copyOf(postgresSettings);
        arguments = List.copyOf(arguments);
        requireBetween("duration", duration, Duration.ofMillis(100), DURATION_MAX);
        requireBetween("warmup", warmup, Duration.ZERO, DURATION_MAX);
        requireBetween("server-warmup", serverWarmup, Duration.ZERO, DURATION_MAX);
        requireBetween("server-warmup-max", serverWarmupMax, serverWarmup, DURATION_MAX);
        requireBetween("clients", clients, 1, CLIENTS_MAX);
        requireBetween("accounts", accounts, 1, ACCOUNTS_MAX);
        requireBetween("gateway-accounts", gatewayAccounts, 1, GATEWAY_ACCOUNTS_MAX);
        requireBetween("contended-fits", contendedFits, 1, 1_000_000);
        requireBetween("report-rows", reportRows, 1, REPORT_ROWS_MAX);
        requireBetween("report-10m-rows", report10mRows, 1, REPORT_ROWS_MAX);
        requireBetween("report-clients", reportClients, 1, CLIENTS_MAX);
        // The console scenario's heavy account is number 7, and its pending reservations need 50 accounts each.
        requireBetween("console-accounts", consoleAccounts, 100, CONSOLE_ACCOUNTS_MAX);
        requireBetween("console-records", consoleRecords, 1, REPORT_ROWS_MAX);
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("--scenarios must name at least one of " + Scenario.slugs());
        }
    }

    boolean runs(Scenario scenario) {
        return scenarios.contains(scenario);
    }

    static String usage() {
        return """
                Usage: Bench [options]
                  --duration 30s         measured time of each scenario (ms, s, m)
                  --warmup 5s            unmeasured load before each scenario
                  --server-warmup 30s    unmeasured load on each new node before anything is measured, at least
                  --server-warmup-max 4m ... and then on until the node's JIT compiler is quiet, at most
                  --scenarios LIST       comma-separated subset of %s (default: all but report-10m;
                                         --smoke runs all)
                  --out DIR              results folder (default: tollgate-bench/target/bench-results)
                  --clients 32           concurrent clients of every load scenario
                  --accounts 1000        accounts the spread scenarios cycle over
                  --gateway-accounts 100 accounts the gateway scenarios' calls cycle over (1: all on one budget row)
                  --contended-fits 500   reservations the contended allowance fits exactly
                  --report-rows 1000000  usage records loaded for the report scenario
                  --report-10m-rows 10000000 usage records (and as many ledger entries) loaded for report-10m
                  --report-clients 1     concurrent readers of the report, billing-page and console scenarios
                  --console-accounts 100000 accounts loaded for the console scenario
                  --console-records 1000000 usage records loaded for the console scenario
                  --no-idempotency-keys  send no Idempotency-Key (and skip that SQL in the raw baseline)
                  --no-fsync             PostgreSQL without fsync and synchronous commit (not durable)
                  --profile              record JFR in every server and summarize where the time goes
                  --smoke                about 10 s of load over every scenario; fails only on wrong results
                  --server-property K=V  a Spring property for every node (repeatable), to measure a change
                  --server-jvm-option O  a JVM option for every node (repeatable), e.g. -XX:+UseZGC
                  --postgres-setting K=V a PostgreSQL server setting (repeatable), e.g. wal_compression=on
                  --root DIR             repository root (the Maven profile sets it)
                  --server-jar FILE      default: ROOT/tollgate-server/target/tollgate-server.jar
                """.formatted(Scenario.slugs());
    }

    static Options parse(String... args) {
        Path root = Path.of("").toAbsolutePath();
        Path serverJar = null;
        Path outputDir = null;
        Duration duration = Duration.ofSeconds(30);
        Duration warmup = Duration.ofSeconds(5);
        Duration serverWarmup = Duration.ofSeconds(30);
        Duration serverWarmupMax = null;
        Set<Scenario> scenarios = null;
        int clients = 32;
        int accounts = 1_000;
        int gatewayAccounts = 100;
        int contendedFits = 500;
        long reportRows = 1_000_000;
        long report10mRows = 10_000_000;
        int reportClients = 1;
        int consoleAccounts = 100_000;
        long consoleRecords = 1_000_000;
        boolean idempotencyKeys = true;
        boolean durable = true;
        boolean profile = false;
        boolean smoke = false;
        var serverProperties = new ArrayList<String>();
        var serverJvmOptions = new ArrayList<String>();
        var postgresSettings = new ArrayList<String>();
        var given = new ArrayList<String>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.isBlank()) {
                continue;
            }
            if (name.equals("--root")) {
                root = Path.of(value(args, ++i, name)).toAbsolutePath().normalize();
                continue;
            }
            given.add(name);
            switch (name) {
                case "--smoke" -> smoke = true;
                case "--profile" -> profile = true;
                case "--no-idempotency-keys" -> idempotencyKeys = false;
                case "--no-fsync" -> durable = false;
                case "--help", "-h" -> throw new IllegalArgumentException("help requested");
                default -> {
                    String value = value(args, ++i, name);
                    given.add(value);
                    switch (name) {
                        case "--duration" -> duration = duration(value);
                        case "--warmup" -> warmup = duration(value);
                        case "--server-warmup" -> serverWarmup = duration(value);
                        case "--server-warmup-max" -> serverWarmupMax = duration(value);
                        case "--scenarios" -> scenarios = scenarios(value);
                        case "--out" -> outputDir = Path.of(value);
                        case "--clients" -> clients = integer(name, value);
                        case "--accounts" -> accounts = integer(name, value);
                        case "--gateway-accounts" -> gatewayAccounts = integer(name, value);
                        case "--contended-fits" -> contendedFits = integer(name, value);
                        case "--report-rows" -> reportRows = integer(name, value);
                        case "--report-10m-rows" -> report10mRows = integer(name, value);
                        case "--report-clients" -> reportClients = integer(name, value);
                        case "--console-accounts" -> consoleAccounts = integer(name, value);
                        case "--console-records" -> consoleRecords = integer(name, value);
                        case "--server-jar" -> serverJar = Path.of(value);
                        case "--server-property" -> serverProperties.add(property(name, value));
                        case "--postgres-setting" -> postgresSettings.add(property(name, value));
                        case "--server-jvm-option" -> serverJvmOptions.add(jvmOption(value));
                        default -> throw new IllegalArgumentException("unknown option " + name);
                    }
                }
            }
        }
        if (scenarios == null) {
            scenarios = new LinkedHashSet<>(List.of(Scenario.values()));
            if (!smoke) {
                scenarios.remove(Scenario.REPORT_10M);
            }
        }
        if (smoke) {
            // The smoke keeps every scenario and every check, with just enough load to exercise them.
            duration = Duration.ofSeconds(1);
            warmup = Duration.ofMillis(300);
            serverWarmup = Duration.ZERO;
            serverWarmupMax = Duration.ZERO;
            accounts = Math.min(accounts, 100);
            contendedFits = Math.min(contendedFits, 64);
            reportRows = Math.min(reportRows, 20_000);
            report10mRows = Math.min(report10mRows, 20_000);
            consoleAccounts = Math.min(consoleAccounts, 2_000);
            consoleRecords = Math.min(consoleRecords, 20_000);
        }
        return new Options(
                root,
                resolve(root, serverJar, Path.of("tollgate-server", "target", "tollgate-server.jar")),
                resolve(root, outputDir, Path.of("tollgate-bench", "target", "bench-results")),
                duration,
                warmup,
                serverWarmup,
                serverWarmupMax != null ? serverWarmupMax : max(SERVER_WARMUP_MAX_DEFAULT, serverWarmup),
                scenarios,
                clients,
                accounts,
                gatewayAccounts,
                contendedFits,
                reportRows,
                report10mRows,
                reportClients,
                consoleAccounts,
                consoleRecords,
                idempotencyKeys,
                durable,
                profile,
                smoke,
                serverProperties,
                serverJvmOptions,
                postgresSettings,
                given);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Path resolve(Path root, Path given, Path fallback) {
        return root.resolve(given == null ? fallback : given).toAbsolutePath().normalize();
    }

    private static String value(String[] args, int index, String name) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[index];
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'");
        }
    }

    private static String jvmOption(String value) {
        if (!value.startsWith("-") || value.equals("-jar")) {
            throw new IllegalArgumentException("--server-jvm-option takes one JVM option like -Xmx2g, was '" + value + "'");
        }
        return value;
    }

    private static String property(String name, String value) {
        int equals = value.indexOf('=');
        if (equals < 1) {
            throw new IllegalArgumentException(name + " looks like name=value, was '" + value + "'");
        }
        return value;
    }

    private static Set<Scenario> scenarios(String value) {
        var scenarios = new LinkedHashSet<Scenario>();
        for (String slug : value.split(",")) {
            if (!slug.isBlank()) {
                scenarios.add(Scenario.of(slug.trim().toLowerCase(Locale.ROOT)));
            }
        }
        return scenarios;
    }

    /** Parses {@code 250ms}, {@code 30s} or {@code 2m}. */
    static Duration duration(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
            }
            if (text.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)) * 60);
            }
        } catch (NumberFormatException e) {
            // Falls through to the message below, which names the accepted forms.
        }
        throw new IllegalArgumentException("a duration looks like 250ms, 30s or 2m, was '" + value + "'");
    }

    private static void requireBetween(String name, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    private static void requireBetween(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
