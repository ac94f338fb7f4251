package dev.tollgate.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One Tollgate instance, run as its own process from the server's jar with the JDK that runs the bench,
 * pointed at the run's PostgreSQL. Its console output goes to a log file in the results folder.
 */
final class TollgateServer implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration HEALTH_POLL_INTERVAL = Duration.ofMillis(250);
    /**
     * A fixed heap, as a server is run: left to grow from its small default, G1 kept the node's heap near
     * 160 MB with half of it live and paused 13-16 ms for a remark every 9 s under load.
     */
    private static final List<String> HEAP = List.of("-Xms1g", "-Xmx1g");

    private final String name;
    private final Process process;
    private final URI baseUri;
    private final Path log;
    private final Optional<Path> recording;
    private final Path argumentFile;

    private TollgateServer(String name, Process process, URI baseUri, Path log, Optional<Path> recording,
            Path argumentFile) {
        this.name = name;
        this.process = process;
        this.baseUri = baseUri;
        this.log = log;
        this.recording = recording;
        this.argumentFile = argumentFile;
    }

    /**
     * Starts an instance and returns once {@code /actuator/health} answers UP.
     *
     * @param recording where to write a JFR recording of the whole life of the process, if wanted
     * @param properties Spring properties ({@code name=value}) given to the application, to measure a change
     * @param jvmOptions JVM options added after the bench's own, to measure a change (a collector, a heap)
     */
    static TollgateServer start(String name, Path jar, String databaseUrl, String adminKey, Path outputDir,
            Optional<Path> recording, List<String> properties, List<String> jvmOptions)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No server jar at " + jar
                    + "; build it first: ./mvnw -q -pl tollgate-server -am package -DskipTests");
        }
        int port = freePort();
        var arguments = new ArrayList<>(HEAP);
        recording.ifPresent(file -> arguments.addAll(List.of(
                // Spring's stacks are deep; the default 64 frames would cut Tollgate's own frames off.
                "-XX:FlightRecorderOptions=stackdepth=256",
                "-XX:StartFlightRecording=filename=" + file + ",settings=profile,dumponexit=true")));
        arguments.addAll(jvmOptions);
        arguments.addAll(List.of("-jar", jar.toString()));
        properties.forEach(property -> arguments.add("--" + property));
        // The JVM reads its arguments from a file, so the process's command line names no jar: on a shared
        // machine, someone else's `pkill -f tollgate` must not end a measurement half-way.
        Path argumentFile = Files.createTempDirectory("bench-node").resolve("node.args");
        Files.write(argumentFile, arguments.stream().map(TollgateServer::quoted).toList());
        var command = List.of(javaExecutable(), "@" + argumentFile);
        Path log = outputDir.resolve(name + ".log");
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        var environment = builder.environment();
        environment.put("SERVER_PORT", Integer.toString(port));
        environment.put("TOLLGATE_DATABASE_URL", databaseUrl);
        environment.put("TOLLGATE_DATABASE_USER", "postgres");
        environment.put("TOLLGATE_DATABASE_PASSWORD", "");
        environment.put("TOLLGATE_ADMIN_KEY", adminKey);
        var server = new TollgateServer(name, builder.start(), URI.create("http://127.0.0.1:" + port), log, recording,
                argumentFile);
        try {
            server.awaitHealthy();
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** An argument-file entry: quoted, with backslashes and quotes escaped as the java launcher expects. */
    static String quoted(String argument) {
        return "\"" + argument.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The java command of this JVM, so the server runs on the same JDK as the bench. */
    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var request = HttpRequest.newBuilder(baseUri.resolve("/actuator/health"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue()
                        + " while starting; see " + log + "\n" + tail());
            }
            try {
                var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // The port opens only once the application context has started.
            }
            Thread.sleep(HEALTH_POLL_INTERVAL);
        }
        throw new IllegalStateException(name + " was not healthy after " + STARTUP_TIMEOUT + "; see " + log);
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** Fails loudly when the process has gone (e.g. something outside the run sent it a signal). */
    void requireAlive(String during) {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with status " + process.exitValue() + " during " + during
                    + " (143 is SIGTERM from outside the bench); see " + log);
        }
    }

    String name() {
        return name;
    }

    URI baseUri() {
        return baseUri;
    }

    long pid() {
        return process.pid();
    }

    Optional<Path> recording() {
        return recording;
    }

    /** Stops the instance gracefully (SIGTERM), so that a JFR recording is written out, then waits. */
    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(SHUTDOWN_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        Files.deleteIfExists(argumentFile);
        Files.deleteIfExists(argumentFile.getParent());
    }
}
