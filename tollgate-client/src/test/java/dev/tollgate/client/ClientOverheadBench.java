package dev.tollgate.client;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * The client's own cost per reserve+commit cycle, against the same two calls made by hand with the same
 * JDK HttpClient (bodies as prebuilt strings, the reservation id cut out of the answer without a JSON
 * parser: the cheapest a hand-rolled integration can be). Rounds alternate so that both see the same
 * warm server. CPU is measured apart for this JVM (the caller's side) and for the server's process.
 * Not a test: it reports and never fails on timing. It runs in Maven's JVM and starts the server with
 * that JVM's java, so JAVA_HOME must be a JDK 21 or newer (BENCHMARKS.md, "Java client overhead").
 *
 * <pre>
 * ./mvnw -B -ntp -q test-compile -pl tollgate-client
 * JAVA_HOME=/path/to/jdk-21+ ./mvnw -B -ntp -q exec:java -pl tollgate-client -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.tollgate.client.ClientOverheadBench -Dexec.args=3000 \
 *     -Dtollgate.server.jar=tollgate-server/target/tollgate-server.jar
 * </pre>
 */
public final class ClientOverheadBench {

    private static final int ROUNDS = 3;

    private record Cost(long cycles, long wallNanos, long callerCpuNanos, long serverCpuNanos) {
        String line(String name) {
            return String.format(
                    "%-8s %6d cycles  %7.1f cycles/s  caller CPU %6.1f us/cycle  server CPU %6.1f us/cycle", name,
                    cycles, cycles * 1e9 / wallNanos, callerCpuNanos / 1e3 / cycles, serverCpuNanos / 1e3 / cycles);
        }
    }

    private ClientOverheadBench() {}

    public static void main(String[] args) throws Exception {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        RealTollgate tollgate = RealTollgate.instance();
        TollgateClient client = TollgateClient.builder().baseUrl(tollgate.baseUrl()).apiKey(RealTollgate.ADMIN_KEY)
                .build();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        String account = RealTollgate.newAccountId("bench");
        client.createAccount(NewAccount.of(account, "business"));
        ReserveRequest request = ReserveRequest.builder(account, "openai", "gpt-4o").inputTokens(10).maxOutputTokens(10)
                .build();

        Runnable viaClient = () -> {
            try (Reservation reservation = client.reserve(request)) {
                reservation.commit(Usage.of(10, 10));
            }
        };
        String reserveBody = "{\"account_id\":\"" + account + "\",\"provider\":\"openai\",\"model\":\"gpt-4o\","
                + "\"input_tokens\":10,\"max_output_tokens\":10}";
        Runnable viaRaw = () -> rawCycle(http, tollgate.baseUrl(), reserveBody);

        measure(tollgate, viaClient, cycles / 4);
        measure(tollgate, viaRaw, cycles / 4);
        Cost raw = new Cost(0, 0, 0, 0);
        Cost typed = new Cost(0, 0, 0, 0);
        for (int round = 0; round < ROUNDS; round++) {
            raw = plus(raw, measure(tollgate, viaRaw, cycles));
            typed = plus(typed, measure(tollgate, viaClient, cycles));
        }
        System.out.println(raw.line("raw"));
        System.out.println(typed.line("client"));
        double callerRaw = (double) raw.callerCpuNanos() / raw.cycles();
        double callerClient = (double) typed.callerCpuNanos() / typed.cycles();
        double totalRaw = (double) (raw.callerCpuNanos() + raw.serverCpuNanos()) / raw.cycles();
        double totalClient = (double) (typed.callerCpuNanos() + typed.serverCpuNanos()) / typed.cycles();
        System.out.printf("client overhead: caller CPU %+.1f %%, caller + server CPU %+.1f %% per cycle%n",
                100 * (callerClient / callerRaw - 1), 100 * (totalClient / totalRaw - 1));
        client.close();
        System.exit(0);
    }

    private static void rawCycle(HttpClient http, String baseUrl, String reserveBody) {
        try {
            var reserved = http.send(post(baseUrl + "/v1/reservations", reserveBody),
                    HttpResponse.BodyHandlers.ofString());
            String body = reserved.body();
            int start = body.indexOf("\"id\":\"") + 6;
            String id = body.substring(start, body.indexOf('"', start));
            var committed = http.send(post(baseUrl + "/v1/reservations/" + id + "/commit",
                    "{\"input_tokens\":10,\"output_tokens\":10}"), HttpResponse.BodyHandlers.ofString());
            if (reserved.statusCode() != 201 || committed.statusCode() != 200) {
                throw new IllegalStateException(
                        "raw cycle answered " + reserved.statusCode() + "/" + committed.statusCode());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + RealTollgate.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static Cost measure(RealTollgate tollgate, Runnable cycle, int cycles) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long caller = os.getProcessCpuTime();
        long server = tollgate.serverCpuNanos();
        long started = System.nanoTime();
        for (int i = 0; i < cycles; i++) {
            cycle.run();
        }
        return new Cost(cycles, System.nanoTime() - started, os.getProcessCpuTime() - caller,
                tollgate.serverCpuNanos() - server);
    }

    private static Cost plus(Cost a, Cost b) {
        return new Cost(a.cycles() + b.cycles(), a.wallNanos() + b.wallNanos(), a.callerCpuNanos() + b.callerCpuNanos(),
                a.serverCpuNanos() + b.serverCpuNanos());
    }
}
