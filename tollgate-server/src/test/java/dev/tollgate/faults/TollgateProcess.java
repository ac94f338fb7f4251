package dev.tollgate.faults;

import dev.tollgate.Http;
import dev.tollgate.IntegrationTest;
import dev.tollgate.TollgateNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Tollgate node in a JVM of its own, so that a test can kill it as a crash does (SIGKILL): no shutdown
 * hook, no graceful drain, connections dropped mid-request. It runs the application's own classes on
 * the test's dependency classpath, without the test classes, on the real clock.
 */
final class TollgateProcess implements AutoCloseable {

    private static final Duration STARTUP_MAX = Duration.ofSeconds(120);

    private final Process process;
    private final int port;
    private final Path log;

    private TollgateProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static TollgateProcess start(String jdbcUrl, Map<String, Object> settings) throws IOException {
        int port = PostgresServer.freePort();
        Map<String, Object> all = new HashMap<>(TollgateNode.settings(jdbcUrl, settings));
        all.put("server.port", port);
        var command = new ArrayList<>(List.of(javaBinary(), "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-cp", applicationClasspath(), "dev.tollgate.TollgateApplication"));
        all.forEach((key, value) -> command.add("--" + key + "=" + value));
        Path log = Files.createTempFile("tollgate-node", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var node = new TollgateProcess(process, port, log);
        node.awaitHealthy();
        return node;
    }

    Http admin() {
        return new Http("http://localhost:" + port, IntegrationTest.ADMIN_KEY);
    }

    /** SIGKILL: the JVM ends at once, with whatever requests and transactions it had in flight. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the node did not die from SIGKILL");
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            kill();
        }
        Files.deleteIfExists(log);
    }

    private void awaitHealthy() throws IOException {
        var health = new Http("http://localhost:" + port, null);
        long deadline = System.nanoTime() + STARTUP_MAX.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the node exited while starting:\n" + Files.readString(log));
            }
            try {
                if (health.get("/actuator/health").status() == 200) {
                    return;
                }
            } catch (UncheckedIOException notListeningYet) {
                // Starting: the port opens when the context is ready.
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the node was not healthy within " + STARTUP_MAX + ":\n" + Files.readString(log));
    }

    /** Surefire runs tests from a manifest-only jar and names the real classpath in a property. */
    private static String applicationClasspath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes" + File.separator))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("the path of this JVM's java is unknown"));
    }
}
