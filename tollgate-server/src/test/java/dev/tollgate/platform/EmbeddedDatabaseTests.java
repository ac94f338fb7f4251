package dev.tollgate.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.Http;
import dev.tollgate.TollgateApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** With no database configured, Tollgate runs its own PostgreSQL in the data folder. */
class EmbeddedDatabaseTests {

    private static final String ADMIN_KEY = "tg_embedded_test_admin_key_0001";

    @TempDir
    Path temporary;

    @Test
    void data_survives_a_restart_and_closing_leaves_no_postgresql_behind() throws Exception {
        Path dataDir = temporary.resolve("tollgate-data");

        try (var first = start(dataDir)) {
            var created = admin(first).post("/v1/accounts", Map.of("id", "survivor"));
            assertThat(created.status()).isEqualTo(201);
        }
        assertThat(postgresProcessesFor(dataDir)).isZero();
        assertThat(Files.exists(dataDir.resolve("pgdata").resolve("PG_VERSION"))).isTrue();

        try (var second = start(dataDir)) {
            var found = admin(second).get("/v1/accounts/survivor");
            assertThat(found.status()).isEqualTo(200);
            assertThat(found.json().path("credits").path("balance").asLong()).isEqualTo(3);
            assertThat(postgresProcessesFor(dataDir)).isEqualTo(1);
        }
        assertThat(postgresProcessesFor(dataDir)).isZero();
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(TollgateApplication.class).run(
                "--server.port=0", "--tollgate.database.url=", "--tollgate.database.data-dir=" + dataDir,
                "--tollgate.admin-key=" + ADMIN_KEY);
    }

    private static Http admin(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new Http("http://localhost:" + port, ADMIN_KEY);
    }

    /**
     * Counts the postmaster processes whose command line names this data folder. A backend the
     * postmaster has just forked shows the postmaster's command line until it renames itself, so
     * only processes whose parent is not such a process count.
     */
    private static long postgresProcessesFor(Path dataDir) {
        String marker = "-D " + dataDir.toAbsolutePath().normalize().resolve("pgdata");
        Predicate<ProcessHandle> namesDataDir =
                p -> p.info().commandLine().map(line -> line.contains(marker)).orElse(false);
        return ProcessHandle.allProcesses()
                .filter(namesDataDir)
                .filter(p -> p.parent().map(parent -> !namesDataDir.test(parent)).orElse(true))
                .count();
    }
}
