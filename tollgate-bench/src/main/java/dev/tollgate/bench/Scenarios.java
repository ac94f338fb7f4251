package dev.tollgate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;

/**
 * The scenarios of one run, against one PostgreSQL and one or two Tollgate instances. Each scenario sets
 * up what it needs through Tollgate's API (so accounts are real), loads, then checks the result against
 * the tables themselves.
 */
final class Scenarios implements AutoCloseable {

    static final String RAW = "raw";
    static final String RAW_HOT = "raw-hot";
    static final String SPREAD = "spread";
    static final String SPREAD_PACED = "spread-paced";
    static final String HOT = "hot";
    static final String CONTENDED = "contended";
    static final String TWO_NODES_PREFIX = "two-nodes";
    static final String TWO_NODES_SPREAD = "two-nodes-spread";
    static final String TWO_NODES_CONTENDED = "two-nodes-contended";
    static final String REPORT = "report";
    static final String REPORT_RAW = "report-raw";

    static final String BENCH = "bench";
    static final String TOLLGATE = "tollgate";
    static final String POSTGRES = "postgres";
    /** The JIT compiler threads of the nodes: part of {@link #TOLLGATE}, shown apart. */
    static final String TOLLGATE_JIT = "tollgate-jit";
    /** Warm-up load runs in steps of this length, each followed by a look at the nodes' JIT compilers. */
    static final Duration WARMUP_STEP = Duration.ofSeconds(10);
    /** Nodes are warm once their JIT compilers use less than this share of one core per node over a warm-up step. */
    static final double JIT_QUIET_SHARE = 0.01;

    static final String PLAN = "bench";
    static final String PROVIDER = "openai";
    static final String MODEL = "gpt-4o-mini";
    /** The largest allowance the API accepts: a billion cycles, so spread and hot are never denied. */
    static final long ALLOWANCE_UNREACHABLE = 1_000_000_000_000L;
    /** A typical chat call: 400 tokens in, up to 600 out reserved, 350 really produced. */
    static final CycleClient.Shape CALL = new CycleClient.Shape(400, 600, 350);
    /** The contended call commits exactly what it reserved, so the allowance fits exactly N of them. */
    static final CycleClient.Shape EXACT_CALL = new CycleClient.Shape(100, 100, 100);
    static final Duration ROUND_TIMEOUT = Duration.ofMinutes(2);
    /** The paced spread runs at this share of the throughput the closed-loop spread reached. */
    static final double PACED_SHARE = 0.5;
    static final Duration REPORT_WINDOW = Duration.ofDays(30);
    static final Duration REPORT_HISTORY = Duration.ofDays(90);
    /** The heavy account of the report holds one record in this many: a power user among a thousand. */
    static final int REPORT_HEAVY_EVERY = 20;
    static final int REPORT_ACCOUNTS = 1_000;
    static final String REPORT_HEAVY = "bench-report-heavy";
    static final String REPORT_10M = "report-10m";
    static final String REPORT_10M_HEAVY = "bench-r10m-heavy";
    static final String REPORT_10M_PREFIX = "bench-r10m-";
    static final String BILLING_PAGE = "billing-page";
    static final int BILLING_PAGE_LEDGER_ENTRIES = 1_000;
    static final long BILLING_PAGE_USAGE_RECORDS = 10_000;
    static final Duration BILLING_PAGE_HISTORY = Duration.ofDays(10);
    static final String CONSOLE_OVERVIEW = "console-overview";
    static final String CONSOLE_SEARCH = "console-search";
    static final String CONSOLE_ACCOUNT = "console-account";

    private final Options options;
    private final Postgres postgres;
    private final TollgateClient client;
    private final CpuMeter cpu;
    private final DatabaseChecks database;
    private final Optional<StatementStats> statements;
    private final Diagnostics diagnostics;
    private String current = "setup";
    private final String adminKey;
    private final String runId;
    private final List<TollgateServer> servers = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<ProfileSummary> profiles = new ArrayList<>();
    private final List<String> spreadAccounts;
    private final List<String> rawAccounts;
    private final List<Load.Window> windows = new ArrayList<>();
    private int contendedRounds;
    private CompletableFuture<TollgateServer> secondServer;

    Scenarios(Options options, Postgres postgres, TollgateClient client, String adminKey, String runId) {
        this.options = options;
        this.postgres = postgres;
        this.client = client;
        this.adminKey = adminKey;
        this.runId = runId;
        this.database = new DatabaseChecks(postgres);
        this.statements = options.profile() ? Optional.of(new StatementStats(postgres)) : Optional.empty();
        this.diagnostics = new Diagnostics(options.outputDir(), postgres);
        this.spreadAccounts = numbered("bench-spread-", options.accounts());
        this.rawAccounts = numbered("bench-raw-", options.accounts());
        this.cpu = new CpuMeter();
        cpu.watch(BENCH, () -> List.of(ProcessHandle.current().pid()));
        cpu.watch(TOLLGATE, () -> servers.stream().map(TollgateServer::pid).toList());
        cpu.watchCompilers(TOLLGATE_JIT, () -> servers.stream().map(TollgateServer::pid).toList());
        cpu.watch(POSTGRES, () -> postgres.pid().stream().boxed().flatMap(pid -> CpuMeter.withDescendants(pid).stream())
                .toList());
    }

