package dev.tollgate.event;

import dev.tollgate.platform.Ids;
import dev.tollgate.platform.PlatformProblem;
import dev.tollgate.platform.ProblemException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers the URLs that receive events and shows how their deliveries went. Registration starts
 * delivery of every event appended afterwards; deletion cancels what is still pending.
 */
@Service
public class WebhookEndpoints {

    public static final int URL_LENGTH_MAX = 2048;
    public static final int DESCRIPTION_LENGTH_MAX = 500;
    public static final int EVENT_TYPES_MAX = 50;
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_.]{0,63}");

    private final WebhookStore store;
    private final Clock clock;
    private final WebhookProperties properties;
    private final WebhookDispatcher dispatcher;

    WebhookEndpoints(WebhookStore store, Clock clock, WebhookProperties properties, WebhookDispatcher dispatcher) {
        this.store = store;
        this.clock = clock;
        this.properties = properties;
        this.dispatcher = dispatcher;
    }

    /** Registers {@code url}; the returned endpoint carries the signing secret, which is never shown again. */
    public WebhookEndpoint create(String url, @Nullable List<String> eventTypes, @Nullable String description) {
        requireDeliverableUrl(url);
        if (!properties.allowPrivateNetworks()) {
            WebhookTargets.refusal(URI.create(url)).ifPresent(reason -> {
                throw invalid("url", "must be reachable on the public internet: " + reason);
            });
        }
        if (description != null && description.length() > DESCRIPTION_LENGTH_MAX) {
            throw invalid("description", "must be at most " + DESCRIPTION_LENGTH_MAX + " characters");
        }
        var types = new LinkedHashSet<String>();
        if (eventTypes != null) {
            if (eventTypes.size() > EVENT_TYPES_MAX) {
                throw invalid("event_types", "may list at most " + EVENT_TYPES_MAX + " types");
            }
            for (String type : eventTypes) {
                if (type == null || !EVENT_TYPE.matcher(type).matches()) {
                    throw invalid("event_types", "each type is an event type name such as usage.committed");
                }
                types.add(type);
            }
        }
        var endpoint = new WebhookEndpoint(Ids.next("we", clock), url, description, List.copyOf(types),
                WebhookSignature.newSecret(), clock.instant());
        store.insertEndpoint(endpoint);
        dispatcher.endpointRegistered();
        return endpoint;
    }

    public Optional<WebhookEndpoint> find(String id) {
        return store.findEndpoint(id);
    }

    /** Endpoints in id order after {@code afterId} (empty for the first page). */
    public List<WebhookEndpoint> list(String afterId, int limit) {
        return store.listEndpoints(afterId, limit);
    }

    /** Stops deliveries to the endpoint; false if there was no such endpoint. */
    @Transactional
    public boolean delete(String id) {
        var now = clock.instant();
        if (!store.markDeleted(id, now)) {
            return false;
        }
        store.cancelPending(id, now);
        return true;
    }

    /** The endpoint's deliveries with ids below {@code beforeId}, newest first, optionally of one status. */
    public List<WebhookDelivery> deliveries(String endpointId, long beforeId, WebhookDelivery.@Nullable Status status,
            int limit) {
        return store.listDeliveries(endpointId, beforeId, status, limit);
    }

    public Optional<WebhookDelivery> delivery(String endpointId, long deliveryId) {
        return store.findDelivery(endpointId, deliveryId);
    }

    /**
     * Puts a failed delivery back at the head of its queue with a fresh set of attempts. It goes out
     * before later events of the same account, so their order is kept.
     */
    public Optional<WebhookDelivery> retry(String endpointId, long deliveryId) {
        if (!store.requeue(endpointId, deliveryId, clock.instant())) {
            return Optional.empty();
        }
        return store.findDelivery(endpointId, deliveryId);
    }

    private static void requireDeliverableUrl(String url) {
        if (url.isBlank() || url.length() > URL_LENGTH_MAX) {
            throw invalid("url", "must be 1 to " + URL_LENGTH_MAX + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("url", "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid("url", "must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw invalid("url", "must name a host");
        }
        // Credentials in a URL end up in logs and listings; receivers verify the signature instead.
        if (uri.getRawUserInfo() != null) {
            throw invalid("url", "must not contain credentials");
        }
        if (uri.getRawFragment() != null) {
            throw invalid("url", "must not contain a fragment");
        }
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(PlatformProblem.VALIDATION_FAILED, field + ": " + message,
                Map.of("field", field, "errors", List.of(Map.of("field", field, "message", message))));
    }

    /** Deliveries that failed for good or are being retried after a failure, of every endpoint, newest first. */
    public List<WebhookDelivery> failingDeliveries(int limit) {
        return store.failingDeliveries(limit);
    }
}
