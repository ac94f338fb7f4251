package dev.tollgate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway scenarios, against a node of their own whose OpenAI upstream is {@link FakeProvider} with a
 * fixed think time. {@code gateway}: whole chat completions from {@code --clients} closed-loop clients,
 * straight to the fake and through the gateway in the same run; the difference of the percentiles is what
 * the gateway adds (reserve, forward, commit). The calls cycle over {@code --gateway-accounts} accounts, as a
 * gateway's calls come from many users; with 1 every reserve and commit queues for the same budget row,
 * which {@code hot} measures for the API. {@code gateway-stream}: the same for streams, by time to the first
 * chunk and to the end, and then {@link #OPEN_STREAMS} streams held open at once on the node.
 */
final class GatewayScenarios implements AutoCloseable {

    static final String GATEWAY = "gateway";
    static final String GATEWAY_STREAM = "gateway-stream";
    static final Duration THINK_TIME = Duration.ofMillis(50);
    static final int OPEN_STREAMS = 1_000;
    /** The open streams are spread over this many accounts, ten each, as a node's real streams are. */
    static final int OPEN_STREAM_ACCOUNTS = 100;
    private static final String ACCOUNT = "bench-gateway";
    private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":600,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Write a short greeting for the bench, about four hundred tokens of context. %s\"}]%s}";

    private final Options options;
    private final FakeProvider upstream;
    private final TollgateServer node;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();
    /** One gateway key per account, {@code max(--gateway-accounts, OPEN_STREAM_ACCOUNTS)} of them. */
    private final List<String> keys = new ArrayList<>();
    private final AtomicLong calls = new AtomicLong();
    private final List<String> accounts = new ArrayList<>();
    /** Calls the gateway answered in full: each must end as one committed reservation. */
    private final AtomicLong answered = new AtomicLong();
    private final DatabaseChecks database;
    /** How calls failed, by kind, to say why in the result. */
    private final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> failures =
            new java.util.concurrent.ConcurrentHashMap<>();

    private GatewayScenarios(Options options, FakeProvider upstream, TollgateServer node, Postgres postgres) {
        this.options = options;
        this.database = new DatabaseChecks(postgres);
        this.upstream = upstream;
        this.node = node;
    }

    static GatewayScenarios start(Options options, Postgres postgres, String adminKey)
            throws IOException, InterruptedException {
        var upstream = FakeProvider.start(THINK_TIME);
        var properties = new ArrayList<>(options.serverProperties());
        properties.add("tollgate.gateway.openai.base-url=" + upstream.baseUrl());
        properties.add("tollgate.gateway.openai.api-key=sk-bench");
        // Read with `jfr view hot-methods tollgate-gateway.jfr`; its windows are not cut to the measured load.
        Optional<Path> recording = options.profile()
                ? Optional.of(options.outputDir().resolve("tollgate-gateway.jfr"))
                : Optional.empty();
        var node = TollgateServer.start("tollgate-gateway", options.serverJar(), postgres.jdbcUrl(), adminKey,
                options.outputDir(), recording, properties, options.serverJvmOptions());
        var scenarios = new GatewayScenarios(options, upstream, node, postgres);
        scenarios.setUp(adminKey);
        return scenarios;
    }

    private void setUp(String adminKey) throws IOException, InterruptedException {
        for (int i = 0; i < Math.max(options.gatewayAccounts(), OPEN_STREAM_ACCOUNTS); i++) {
            String account = ACCOUNT + "-" + i;
            accounts.add(account);
            send(adminKey, "/v1/accounts", "{\"id\":\"" + account + "\",\"plan\":\"" + Scenarios.PLAN + "\"}");
            String answer = send(adminKey, "/v1/accounts/" + account + "/gateway-keys", "{\"name\":\"bench\"}");
            int from = answer.indexOf("\"secret\":\"") + 10;
            keys.add(answer.substring(from, answer.indexOf('"', from)));
        }
    }

    /** The key of the next measured call: the accounts in turn. */
    private String nextKey() {
        return keys.get((int) (calls.getAndIncrement() % options.gatewayAccounts()));
    }

    private String send(String bearer, String path, String body) throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(node.baseUri().resolve(path))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2 && response.statusCode() != 409) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Whole answers, direct and through the gateway; one line per measurement. */
    List<String> whole() throws Exception {
        loop(gatewayUri(), false, warmup());
        var direct = loop(directUri(), false, options.duration());
        var gateway = loop(gatewayUri(), false, options.duration());
        return List.of(line(GATEWAY + " direct", direct.total()), line(GATEWAY + " through Tollgate", gateway.total()),
                added(GATEWAY, direct.total(), gateway.total()), settled(GATEWAY));
    }

    /** Streams, direct and through the gateway, then many held open at once. */
    List<String> streams() throws Exception {
        loop(gatewayUri(), true, warmup());
        var direct = loop(directUri(), true, options.duration());
        var gateway = loop(gatewayUri(), true, options.duration());
        var lines = new ArrayList<>(List.of(line(GATEWAY_STREAM + " direct, first chunk", direct.first()),
                line(GATEWAY_STREAM + " through Tollgate, first chunk", gateway.first()),
                added(GATEWAY_STREAM + " first chunk", direct.first(), gateway.first()),
                added(GATEWAY_STREAM + " whole stream", direct.total(), gateway.total())));
        lines.add(openStreams(options.smoke() ? 50 : OPEN_STREAMS));
        lines.add(settled(GATEWAY_STREAM));
        return lines;
    }

    /** Unmeasured load through the gateway first, so that the node's JIT has compiled the proxy path. */
    private Duration warmup() {
        return options.smoke() ? Duration.ofSeconds(1) : max(options.serverWarmup(), Duration.ofSeconds(20));
    }

    private URI directUri() {
        return URI.create(upstream.baseUrl() + "/chat/completions");
    }

    private URI gatewayUri() {
        return node.baseUri().resolve("/openai/v1/chat/completions");
    }

    private record Timings(LatencySummary first, LatencySummary total, long failures) {}

    /** {@code --clients} clients back to back for {@code duration}. */
    private Timings loop(URI uri, boolean stream, Duration duration) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        var failures = new AtomicLong();
        List<Callable<long[][]>> clients = new ArrayList<>();
        for (int c = 0; c < options.clients(); c++) {
            clients.add(() -> {
                var first = new ArrayList<Long>();
                var total = new ArrayList<Long>();
                while (System.nanoTime() < end) {
                    long[] call = call(uri, nextKey(), stream, "");
                    if (call == null) {
                        failures.incrementAndGet();
                    } else {
                        first.add(call[0]);
                        total.add(call[1]);
                    }
                }
                return new long[][] {first.stream().mapToLong(Long::longValue).toArray(),
                        total.stream().mapToLong(Long::longValue).toArray()};
            });
        }
        var results = all(clients);
        return new Timings(LatencySummary.of(concat(results, 0)), LatencySummary.of(concat(results, 1)), failures.get());
    }

    /** One call: nanos to the first body bytes and to the end, or null when it failed. */
    private long[] call(URI uri, String bearer, boolean stream, String marker) throws InterruptedException {
        var request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(1))
                .POST(HttpRequest.BodyPublishers.ofString(BODY.formatted(marker, stream ? ",\"stream\":true" : "")))
                .build();
        long started = System.nanoTime();
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                int firstByte = in.read();
                long first = System.nanoTime() - started;
                byte[] rest = in.readAllBytes();
                long total = System.nanoTime() - started;
                boolean complete = !stream || new String(rest, StandardCharsets.UTF_8).contains("[DONE]");
                if (response.statusCode() == 200 && firstByte >= 0 && complete) {
                    if (!uri.equals(directUri())) {
                        answered.incrementAndGet();
                    }
                    return new long[] {first, total};
                }
                failed("status " + response.statusCode() + (complete ? "" : ", stream without [DONE]"));
                return null;
            }
        } catch (IOException e) {
            failed(e.getClass().getSimpleName() + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * The gateway commits before it answers: as soon as the last answer is in, every answered call is a
     * committed reservation and none is pending (read from the tables at once, not from Tollgate).
     */
    private String settled(String scenario) throws java.sql.SQLException {
        long pending = database.reservations(accounts, "pending");
        long committed = database.reservations(accounts, "committed");
        boolean all = pending == 0 && committed == answered.get();
        return scenario + " settled: " + committed + " committed reservations for " + answered.get()
                + " answered calls so far, " + pending + " pending right after the last answer"
                + (all ? "" : " — NOT SETTLED");
    }

    private void failed(String how) {
        failures.computeIfAbsent(how, key -> new AtomicLong()).incrementAndGet();
    }

    private String openStreams(int count) throws Exception {
        failures.clear();
        var start = new CountDownLatch(1);
        List<Callable<long[][]>> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String streamKey = keys.get(i % OPEN_STREAM_ACCOUNTS);
            streams.add(() -> {
                start.await();
                long[] call = call(gatewayUri(), streamKey, true, FakeProvider.HOLD);
                return new long[][] {call == null ? new long[0] : call};
            });
        }
        long started = System.nanoTime();
        start.countDown();
        var results = all(streams);
        long completed = results.stream().filter(result -> result[0].length == 2).count();
        return GATEWAY_STREAM + " open streams: " + count + " at once on one node (1 GiB heap) over "
                + OPEN_STREAM_ACCOUNTS + " accounts, each "
                + FakeProvider.HOLD_CHUNKS + " chunks " + FakeProvider.HOLD_CHUNK_INTERVAL.toMillis() + " ms apart: "
                + completed + " completed, " + (count - completed) + " failed, in "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms"
                + (failures.isEmpty() ? "" : "; failures: " + failures);
    }

    private static List<long[][]> all(List<Callable<long[][]>> tasks) throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<long[][]>>();
            for (var task : tasks) {
                futures.add(pool.submit(task));
            }
            var results = new ArrayList<long[][]>();
            for (var future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    private static long[] concat(List<long[][]> results, int index) {
        return results.stream().flatMapToLong(result -> java.util.Arrays.stream(result[index])).toArray();
    }

    private String line(String what, LatencySummary s) {
        return what + ": " + s.count() + " calls, p50 " + ms(s.p50Millis()) + " / p90 " + ms(s.p90Millis())
                + " / p99 " + ms(s.p99Millis()) + " / max " + ms(s.maxMillis()) + " ms (" + options.clients()
                + " clients over " + options.gatewayAccounts() + " accounts, think time " + THINK_TIME.toMillis()
                + " ms)";
    }

    private static String added(String what, LatencySummary direct, LatencySummary gateway) {
        return what + " added by the gateway: p50 " + ms(gateway.p50Millis() - direct.p50Millis()) + " ms, p99 "
                + ms(gateway.p99Millis() - direct.p99Millis()) + " ms";
    }

    private static String ms(double millis) {
        return String.format(java.util.Locale.ROOT, "%.2f", millis);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        http.close();
        node.close();
        upstream.close();
    }
}