    private static List<String> numbered(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + String.format("%05d", i)).toList();
    }

    List<String> notes() {
        var all = new ArrayList<>(notes);
        var files = diagnostics.written();
        if (!files.isEmpty()) {
            all.add("diagnostics taken at the first failed call: " + String.join(", ", files));
        }
        return all;
    }

    List<ProfileSummary> profiles() {
        return List.copyOf(profiles);
    }

    // ---------------------------------------------------------------- servers and setup

    /** Starts the first node and makes it the one every client talks to. */
    void startServer() throws IOException, InterruptedException {
        servers.add(start("tollgate-a"));
    }

    /** Starts the second node now, to be added to the run by {@link #addSecondServer()}. */
    void startSecondServerInBackground() {
        secondServer = CompletableFuture.supplyAsync(() -> {
            try {
                return start("tollgate-b");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting tollgate-b", e);
            }
        });
    }

    /** From now on, clients alternate between two nodes on the same database. */
    void addSecondServer() throws IOException, InterruptedException {
        if (secondServer == null) {
            servers.add(start("tollgate-b"));
            return;
        }
        try {
            servers.add(secondServer.join());
        } catch (CompletionException e) {
            throw new IllegalStateException("tollgate-b did not start", e.getCause());
        } finally {
            secondServer = null;
        }
    }

    private TollgateServer start(String name) throws IOException, InterruptedException {
        Optional<Path> recording = options.profile()
                ? Optional.of(options.outputDir().resolve(name + ".jfr"))
                : Optional.empty();
        Bench.log("starting " + name + " (" + options.serverJar().getFileName() + ")");
        var server = TollgateServer.start(name, options.serverJar(), postgres.jdbcUrl(), adminKey, options.outputDir(),
                recording, options.serverProperties(), options.serverJvmOptions());
        Bench.log(name + " is up at " + server.baseUri());
        return server;
    }

    private URI node(int client) {
        return servers.get(client % servers.size()).baseUri();
    }

    /** The plan, the price and the accounts every selected scenario needs, created through the API. */
    void setUp() throws IOException, InterruptedException, SQLException {
        if (statements.isPresent()) {
            statements.get().enable();
        }
        URI node = node(0);
        client.putPlan(node, PLAN, ALLOWANCE_UNREACHABLE);
        var price = client.putPrice(node, PROVIDER, MODEL, "0.000150", "0.000600");
        if (!price.ok()) {
            notes.add("PUT /v1/prices answered " + price.status() + ": commits ran without a price for " + MODEL + ".");
        }
        var accounts = new ArrayList<String>();
        if (options.runs(Options.Scenario.RAW)) {
            accounts.addAll(rawAccounts);
            accounts.add("bench-raw-hot");
        }
        if (loadsOverHttp()) {
            accounts.addAll(spreadAccounts);
        }
        if (options.runs(Options.Scenario.HOT)) {
            accounts.add("bench-hot");
        }
        if (options.runs(Options.Scenario.REPORT)) {
            accounts.add(REPORT_HEAVY);
            accounts.addAll(numbered("bench-report-", REPORT_ACCOUNTS - 1));
        }
        if (options.runs(Options.Scenario.REPORT_10M)) {
            accounts.add(REPORT_10M_HEAVY);
            accounts.addAll(numbered(REPORT_10M_PREFIX, REPORT_ACCOUNTS - 1));
        }
        Bench.log("creating " + accounts.size() + " accounts on plan '" + PLAN + "'");
        client.createAccounts(node, accounts, PLAN);
        if (options.runs(Options.Scenario.HOT)) {
            client.putAllowance(node, "bench-hot", ALLOWANCE_UNREACHABLE);
        }
    }

    /**
     * Unmeasured spread load against every node, so that the JIT has compiled the hot path of the servers
     * (and of the bench's own HTTP client) before any figure is taken: a cold JVM is slower by a multiple.
     * The load runs for at least {@code --server-warmup} and then on, step by step, until the nodes' JIT
     * compilers have gone quiet, on average per node (or {@code --server-warmup-max} is reached): on two
     * cores C2 keeps compiling for about 90 s of load, and a window measured while it does shares the
     * cores with it.
     */
    void warmUp() throws InterruptedException {
        if (options.serverWarmup().isZero() || !loadsOverHttp()) {
            return;
        }
        Bench.log("warming up " + servers.size() + " node(s) for " + options.serverWarmup().toSeconds()
                + " s, then until their JIT compilers are quiet (at most " + options.serverWarmupMax().toSeconds()
                + " s)");
        var warmed = loadUntilCompiled(servers.stream().map(TollgateServer::pid).toList(), options.serverWarmup(),
                true, step -> index -> new CycleClient(client.cycles(node(index), PROVIDER, MODEL), spreadAccounts,
                        CALL, CycleClient.OnDenial.FAIL, keys("warm-up-" + servers.size() + "-" + step, index)));
        note(warmed.describe(servers.size() + " node(s)"));
    }

    /**
     * The raw baseline's own warm-up: its JDBC clients run in this JVM, whose compilers must be quiet too
     * before the floor is measured, or the floor is measured low.
     */
    private void warmUpRaw() throws InterruptedException {
        if (options.serverWarmup().isZero()) {
            return;
        }
        var warmed = loadUntilCompiled(List.of(ProcessHandle.current().pid()),
                min(WARMUP_STEP, options.serverWarmupMax()), false,
                step -> index -> rawClient(RAW + "-warm-up-" + step, rawAccounts, index));
        note(warmed.describe("the raw baseline's clients (this JVM)"));
    }

    /**
     * How a warm-up ended: after how long, how busy the JIT compilers still were in its last step, and how
     * many of its calls failed (a warm-up that fails compiles the failure path, not the measured one) and the
     * first failure (null when none did).
     */
    private record Warmed(Duration elapsed, double compilerShare, long failedCalls, String firstFailure) {
        String describe(String what) {
            return what + " warmed up for " + elapsed.toSeconds() + " s; JIT compilers at "
                    + Math.round(compilerShare * 100) + " % of a core per JVM over the last step"
                    + (compilerShare >= JIT_QUIET_SHARE ? ", still compiling when the warm-up limit was reached" : "")
                    + (failedCalls == 0 ? "" : "; " + failedCalls + " warm-up calls failed, e.g. " + firstFailure);
        }
    }

    /**
     * Unmeasured load in steps until the given JVMs' compilers, on average per JVM, use less than
     * {@link #JIT_QUIET_SHARE} of a core over a step; for at least {@code atLeast}. Each step gets clients of
     * its own ({@code clientsOfStep} is given the step's number), so that no step repeats an earlier step's
     * Idempotency-Keys or reservation ids: a repeat is answered by a replay or a refusal, and the warm-up
     * would compile those paths instead of the measured one.
     */
    private Warmed loadUntilCompiled(List<Long> jvms, Duration atLeast, boolean readsBetweenSteps,
            IntFunction<IntFunction<Load.Client>> clientsOfStep) throws InterruptedException {
        Duration atMost = options.serverWarmupMax();
        Duration elapsed = Duration.ZERO;
        double compilerShare;
        int steps = 0;
        long failedCalls = 0;
        String firstFailure = null;
        do {
            Duration step = min(WARMUP_STEP, (elapsed.compareTo(atLeast) < 0 ? atLeast : atMost).minus(elapsed));
            double compilerBefore = CpuMeter.compilerSeconds(jvms);
            var load = Load.Result.of(
                    Load.run(options.clients(), step, Duration.ZERO, Load.Probe.NONE, clientsOfStep.apply(steps++)));
            failedCalls += load.failures();
            if (firstFailure == null && !load.failureSamples().isEmpty()) {
                firstFailure = load.failureSamples().getFirst();
            }
            if (readsBetweenSteps) {
                readBetweenSteps();
            }
            elapsed = elapsed.plus(step);
            compilerShare = (CpuMeter.compilerSeconds(jvms) - compilerBefore) / jvms.size() / (step.toMillis() / 1000.0);
        } while (elapsed.compareTo(atMost) < 0 && (elapsed.compareTo(atLeast) < 0 || compilerShare >= JIT_QUIET_SHARE));
        return new Warmed(elapsed, compilerShare, failedCalls, firstFailure);
    }

    /**
     * The reads the checks make between scenarios, on every node: compiled code that has only ever seen
     * POSTs traps on the first GET and is compiled again, and that would happen inside a measured window.
     */
    private void readBetweenSteps() throws InterruptedException {
        for (var server : servers) {
            try {
                client.account(server.baseUri(), spreadAccounts.getFirst());
                client.reconciliation(server.baseUri());
            } catch (IOException | CycleFailure e) {
                notes.add("a read during the warm-up failed on " + server.baseUri() + ": " + e.getMessage());
            }
        }
    }

    private void note(String note) {
        Bench.log(note);
        notes.add(note);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Whether any reserve-and-commit scenario over HTTP runs (and so needs the spread accounts to warm up). */
    private boolean loadsOverHttp() {
        return options.runs(Options.Scenario.SPREAD) || options.runs(Options.Scenario.HOT)
                || options.runs(Options.Scenario.CONTENDED) || options.runs(Options.Scenario.TWO_NODES);
    }

    // ---------------------------------------------------------------- raw baseline

    /** The raw baseline over the spread's shape (many accounts) and, if hot runs, over one account. */
    List<ScenarioResult> raw() throws Exception {
        warmUpRaw();
        var results = new ArrayList<ScenarioResult>();
        results.add(rawLoad(RAW, "the cycle's SQL over JDBC, " + options.clients() + " connections, "
                + rawAccounts.size() + " accounts", rawAccounts));
        if (options.runs(Options.Scenario.HOT)) {
            results.add(rawLoad(RAW_HOT, "the cycle's SQL over JDBC, one account", List.of("bench-raw-hot")));
        }
        return results;
    }

    private ScenarioResult rawLoad(String name, String description, List<String> accounts) throws Exception {
        announce(name);
        var load = measure(options.clients(), options.warmup(), options.duration(),
                index -> rawClient(name, accounts, index));
        var result = Load.Result.of(load.load());
        var checks = new ArrayList<Check>();
        checks.add(noFailures(result));
        checks.add(nothingLeftReserved(accounts));
        return ScenarioResult.of(name, description, options.clients(), 0, result, load, checks);
    }

    private CycleClient rawClient(String name, List<String> accounts, int index) {
        try {
            var target = new RawTarget(postgres.connect(), PROVIDER, MODEL, runId + "_" + name + "_" + index);
            return new CycleClient(target, accounts, CALL, CycleClient.OnDenial.FAIL, keys(name, index));
        } catch (SQLException e) {
            throw new IllegalStateException("No connection for the raw baseline", e);
        }
    }

    // ---------------------------------------------------------------- spread and hot

    ScenarioResult spread(String name, List<TollgateServer> nodes) throws Exception {
        return closedLoop(name, options.clients() + " clients over " + spreadAccounts.size() + " accounts",
                spreadAccounts, nodes.size());
    }

    /** Back-to-back cycles from every client over {@code accounts}, then the checks every such load gets. */
    private ScenarioResult closedLoop(String name, String description, List<String> accounts, int nodes)
            throws Exception {
        announce(name);
        var load = measure(options.clients(), options.warmup(), options.duration(),
                index -> new CycleClient(client.cycles(node(index), PROVIDER, MODEL), accounts, CALL,
                        CycleClient.OnDenial.FAIL, keys(name, index)));
        var result = Load.Result.of(load.load());
        var checks = new ArrayList<Check>();
        checks.add(noFailures(result));
        checks.add(nothingLeftReserved(accounts));
        checks.add(noOverspend(accounts));
        checks.add(reconciled(Set.copyOf(accounts)));
        return ScenarioResult.of(name, description, options.clients(), nodes, result, load, checks);
    }

    /**
     * The spread's calls at half the throughput the spread reached, from the same 32 clients: latency of
     * the hot path below saturation, where a closed loop can only show queueing.
     */
    ScenarioResult spreadPaced(double spreadCyclesPerSecond) throws Exception {
        announce(SPREAD_PACED);
        double total = Math.max(1, spreadCyclesPerSecond * PACED_SHARE);
        double perClient = total / options.clients();
        var load = measure(options.clients(), options.warmup(), options.duration(),
                index -> new PacedClient(new CycleClient(client.cycles(node(index), PROVIDER, MODEL), spreadAccounts,
                        CALL, CycleClient.OnDenial.FAIL, keys(SPREAD_PACED, index)), perClient));
        var result = Load.Result.of(load.load());
        var checks = new ArrayList<Check>();
        checks.add(noFailures(result));
        checks.add(nothingLeftReserved(spreadAccounts));
        return ScenarioResult.of(SPREAD_PACED, options.clients() + " clients over " + spreadAccounts.size()
                + " accounts, paced to " + Report.whole(total) + " cycles/s (half the spread's)", options.clients(),
                1, result, load, checks);
    }

    ScenarioResult hot() throws Exception {
        return closedLoop(HOT, options.clients() + " clients on one account", List.of("bench-hot"), 1);
    }

    // ---------------------------------------------------------------- contended

    /**
     * Rounds of a race: a fresh account whose allowance fits exactly N calls, all clients reserving and
     * committing until each is denied. Every round must approve exactly N; rounds repeat for the duration.
     */
    ScenarioResult contended(String name, List<TollgateServer> nodes) throws Exception {
        announce(name);
        int fits = options.contendedFits();
        long allowance = fits * EXACT_CALL.reservedTokens();
        var loads = new ArrayList<Observed>();
        var accounts = new ArrayList<String>();
        var wrongApprovals = new ArrayList<String>();
        var wrongCommitted = new ArrayList<String>();
        var wrongUsed = new ArrayList<String>();
        var wrongSummary = new ArrayList<String>();
        long deadline = System.nanoTime() + options.duration().toNanos();
        do {
            String account = "bench-contended-" + (++contendedRounds);
            accounts.add(account);
            client.createAccount(node(0), account, PLAN);
            client.putAllowance(node(0), account, allowance);
            var load = measure(options.clients(), Duration.ZERO, ROUND_TIMEOUT,
                    index -> new CycleClient(client.cycles(node(index), PROVIDER, MODEL), List.of(account), EXACT_CALL,
                            CycleClient.OnDenial.STOP, keys(account, index)));
            loads.add(load);
            long approved = load.load().tallies().stream().mapToLong(t -> t.approved).sum();
            if (approved != fits) {
                wrongApprovals.add(account + ": " + approved);
            }
            long committed = database.committedReservations(account);
            if (committed != fits) {
                wrongCommitted.add(account + ": " + committed);
            }
            long used = database.usedTokens(account);
            if (used != allowance) {
                wrongUsed.add(account + ": " + used);
            }
            try {
                JsonNode tokens = client.account(node(0), account).path("tokens");
                if (tokens.path("used").asLong(-1) != allowance || tokens.path("remaining").asLong(-1) != 0) {
                    wrongSummary.add(account + ": " + tokens);
                }
            } catch (IOException | CycleFailure e) {
                wrongSummary.add(account + ": " + e.getMessage());
            }
        } while (System.nanoTime() < deadline);
        var observed = Observed.combine(loads);
        var result = Load.Result.of(observed.load());
        int rounds = loads.size();
        var checks = new ArrayList<Check>();
        checks.add(noFailures(result));
        checks.add(Check.of("exactly N approved", wrongApprovals.isEmpty(), wrongApprovals.isEmpty()
                ? rounds + " rounds, each approved exactly " + fits + " reservations of " + EXACT_CALL.reservedTokens()
                        + " tokens against an allowance of " + allowance
                : "rounds approving other than " + fits + ": " + wrongApprovals));
        checks.add(Check.of("exactly N committed in the tables", wrongCommitted.isEmpty(), wrongCommitted.isEmpty()
                ? fits + " committed reservations per round"
                : "rounds with other than " + fits + " committed reservations: " + wrongCommitted));
        checks.add(Check.of("allowance used exactly", wrongUsed.isEmpty(), wrongUsed.isEmpty()
                ? "tokens_used = " + allowance + " on every round's account"
                : "tokens_used other than " + allowance + ": " + wrongUsed));
        checks.add(Check.of("account summary agrees", wrongSummary.isEmpty(), wrongSummary.isEmpty()
                ? "GET /v1/accounts/{id} shows used = limit and remaining = 0"
                : "summaries that disagree: " + wrongSummary));
        checks.add(noOverspend(accounts));
        checks.add(reconciled(Set.copyOf(accounts)));
        return ScenarioResult.of(name, options.clients() + " clients racing for " + fits + " reservations, "
                + rounds + " rounds", options.clients(), nodes.size(), result, observed, checks);
    }

    // ---------------------------------------------------------------- report

    /**
     * Loads the usage records straight into the table (the engine would take hours to write a million),
     * then times the heavy account's usage-by-day over 30 days, over HTTP and as the bare query over JDBC.
     */
    List<ScenarioResult> report() throws Exception {
        announce(REPORT, options.reportClients());
        long rows = options.reportRows();
        Instant now = Instant.now();
        long loadStarted = System.nanoTime();
        long heavyRows = ReportData.load(postgres, rows, REPORT_HEAVY, REPORT_HEAVY_EVERY, "bench-report-",
                REPORT_ACCOUNTS - 1, now, REPORT_HISTORY);
        notes.add("report: " + rows + " usage records over " + REPORT_ACCOUNTS + " accounts and " + REPORT_HISTORY.toDays()
                + " days, " + heavyRows + " of them on " + REPORT_HEAVY + ", loaded in "
                + Report.decimal((System.nanoTime() - loadStarted) / 1e9) + " s");
        Instant from = now.minus(REPORT_WINDOW);
        long expectedDays = ReportData.daysWithUsage(postgres, REPORT_HEAVY, from, now);
        var results = new ArrayList<ScenarioResult>();

        var load = measure(options.reportClients(), options.warmup(), options.duration(), index -> tally -> {
            long started = System.nanoTime();
            var reply = client.usageByDay(node(index), REPORT_HEAVY, from, now);
            tally.query(started, System.nanoTime() - started);
            if (!reply.ok()) {
                throw new CycleFailure("usage by day answered " + reply.status() + ": "
                        + TollgateClient.abbreviate(reply.text()));
            }
            tally.completed();
            return true;
        });
        var result = Load.Result.of(load.load());
        var reply = client.usageByDay(node(0), REPORT_HEAVY, from, now);
        JsonNode days = reply.body().isArray() ? reply.body() : reply.body().path("data");
        var checks = new ArrayList<Check>();
        checks.add(noFailures(result));
        checks.add(Check.of("one row per day with usage", reply.ok() && days.size() == expectedDays,
                "the reply has " + days.size() + " rows, the table has usage on " + expectedDays + " days of the window"));
        results.add(ScenarioResult.of(REPORT, "GET usage?group_by=day, 30 days of " + REPORT_HEAVY + ", "
                + options.reportClients() + " clients", options.reportClients(), 1, result, load, checks));

        announce(REPORT_RAW, options.reportClients());
        var raw = measure(options.reportClients(), options.warmup(), options.duration(),
                index -> ReportData.rawClient(postgres, REPORT_HEAVY, from, now));
        var rawResult = Load.Result.of(raw.load());
        results.add(ScenarioResult.of(REPORT_RAW, "the same aggregate as bare SQL over JDBC", options.reportClients(), 0,
                rawResult, raw, List.of(noFailures(rawResult))));
        return results;
    }

    /**
     * The report at scale: {@code --report-10m-rows} usage records (10,000,000 by default) over the report's 1,000
     * accounts and 90 days, each with its usage entry in the ledger and the meters moved to match, so the
     * history spans several closed months. The month totals are recorded (the server's job, triggered) before
     * anything is measured, as a server that has run for months has them. Then, one after the other, the heavy
     * account's usage by day over 30 days, the first page of its ledger and its reconciliation.
     */
    List<ScenarioResult> report10m() throws Exception {
        announce(REPORT_10M, options.reportClients());
        long rows = options.report10mRows();
        Instant now = Instant.now();
        long loadStarted = System.nanoTime();
        long heavyRows = ReportData.load(postgres, "use_r10m_", rows, REPORT_10M_HEAVY, REPORT_HEAVY_EVERY,
                REPORT_10M_PREFIX, REPORT_ACCOUNTS - 1, now, REPORT_HISTORY, true);
        double loadSeconds = (System.nanoTime() - loadStarted) / 1e9;
        long recordStarted = System.nanoTime();
        var months = client.recordMonths(node(0));
        notes.add(REPORT_10M + ": " + rows + " usage records and as many ledger entries over " + REPORT_ACCOUNTS
                + " accounts and " + REPORT_HISTORY.toDays() + " days, " + heavyRows + " of them on " + REPORT_10M_HEAVY
                + ", loaded in " + Report.decimal(loadSeconds) + " s; month totals recorded in "
                + Report.decimal((System.nanoTime() - recordStarted) / 1e9) + " s (months " + months.path("months") + ")");
        Instant from = now.minus(REPORT_WINDOW);
        long expectedDays = ReportData.daysWithUsage(postgres, REPORT_10M_HEAVY, from, now);
        var results = new ArrayList<ScenarioResult>();

        var byDay = readBackToBack(REPORT_10M, "GET usage?group_by=day, 30 days of " + REPORT_10M_HEAVY,
                node -> client.usageByDay(node, REPORT_10M_HEAVY, from, now), List.of());
        var reply = client.usageByDay(node(0), REPORT_10M_HEAVY, from, now);
        JsonNode days = reply.body().isArray() ? reply.body() : reply.body().path("data");
        byDay.add(Check.of("one row per day with usage", reply.ok() && days.size() == expectedDays,
                "the reply has " + days.size() + " rows, the table has usage on " + expectedDays + " days of the window"));
        results.add(byDay.result());

        var page = client.ledgerPage(node(0), REPORT_10M_HEAVY);
        var ledger = readBackToBack(REPORT_10M + "-ledger", "GET ledger, first page of " + REPORT_10M_HEAVY,
                node -> client.ledgerPage(node, REPORT_10M_HEAVY), List.of(Check.of("the ledger page has entries",
                        page.ok() && page.body().path("data").size() > 0, "the first page has "
                                + page.body().path("data").size() + " entries")));
        results.add(ledger.result());

        var reconciliation = readBackToBack(REPORT_10M + "-reconciliation", "GET reconciliation of " + REPORT_10M_HEAVY,
                node -> client.reconciliation(node, REPORT_10M_HEAVY), List.of());
        var accounts = new HashSet<>(numbered(REPORT_10M_PREFIX, REPORT_ACCOUNTS - 1));
        accounts.add(REPORT_10M_HEAVY);
        reconciliation.add(reconciled(accounts));
        reconciliation.add(Check.of("closed months recorded", months.path("months").size() >= 2,
                "recorded months " + months.path("months")));
        results.add(reconciliation.result());
        return results;
    }

    /** A measured read, its checks, and the result they make. */
    private final class Reads {
        private final String name;
        private final String description;
        private final Observed observed;
        private final Load.Result result;
        private final List<Check> checks = new ArrayList<>();

        Reads(String name, String description, Observed observed, List<Check> checks) {
            this.name = name;
            this.description = description;
            this.observed = observed;
            this.result = Load.Result.of(observed.load());
            this.checks.add(noFailures(result));
            this.checks.addAll(checks);
        }

        void add(Check check) {
            checks.add(check);
        }

        ScenarioResult result() {
            return ScenarioResult.of(name, description + ", " + options.reportClients() + " clients",
                    options.reportClients(), 1, result, observed, checks);
        }
    }

    private interface Read {
        TollgateClient.Reply read(URI node) throws IOException, InterruptedException;
    }

    /** One read, by the report clients back to back; a note gives its p50, p95 and p99. */
    private Reads readBackToBack(String name, String description, Read read, List<Check> checks) throws Exception {
        announce(name, options.reportClients());
        var load = measure(options.reportClients(), options.warmup(), options.duration(), index -> tally -> {
            long started = System.nanoTime();
            var reply = read.read(node(index));
            tally.query(started, System.nanoTime() - started);
            if (!reply.ok()) {
                throw new CycleFailure(name + " answered " + reply.status() + ": " + TollgateClient.abbreviate(reply.text()));
            }
            tally.completed();
            return true;
        });
        var latencies = Latencies.merge(load.load().tallies().stream().map(t -> t.query).toList());
        notes.add(name + ": " + percentiles(latencies) + " (client time over localhost HTTP, " + options.reportClients()
                + " client" + (options.reportClients() == 1 ? "" : "s") + ")");
        return new Reads(name, description, load, checks);
    }

    /**
     * The end user's billing page for a busy account: 1,000 ledger entries (credit adjustments through the
     * API) and 10,000 usage records over the ten days its period has run, read as a browser reads it.
     */
    ScenarioResult billingPage() throws Exception {
        announce(BILLING_PAGE, options.reportClients());
        String account = "bench-billing-" + runId;
        URI first = node(0);
        client.createAccount(first, account, "free");
        long loadStarted = System.nanoTime();
        for (int i = 0; i < BILLING_PAGE_LEDGER_ENTRIES; i++) {
            client.send(first, "POST", "/v1/accounts/" + account + "/credits", Map.of("type", "add", "amount", 1,
                    "description", "bench entry " + i), runId + "-billing-page-" + i).orThrow("POST credits");
        }
        BillingPageData.load(postgres, account, BILLING_PAGE_HISTORY, BILLING_PAGE_USAGE_RECORDS, Instant.now());
        notes.add(BILLING_PAGE + ": " + BILLING_PAGE_LEDGER_ENTRIES + " ledger entries and " + BILLING_PAGE_USAGE_RECORDS
                + " usage records over " + BILLING_PAGE_HISTORY.toDays() + " days, loaded in "
                + Report.decimal((System.nanoTime() - loadStarted) / 1e9) + " s");
        String link = client.send(first, "POST", "/v1/portal-sessions", Map.of("account_id", account), null)
                .orThrow("POST /v1/portal-sessions").body().path("url").asString();
        String cookie = client.openPortal(first, link);

        var load = measure(options.reportClients(), options.warmup(), options.duration(), index -> tally -> {
            long started = System.nanoTime();
            var reply = client.page(node(index), "/billing", cookie);
            tally.query(started, System.nanoTime() - started);
            if (reply.status() != 200 || !reply.text().contains("id=\"plan-name\"")) {
                throw new CycleFailure("GET /billing answered " + reply.status() + ": "
                        + TollgateClient.abbreviate(reply.text()));
            }
            tally.completed();
            return true;
        });
        var result = Load.Result.of(load.load());
        String page = client.page(first, "/billing", cookie).text();
        var checks = new ArrayList<Check>();
        checks.add(noFailures(result));
        boolean complete = page.contains("openai/gpt-4o-mini") && page.contains("id=\"older\"");
        checks.add(Check.of("the page shows the period", complete, "usage by model and a link to older ledger entries "
                + (complete ? "are" : "are not") + " on the page"));
        checks.add(reconciled(Set.of(account)));
        return ScenarioResult.of(BILLING_PAGE, "GET /billing with a portal session, " + BILLING_PAGE_LEDGER_ENTRIES
                + " ledger entries and " + BILLING_PAGE_USAGE_RECORDS + " usage records in the period, "
                + options.reportClients() + " clients", options.reportClients(), 1, result, load, checks);
    }

    // ---------------------------------------------------------------- console

    /**
     * The admin console at the size of a real operation (100,000 accounts, 1,000,000 usage records by
     * default): the overview, a search by a part of the email filtered by plan and status and sorted by usage
     * (its second page), and the busiest account's page, each read as a signed-in browser reads it.
     */
    List<ScenarioResult> console() throws Exception {
        announce(CONSOLE_OVERVIEW, options.reportClients());
        URI first = node(0);
        int accounts = options.consoleAccounts();
        long loadStarted = System.nanoTime();
        client.createAccounts(first, ConsoleData.accounts(accounts));
        Instant now = Instant.now();
        ConsoleData.load(postgres, accounts, options.consoleRecords(), now);
        String endpoint = ConsoleData.failedDeliveries(postgres, now);
        notes.add("console: " + accounts + " accounts over " + ConsoleData.PLANS.size() + " plans and every status, "
                + options.consoleRecords() + " usage records over this month and the previous one (1 in "
                + ConsoleData.HEAVY_EVERY + " on " + ConsoleData.id(ConsoleData.HEAVY) + "), this month's ledger "
                + "entries, " + ConsoleData.DENIALS + " denials (1 in " + ConsoleData.DENIALS_RECENT_EVERY
                + " in the last 24 h), " + ConsoleData.PENDING_RESERVATIONS + " pending reservations, loaded in "
                + Report.decimal((System.nanoTime() - loadStarted) / 1e9) + " s");
        String cookie = client.consoleSession(first, adminKey);
        // The second page where the search matches enough accounts for one (about 875 of 100,000; a smoke's
        // 2,000 accounts give fewer than 50).
        int page = accounts >= 10_000 ? 1 : 0;
        String search = "/console/accounts?q=" + ConsoleData.searchText(accounts) + "&plan=pro&status=active&sort=usage"
                + "&page=" + page;
        String account = "/console/accounts/" + ConsoleData.id(ConsoleData.HEAVY);
        // What the pages show is checked once before they are measured; the measured reads check their marker.
        String overview = client.page(first, "/console", cookie).text();
        boolean panels = overview.contains("data-code=") && overview.contains("data-model=")
                && !overview.contains("id=\"no-failing\"");
        var tokens = tokensUsed(client.page(first, search, cookie).text());
        boolean descending = IntStream.range(1, tokens.size()).allMatch(i -> tokens.get(i - 1) >= tokens.get(i));
        var overviewChecks = List.of(Check.of("every panel has data", panels, "denials by reason, cost by model today "
                + "and failing deliveries " + (panels ? "are" : "are NOT all") + " on the overview"));
        var searchChecks = List.of(Check.of("sorted by tokens used", descending && !tokens.isEmpty(), tokens.size()
                + " accounts on page " + (page + 1) + ", tokens used " + (descending ? "descending" : "NOT descending")));
        var accountChecks = List.of(reconciled(Set.of(ConsoleData.id(ConsoleData.HEAVY), ConsoleData.id(1),
                ConsoleData.id(51))));
        var results = new ArrayList<ScenarioResult>();
        try {
            results.add(consolePage(CONSOLE_OVERVIEW, "/console", cookie, "id=\"plan-counts\"",
                    "GET /console: accounts by plan and status, usage and cost today and this month, denials",
                    overviewChecks));
            results.add(consolePage(CONSOLE_SEARCH, search, cookie, "id=\"usage-order\"",
                    "GET " + search + ": a part of the email, plan and status, by tokens used, page " + (page + 1),
                    searchChecks));
            results.add(consolePage(CONSOLE_ACCOUNT, account, cookie, "id=\"plan-name\"",
                    "GET " + account + ": meters, usage by day and model, ledger, reservations, events",
                    accountChecks));
        } finally {
            // New events of later scenarios would otherwise be queued for the dead receiver and retried under load.
            client.send(first, "DELETE", "/v1/webhook-endpoints/" + endpoint, null, null)
                    .orThrow("DELETE /v1/webhook-endpoints");
        }
        return results;
    }

    private static List<Long> tokensUsed(String html) {
        var values = new ArrayList<Long>();
        var matcher = java.util.regex.Pattern.compile("class=\"num tokens-used\">([0-9,]+)<").matcher(html);
        while (matcher.find()) {
            values.add(Long.parseLong(matcher.group(1).replace(",", "")));
        }
        return values;
    }

    /** One console page, read back to back by the report clients; a note gives its p50, p95 and p99. */
    private ScenarioResult consolePage(String name, String path, String cookie, String marker, String description,
            List<Check> pageChecks) throws Exception {
        return readBackToBack(name, description, node -> {
            var reply = client.page(node, path, cookie);
            if (reply.ok() && !reply.text().contains(marker)) {
                throw new CycleFailure("GET " + path + " answered " + reply.status() + " without '" + marker + "': "
                        + TollgateClient.abbreviate(reply.text()));
            }
            return reply;
        }, pageChecks).result();
    }

    private static String percentiles(Latencies latencies) {
        long[] sorted = latencies.sorted();
        if (sorted.length == 0) {
            return "no calls measured";
        }
        return sorted.length + " calls, p50 / p95 / p99 " + Report.decimal(LatencySummary.percentile(sorted, 50) / 1e6)
                + " / " + Report.decimal(LatencySummary.percentile(sorted, 95) / 1e6) + " / "
                + Report.decimal(LatencySummary.percentile(sorted, 99) / 1e6) + " ms";
    }

    // ---------------------------------------------------------------- checks

    private static Check noFailures(Load.Result result) {
        return Check.of("no failed calls", result.failures() == 0, result.failures() == 0
                ? (result.approved() + result.denied() + result.query().count()) + " calls answered as expected"
                : result.failures() + " failed, e.g. " + result.failureSamples());
    }

    private Check nothingLeftReserved(List<String> accounts) throws SQLException {
        long reserved = database.reservedTokens(accounts);
        return Check.of("nothing left reserved", reserved == 0, reserved == 0
                ? "every approved reservation was committed (tokens_reserved = 0)"
                : reserved + " tokens still reserved after every commit returned");
    }

    private Check noOverspend(List<String> accounts) throws SQLException {
        var overspent = database.overspent(accounts);
        return Check.of("no overspend", overspent.isEmpty(), overspent.isEmpty()
                ? "tokens_used + tokens_reserved <= allowance on all " + accounts.size() + " accounts"
                : overspent.size() + " accounts over their allowance: " + overspent.subList(0, Math.min(5,
                        overspent.size())));
    }

    /** GET /v1/admin/reconciliation lists none of these accounts. */
    private Check reconciled(Set<String> accounts) throws InterruptedException {
        JsonNode body;
        try {
            body = client.reconciliation(node(0));
        } catch (IOException | CycleFailure e) {
            return Check.of("reconciliation empty", false, "GET /v1/admin/reconciliation failed: " + e.getMessage());
        }
        JsonNode entries = body.isArray() ? body : body.path("data");
        var listed = new HashSet<String>();
        var others = new ArrayList<String>();
        for (JsonNode entry : entries) {
            String account = entry.path("account_id").asString(entry.path("id").asString(""));
            if (accounts.contains(account)) {
                listed.add(account);
            } else {
                others.add(account);
            }
        }
        String detail = listed.isEmpty()
                ? "none of the scenario's accounts is listed"
                : listed.size() + " accounts whose meters disagree with their ledger, e.g. " + listed.iterator().next();
        return Check.of("reconciliation empty", listed.isEmpty(), others.isEmpty() ? detail
                : detail + " (" + others.size() + " other accounts listed, e.g. " + others.getFirst() + ")");
    }

    // ---------------------------------------------------------------- helpers

    /** A load and what was observed around its measured window. */
    record Observed(Load.Measured load, Map<String, Double> cpuSeconds, List<StatementStats.Row> statements) {

        static Observed combine(List<Observed> rounds) {
            var cpuSeconds = new LinkedHashMap<String, Double>();
            rounds.forEach(round -> round.cpuSeconds().forEach((party, s) -> cpuSeconds.merge(party, s, Double::sum)));
            var merged = Load.Result.combine(rounds.stream().map(Observed::load).toList());
            return new Observed(new Load.Measured(rounds.stream().flatMap(r -> r.load().tallies().stream()).toList(),
                    merged.seconds(), rounds.getFirst().load().window()), cpuSeconds,
                    StatementStats.combine(rounds.stream().map(Observed::statements).toList()));
        }
    }

    /**
     * Runs a load, sampling CPU (and, when profiling, pg_stat_statements) at the edges of its measured window,
     * and remembers the window, so that profiles cover exactly the measured load.
     */
    private Observed measure(int clients, Duration warmup, Duration duration,
            java.util.function.IntFunction<Load.Client> factory) throws InterruptedException {
        servers.forEach(server -> server.requireAlive("the run"));
        var probe = new Load.Probe() {
            Map<String, Double> cpuBefore = Map.of();
            Map<String, Double> cpuAfter = Map.of();
            Map<Long, StatementStats.Row> statementsBefore = Map.of();
            Map<Long, StatementStats.Row> statementsAfter = Map.of();

            @Override
            public void windowStarted() {
                statementsBefore = statements.map(StatementStats::snapshot).orElse(Map.of());
                cpuBefore = cpu.sample();
            }

            @Override
            public void windowEnded() {
                cpuAfter = cpu.sample();
                statementsAfter = statements.map(StatementStats::snapshot).orElse(Map.of());
            }

            @Override
            public void failed(Exception failure) {
                diagnostics.captureOnce(current, List.copyOf(servers), failure);
            }
        };
        var measured = Load.run(clients, warmup, duration, probe, factory);
        servers.forEach(server -> server.requireAlive("a measured load"));
        windows.add(measured.window());
        return new Observed(measured, CpuMeter.between(probe.cpuBefore, probe.cpuAfter),
                StatementStats.between(probe.statementsBefore, probe.statementsAfter));
    }

    private IdempotencyKeys keys(String scope, int client) {
        return new IdempotencyKeys(runId + "-" + scope + "-" + client, options.idempotencyKeys());
    }

    /** The gateway scenarios, on a node of their own in front of a fake OpenAI; their figures become notes. */
    void gateway() throws Exception {
        announce(GatewayScenarios.GATEWAY);
        try (var gateway = GatewayScenarios.start(options, postgres, adminKey)) {
            if (options.runs(Options.Scenario.GATEWAY)) {
                gateway.whole().forEach(this::note);
            }
            if (options.runs(Options.Scenario.GATEWAY_STREAM)) {
                current = GatewayScenarios.GATEWAY_STREAM;
                gateway.streams().forEach(this::note);
            }
        }
    }

    private void announce(String scenario) {
        announce(scenario, options.clients());
    }

    private void announce(String scenario, int clients) {
        current = scenario;
        Bench.log(scenario + ": " + clients + " clients, " + options.warmup().toMillis() + " ms warm-up, "
                + options.duration().toMillis() + " ms measured");
    }

    /** The scenario running now, to say where a run stopped. */
    String current() {
        return current;
    }

    List<TollgateServer> servers() {
        return List.copyOf(servers);
    }

    /** Stops every server; with profiling on, each writes its recording, which is then summarized. */
    @Override
    public void close() throws Exception {
        if (secondServer != null) {
            try {
                servers.add(secondServer.join());
            } catch (CompletionException e) {
                Bench.log("tollgate-b did not start: " + e.getCause());
            }
        }
        for (TollgateServer server : servers) {
            server.close();
            if (server.recording().isPresent()) {
                profiles.add(ProfileSummary.read(server.name(), server.recording().get(), windows));
            }
        }
        servers.clear();
    }
}
