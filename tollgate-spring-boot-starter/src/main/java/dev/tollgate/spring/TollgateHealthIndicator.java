package dev.tollgate.spring;

import dev.tollgate.client.TollgateClient;
import java.net.URI;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** UP while Tollgate answers its own health check; a host app that fails closed cannot work without it. */
public final class TollgateHealthIndicator implements HealthIndicator {

    private final TollgateClient client;
    private final URI baseUrl;

    public TollgateHealthIndicator(TollgateClient client, URI baseUrl) {
        this.client = client;
        this.baseUrl = baseUrl;
    }

    @Override
    public Health health() {
        var health = client.healthy() ? Health.up() : Health.down();
        return health.withDetail("base_url", baseUrl.toString()).withDetail("pending_usage", client.pendingUsage())
                .build();
    }
}
