package dev.tollgate.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The one PostgreSQL of a run: embedded, in a fresh temporary folder, shared by every Tollgate instance
 * the run starts and by the raw JDBC baseline, so that all of them hit exactly the same database.
 */
final class Postgres implements AutoCloseable {

    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    /** Settings recorded with the results, because each of them moves the figures. */
    private static final List<String> SETTINGS = List.of(
            "server_version", "synchronous_commit", "fsync", "shared_buffers", "max_connections", "work_mem");

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final List<String> recordedSettings;

    private Postgres(EmbeddedPostgres postgres, Path dataDir, List<String> recordedSettings) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.recordedSettings = recordedSettings;
    }

    /**
     * Starts a fresh cluster; with {@code statementStats}, pg_stat_statements is loaded too (for profiling).
     * {@code durable} switches fsync and synchronous commit on, as Tollgate's own embedded database runs (the
     * library's defaults are for throwaway test databases); off shows what durability costs. Each of
     * {@code extraSettings} ({@code name=value}) is set last, so it wins, and is recorded with the results.
     */
    static Postgres start(Path logFile, boolean statementStats, boolean durable, List<String> extraSettings)
            throws IOException {
        Path dataDir = Files.createTempDirectory("tollgate-bench-pg");
        var builder = EmbeddedPostgres.builder();
        if (statementStats) {
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
        }
        builder
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(true)
                .setPGStartupWait(STARTUP_WAIT)
                // Two server pools, the raw baseline's clients and the bench's own connections.
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", durable ? "on" : "off")
                .setServerConfig("synchronous_commit", durable ? "on" : "off")
                // Every autovacuum action in postgres.log, with its CPU: the report lists the rounds.
                .setServerConfig("log_autovacuum_min_duration", "0")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        var recorded = new ArrayList<>(SETTINGS);
        for (String setting : extraSettings) {
            int equals = setting.indexOf('=');
            String name = setting.substring(0, equals).trim();
            builder.setServerConfig(name, setting.substring(equals + 1).trim());
            if (!recorded.contains(name)) {
                recorded.add(name);
            }
        }
        var postgres = builder.start();
        return new Postgres(postgres, dataDir, List.copyOf(recorded));
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    Map<String, String> settings() throws SQLException {
        var settings = new LinkedHashMap<String, String>();
        try (var connection = connect(); var statement = connection.createStatement()) {
            for (String name : recordedSettings) {
                try (var rows = statement.executeQuery("SHOW " + name)) {
                    rows.next();
                    settings.put(name, rows.getString(1));
                }
            }
        }
        return settings;
    }

    /** The postmaster's process id, whose children are the backends that do the database's work. */
    OptionalLong pid() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.getFirst().trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
