package dev.tollgate;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;

/**
 * One real PostgreSQL per test JVM. Every Tollgate instance a test starts points at it as an external
 * database, so two instances share one database exactly as two nodes of a deployment do. Tests isolate
 * themselves by creating their own accounts, never by rolling back.
 */
public final class TestDatabase {

    private static final EmbeddedPostgres POSTGRES = start();

    private TestDatabase() {}

    private static EmbeddedPostgres start() {
        try {
            return EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String jdbcUrl() {
        return POSTGRES.getJdbcUrl("postgres", "postgres");
    }

    public static DataSource dataSource() {
        return POSTGRES.getPostgresDatabase();
    }
}
