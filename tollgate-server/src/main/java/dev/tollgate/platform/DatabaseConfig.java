package dev.tollgate.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses the database. With nothing configured, Tollgate starts a real PostgreSQL from the binaries
 * bundled on the classpath, keeps its files in the data directory across restarts, and stops it when
 * the application context closes (SIGTERM, Ctrl-C), after the connection pool has drained.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfig.class);
    private static final Duration EMBEDDED_STARTUP_WAIT = Duration.ofSeconds(60);

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(DatabaseProperties properties) {
        if (!properties.embedded()) {
            return EmbeddedDatabase.none();
        }
        return EmbeddedDatabase.start(properties.dataDir());
    }

    @Bean(destroyMethod = "close")
    FailFastDataSource dataSource(DatabaseProperties properties, EmbeddedDatabase embedded) {
        var config = new HikariConfig();
        config.setPoolName("tollgate");
        config.setMaximumPoolSize(properties.poolSize());
        config.setConnectionTimeout(properties.connectionTimeout().toMillis());
        config.setValidationTimeout(properties.validationTimeout().toMillis());
        // The driver's own limits, so that a server that stops answering (a dead primary whose packets
        // vanish) fails the call instead of holding it; settings in the URL take precedence.
        config.addDataSourceProperty("connectTimeout",
                String.valueOf(Math.max(1, properties.connectionTimeout().toSeconds())));
        config.addDataSourceProperty("socketTimeout", String.valueOf(properties.socketTimeout().toSeconds()));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        if (properties.embedded()) {
            config.setJdbcUrl(embedded.jdbcUrl());
            config.setUsername("postgres");
            log.info("Using embedded PostgreSQL on port {} with data in {}", embedded.port(),
                    properties.dataDir().toAbsolutePath().normalize());
        } else {
            config.setJdbcUrl(properties.url());
            config.setUsername(properties.user());
            config.setPassword(properties.password());
            log.info("Using external PostgreSQL at {} as user {}", withoutQuery(properties.url()), properties.user());
        }
        return new FailFastDataSource(new HikariDataSource(config));
    }

    @Bean
    FilterRegistrationBean<DatabaseOutageFilter> databaseOutageFilter(ProblemWriter problems) {
        var registration = new FilterRegistrationBean<>(new DatabaseOutageFilter(problems));
        registration.setOrder(DatabaseOutageFilter.ORDER);
        return registration;
    }

    /** JDBC URLs may carry credentials as query parameters; the log gets host and database only. */
    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    /** The embedded server, or nothing when an external database is configured. */
    static final class EmbeddedDatabase implements AutoCloseable {
        private final @Nullable EmbeddedPostgres postgres;

        private EmbeddedDatabase(@Nullable EmbeddedPostgres postgres) {
            this.postgres = postgres;
        }

        static EmbeddedDatabase none() {
            return new EmbeddedDatabase(null);
        }

        static EmbeddedDatabase start(Path dataDir) {
            try {
                Files.createDirectories(dataDir);
                Path pgData = dataDir.resolve("pgdata").toAbsolutePath().normalize();
                // Initialise only on the first start; later starts reuse the same cluster.
                boolean firstStart = !Files.exists(pgData.resolve("PG_VERSION"));
                var postgres = EmbeddedPostgres.builder()
                        .setDataDirectory(pgData)
                        .setCleanDataDirectory(false)
                        .setRegisterShutdownHook(false)
                        .setPGStartupWait(EMBEDDED_STARTUP_WAIT)
                        .setServerConfig("max_connections", "200")
                        // The library's defaults are for throwaway test databases (-F, no synchronous
                        // commit); a ledger must survive a power cut, so both are switched back on.
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .start();
                log.info("Embedded PostgreSQL {} in {}", firstStart ? "initialised" : "reopened", pgData);
                return new EmbeddedDatabase(postgres);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start embedded PostgreSQL in " + dataDir, e);
            }
        }

        String jdbcUrl() {
            return running().getJdbcUrl("postgres", "postgres");
        }

        int port() {
            return running().getPort();
        }

        private EmbeddedPostgres running() {
            if (postgres == null) {
                throw new IllegalStateException("No embedded PostgreSQL: an external database is configured");
            }
            return postgres;
        }

        @Override
        public void close() throws IOException {
            if (postgres != null) {
                postgres.close();
                log.info("Embedded PostgreSQL stopped");
            }
        }
    }
}
