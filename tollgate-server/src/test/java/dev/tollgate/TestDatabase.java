package dev.tollgate;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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

    /**
     * A new, empty database of that name on the test PostgreSQL (dropped first if a previous run left it), for
     * a test that migrates a database of its own or changes its schema where the suite's tests would see it.
     */
    public static String createDatabase(String name) {
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return POSTGRES.getJdbcUrl("postgres", name);
    }
}
