package dev.tollgate;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Another Tollgate instance on the shared test database: a second node of the same deployment. */
public final class TollgateNode implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private TollgateNode(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static TollgateNode start(Map<String, String> extraProperties) {
        var properties = new HashMap<String, Object>();
        IntegrationTest.registerDatabase((name, value) -> properties.put(name, value.get()));
        properties.put("server.port", "0");
        properties.putAll(extraProperties);
        // Command-line arguments outrank application.yml, as the environment does in production.
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        var context = new SpringApplicationBuilder(TollgateApplication.class).run(args);
        return new TollgateNode(context);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public Http admin() {
        return new Http("http://localhost:" + port(), IntegrationTest.ADMIN_KEY);
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
