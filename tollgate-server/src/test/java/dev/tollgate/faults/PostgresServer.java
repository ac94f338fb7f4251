package dev.tollgate.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster the test owns, from the installed PostgreSQL 15 binaries (Debian's
 * {@code postgresql} package): started, stopped with {@code -m immediate} as a crash would, restarted,
 * copied into a streaming standby with {@code pg_basebackup -R} and promoted. The embedded test
 * database cannot do this: its bundle has neither {@code pg_basebackup} nor a way to stop it abruptly.
 * PostgreSQL refuses to run as root, so as root every command runs as the {@code postgres} user.
 */
final class PostgresServer implements AutoCloseable {

    static final Path BIN = Path.of(System.getProperty("tollgate.faults.pg-bin", "/usr/lib/postgresql/15/bin"));
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private static final String OS_USER = "postgres";
    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private final Path dataDir;
    private final int port;
    private boolean running;

    private PostgresServer(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** A new cluster in {@code root}, started, with {@code settings} (postgresql.conf lines) added. */
    static PostgresServer primary(Path root, String name, List<String> settings) {
        requireBinaries();
        var server = new PostgresServer(root.resolve(name), freePort());
        server.run(BIN.resolve("initdb").toString(), "-D", server.dataDir.toString(), "-U", "postgres", "-A", "trust",
                "--no-sync", "-E", "UTF8", "--locale=C");
        var conf = new ArrayList<>(List.of(
                "port = " + server.port,
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + server.dataDir + "'",
                "max_connections = 200",
                // The machine stays up in these tests (only PostgreSQL dies), so the page cache keeps
                // every write; what the tests prove is what PostgreSQL acknowledges, not the disk's fsync.
                "fsync = off",
                "wal_level = replica",
                "max_wal_senders = 5"));
        conf.addAll(settings);
        server.appendConfig(conf);
        server.start();
        return server;
    }

    /**
     * A streaming standby of {@code primary} ({@code pg_basebackup -R}), started, connecting as
     * {@code applicationName}, which is the name {@code synchronous_standby_names} refers to.
     */
    static PostgresServer standbyOf(PostgresServer primary, Path root, String name, String applicationName) {
        var standby = new PostgresServer(root.resolve(name), freePort());
        standby.run(BIN.resolve("pg_basebackup").toString(), "-D", standby.dataDir.toString(), "-h", "127.0.0.1",
                "-p", String.valueOf(primary.port), "-U", "postgres", "-R", "-X", "stream", "--no-sync");
        // Later lines win: the standby's own port and socket, and a connection that names itself. Once
        // promoted it has no standby of its own, so it must not wait for one (the copied primary settings would).
        standby.appendConfig(List.of(
                "port = " + standby.port,
                "synchronous_standby_names = ''",
                "unix_socket_directories = '" + standby.dataDir + "'",
                "primary_conninfo = 'host=127.0.0.1 port=" + primary.port + " user=postgres application_name="
                        + applicationName + "'"));
        standby.start();
        return standby;
    }

    /** A fresh directory for clusters, which the user PostgreSQL runs as may write. */
    static Path workDirectory() {
        try {
            Path root = Files.createTempDirectory("tollgate-faults");
            if (ROOT) {
                var users = root.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(root, users.lookupPrincipalByName(OS_USER));
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void start() {
        run(BIN.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-l", dataDir.resolve("server.log").toString(),
                "-w", "-t", String.valueOf(COMMAND_TIMEOUT_SECONDS), "start");
        running = true;
    }

    /** As a crash: every backend is killed at once, nothing is checkpointed, the next start recovers from WAL. */
    void stopImmediately() {
        run(BIN.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop");
        running = false;
    }

    /** Makes a standby the primary and waits until it accepts writes. */
    void promote() {
        run(BIN.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "promote");
    }

    int port() {
        return port;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    @Override
    public void close() {
        if (running) {
            stopImmediately();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireBinaries() {
        for (String binary : List.of("initdb", "pg_ctl", "postgres", "pg_basebackup")) {
            if (!Files.isExecutable(BIN.resolve(binary))) {
                throw new IllegalStateException("The fault tests need PostgreSQL's server binaries (initdb, pg_ctl, "
                        + "postgres, pg_basebackup) in " + BIN + ", and " + BIN.resolve(binary) + " is missing. "
                        + "Install them (Debian/Ubuntu: apt-get install postgresql-15) or point "
                        + "-Dtollgate.faults.pg-bin at another PostgreSQL's bin directory.");
            }
        }
    }

    private void appendConfig(List<String> lines) {
        try {
            Files.write(dataDir.resolve("postgresql.auto.conf"), lines, StandardOpenOption.APPEND,
                    StandardOpenOption.CREATE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run(String... command) {
        var line = new ArrayList<String>();
        if (ROOT) {
            line.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        line.addAll(List.of(command));
        try {
            Path output = Files.createTempFile("pg-command", ".log");
            Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            boolean finished = process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String printed = Files.readString(output);
            Files.delete(output);
            if (!finished) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish: " + printed);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
                        + printed + serverLog());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String serverLog() throws IOException {
        Path log = dataDir.resolve("server.log");
        return Files.exists(log) ? "\nserver.log:\n" + Files.readString(log) : "";
    }

    static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
