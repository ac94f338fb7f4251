package dev.tollgate;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * Another Tollgate node on the shared test database, started and stopped by a test: a second node of
 * the same deployment. It runs on the suite's {@link TestClock}, so that times written by one node mean
 * the same to every other node.
 */
public final class TollgateNode implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private TollgateNode(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static TollgateNode start(Map<String, ?> properties) {
        return start(TestDatabase.jdbcUrl(), properties);
    }

    /** A node on another database than the suite's, such as a cluster that a fault test stops and fails over. */
    public static TollgateNode start(String jdbcUrl, Map<String, ?> properties) {
        Map<String, Object> all = settings(jdbcUrl, properties);
        var context = new SpringApplicationBuilder(TollgateApplication.class, SharedClockConfig.class)
                .initializers(created -> created.getBeanFactory()
                        .registerSingleton("testComponentsExcluded", new TestComponentsExcluded()))
                // As arguments, because application.yml outranks SpringApplicationBuilder's default properties.
                .run(all.entrySet().stream().map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                        .toArray(String[]::new));
        return new TollgateNode(context);
    }

    /** Everything that makes a Tollgate instance a node of the test deployment on that database. */
    public static Map<String, Object> settings(String jdbcUrl, Map<String, ?> properties) {
        Map<String, Object> all = new HashMap<>();
        IntegrationTest.registerDatabase((key, value) -> {
            if (!key.equals("tollgate.database.url")) {
                all.put(key, value.get());
            }
        });
        all.put("tollgate.database.url", jdbcUrl);
        all.put("server.port", 0);
        all.put("spring.main.banner-mode", "off");
        all.putAll(properties);
        return all;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public Http admin() {
        return new Http("http://localhost:" + port(), IntegrationTest.ADMIN_KEY);
    }

    @Override
    public void close() {
        context.close();
    }

    /**
     * Keeps the test configurations that component scanning finds on the test classpath (such as the
     * suite's own clock) out of this node, as the test framework does for the suite's context.
     */
    static final class TestComponentsExcluded extends TypeExcludeFilter {
        @Override
        public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
            return reader.getAnnotationMetadata().isAnnotated(TestComponent.class.getName());
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof TestComponentsExcluded;
        }

        @Override
        public int hashCode() {
            return TestComponentsExcluded.class.hashCode();
        }
    }

    /**
     * Not a {@code @Configuration}: it must never be found by component scanning, neither by the
     * suite's context nor by other tests' nodes; it is registered only as a source of these nodes.
     */
    static class SharedClockConfig {
        @Bean
        @Primary
        Clock sharedTestClock() {
            return TestClock.SHARED;
        }
    }
}
