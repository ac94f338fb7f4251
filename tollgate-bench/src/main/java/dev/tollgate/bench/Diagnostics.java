package dev.tollgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the run looked like when a call first failed: every node's threads (virtual ones included) and what
 * every PostgreSQL session was doing and waiting for. Taken at once, on its own thread, because a stall
 * that makes calls fail is usually over by the time the scenario ends.
 */
final class Diagnostics {

    private static final long JCMD_TIMEOUT_SECONDS = 30;

    private final Path outputDir;
    private final Postgres postgres;
    private final AtomicBoolean taken = new AtomicBoolean();
    private final List<String> written = new ArrayList<>();

    Diagnostics(Path outputDir, Postgres postgres) {
        this.outputDir = outputDir;
        this.postgres = postgres;
    }

    /** Captures once per run; later failures are the same story. */
    void captureOnce(String scenario, List<TollgateServer> servers, Exception failure) {
        if (!taken.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().name("bench-diagnostics").start(() -> capture(scenario, servers, failure));
    }

    /** The files written, for the run's notes. */
    synchronized List<String> written() {
        return List.copyOf(written);
    }

    private void capture(String scenario, List<TollgateServer> servers, Exception failure) {
        Bench.log("first failed call in " + scenario + " (" + failure.getMessage() + "); capturing diagnostics");
        Path sessions = outputDir.resolve("diagnostics-" + scenario + "-pg_stat_activity.txt");
        try {
            Files.writeString(sessions, "First failure: " + failure + "\n\n" + sessions());
            record(sessions);
        } catch (Exception e) {
            Bench.log("could not read pg_stat_activity: " + e);
        }
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        for (TollgateServer server : servers) {
            Path threads = outputDir.resolve("diagnostics-" + scenario + "-" + server.name() + "-threads.txt");
            try {
                var process = new ProcessBuilder(jcmd.toString(), Long.toString(server.pid()), "Thread.dump_to_file",
                        "-overwrite", threads.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (process.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS) && Files.exists(threads)) {
                    record(threads);
                } else {
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                Bench.log("could not dump the threads of " + server.name() + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private synchronized void record(Path file) {
        written.add(outputDir.relativize(file).toString());
    }

    private String sessions() throws java.sql.SQLException {
        var text = new StringBuilder();
        try (var connection = postgres.connect(); var statement = connection.createStatement();
                var rows = statement.executeQuery("""
                        SELECT pid, application_name, state, wait_event_type, wait_event,
                               now() - xact_start AS in_transaction, now() - query_start AS in_query,
                               pg_blocking_pids(pid) AS blocked_by, left(regexp_replace(query, '\\s+', ' ', 'g'), 160)
                          FROM pg_stat_activity
                         WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
                         ORDER BY xact_start NULLS LAST
                        """)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int column = 1; column <= columns; column++) {
                    text.append(column == 1 ? "" : " | ").append(rows.getString(column));
                }
                text.append('\n');
            }
        }
        return text.toString();
    }
}
