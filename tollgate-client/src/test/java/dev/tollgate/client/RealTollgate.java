package dev.tollgate.client;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real Tollgate server, its own jar in a JVM of its own, on a PostgreSQL this test JVM owns (so a
 * test can edit a row as the seeds' scenarios do: an expired trial, a canceled subscription). Started
 * once per test JVM; every test isolates itself by creating its own accounts.
 */
public final class RealTollgate {

    public static final String ADMIN_KEY = "tg_client_tests_admin_key_long_enough_0001";

    private static final Duration STARTUP_MAX = Duration.ofSeconds(180);
    private static final AtomicLong ACCOUNTS = new AtomicLong();
    private static RealTollgate instance;

    private final EmbeddedPostgres postgres;
    private final Process process;
    private final int port;
    private final Path log;

    private RealTollgate(EmbeddedPostgres postgres, Process process, int port, Path log) {
        this.postgres = postgres;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The one node of this test JVM, started on first use and stopped when the JVM exits. */
    public static synchronized RealTollgate instance() {
        if (instance == null) {
            try {
                instance = start(Map.of());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
        }
        return instance;
    }

    private static RealTollgate start(Map<String, String> settings) throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        int port = freePort();
        String jar = System.getProperty("tollgate.server.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the server jar is unknown or missing (tollgate.server.jar=" + jar
                    + "): run the tests through Maven, which builds it first");
        }
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-jar", jar,
                "--server.port=" + port,
                "--tollgate.database.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--tollgate.database.user=postgres",
                "--tollgate.database.password=",
                "--tollgate.admin-key=" + ADMIN_KEY,
                // Open event streams would hold a graceful shutdown for its full 20 s.
                "--spring.lifecycle.timeout-per-shutdown-phase=2s"));
        settings.forEach((key, value) -> command.add("--" + key + "=" + value));
        Path log = Files.createTempFile("tollgate-server", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var node = new RealTollgate(postgres, process, port, log);
        node.awaitHealthy();
        return node;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** A client with the admin key and quick retries, as a test wants. */
    public TollgateClient admin() {
        return TollgateClient.builder().baseUrl(baseUrl()).apiKey(ADMIN_KEY)
                .retry(new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(100))).build();
    }

    /** CPU the server's process has used so far (for the overhead bench). */
    public long serverCpuNanos() {
        return process.info().totalCpuDuration().map(Duration::toNanos)
                .orElseThrow(() -> new IllegalStateException("this platform does not report a process's CPU time"));
    }

    /** A new API key with {@code role} (admin, service or read), made with the admin key; returns its secret. */
    public String createKey(String role) {
        HttpRequest create = HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/api-keys"))
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"client tests\", \"role\": \"" + role + "\"}"))
                .build();
        try {
            var answer = HttpClient.newHttpClient().send(create, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 201) {
                throw new IllegalStateException("creating a " + role + " key answered " + answer.statusCode());
            }
            return Json.tree(answer.body()).path("secret").asString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A fresh account id that no other test uses. */
    public static String newAccountId(String hint) {
        return hint + "-" + System.nanoTime() + "-" + ACCOUNTS.incrementAndGet();
    }

    /** Runs one SQL statement on Tollgate's database, as the seeds' scenarios edit rows by hand. */
    public int sql(String statement, Object... parameters) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                PreparedStatement prepared = connection.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                prepared.setObject(i + 1, parameters[i]);
            }
            return prepared.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitHealthy() throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP_MAX.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Tollgate exited while starting:\n" + Files.readString(log));
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Starting: the port opens when the context is ready.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause(250);
        }
        stop();
        throw new IllegalStateException(
                "Tollgate was not healthy within " + STARTUP_MAX + ":\n" + Files.readString(log));
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            postgres.close();
            Files.deleteIfExists(log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("the path of this JVM's java is unknown"));
    }
}
