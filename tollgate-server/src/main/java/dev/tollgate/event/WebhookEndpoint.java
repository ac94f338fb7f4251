package dev.tollgate.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A URL that receives the events of every account, or only those of {@code eventTypes} when that is
 * not empty. The secret signs each delivery; it is shown to the admin once, at creation.
 */
public record WebhookEndpoint(String id, String url, @Nullable String description, List<String> eventTypes,
        String secret, Instant createdAt) {

    public WebhookEndpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        eventTypes = List.copyOf(eventTypes);
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "WebhookEndpoint[id=" + id + ", url=" + url + ", eventTypes=" + eventTypes + ", secret=<redacted>]";
    }
}
