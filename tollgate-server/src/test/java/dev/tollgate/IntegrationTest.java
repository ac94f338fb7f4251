package dev.tollgate;

import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that talk to a running Tollgate over HTTP, backed by the shared test PostgreSQL.
 * All such tests share one application context, so the suite starts Tollgate once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(IntegrationTest.TestClockConfig.class)
public abstract class IntegrationTest {

    public static final String ADMIN_KEY = "tg_test_admin_key_that_is_long_enough_0001";
    public static final String STRIPE_WEBHOOK_SECRET = "whsec_test_integration_secret_0001";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    @LocalServerPort
    protected int port;

    @Autowired
    protected TestClock clock;

    @Autowired
    protected DataSource dataSource;

    protected Http http;
    protected Http admin;
    protected JdbcClient sql;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registerDatabase(registry::add);
    }

    /** The properties that make any Tollgate instance a node on the shared test database. */
    public static void registerDatabase(java.util.function.BiConsumer<String, java.util.function.Supplier<Object>> add) {
        add.accept("tollgate.database.url", TestDatabase::jdbcUrl);
        add.accept("tollgate.database.user", () -> "postgres");
        add.accept("tollgate.database.password", () -> "");
        add.accept("tollgate.admin-key", () -> ADMIN_KEY);
        add.accept("tollgate.stripe.webhook-secret", () -> STRIPE_WEBHOOK_SECRET);
        // Test receivers listen on 127.0.0.1; production refuses such webhook URLs.
        add.accept("tollgate.webhooks.allow-private-networks", () -> "true");
    }

    @BeforeEach
    void connect() {
        http = new Http("http://localhost:" + port, null);
        admin = http.as(ADMIN_KEY);
        sql = JdbcClient.create(dataSource);
    }

    /** A name no other test uses, for accounts, keys and idempotency keys. */
    protected static String unique(String prefix) {
        return prefix + "-" + System.nanoTime() + "-" + SEQUENCE.incrementAndGet();
    }

    /** Creates a key with the given role and returns its secret. */
    protected String keyWithRole(String role) {
        var created = admin.post("/v1/api-keys", java.util.Map.of("name", unique(role), "role", role));
        if (created.status() != 201) {
            throw new IllegalStateException("could not create a " + role + " key: " + created);
        }
        return created.json().path("secret").asString();
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class TestClockConfig {
        @Bean
        @Primary
        TestClock testClock() {
            return TestClock.SHARED;
        }
    }

}
