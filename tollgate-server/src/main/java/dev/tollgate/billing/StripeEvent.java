package dev.tollgate.billing;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A verified Stripe event: {@code {"id": "evt_...", "object": "event", "type", "created", "api_version",
 * "data": {"object": {...}}}}. Fields are read from the JSON as sent, in the shapes of both current and
 * older API versions, so the endpoint's API version need not match the library's.
 */
record StripeEvent(String id, String type, long created, @Nullable String apiVersion, JsonNode object) {

    StripeEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(object, "object");
    }

    /** Parses an event; empty-handed (IllegalArgumentException) when the JSON is not a Stripe event. */
    static StripeEvent of(JsonNode json) {
        String id = text(json.path("id"));
        String type = text(json.path("type"));
        JsonNode object = json.path("data").path("object");
        if (id == null || type == null || !"event".equals(text(json.path("object"))) || !object.isObject()) {
            throw new IllegalArgumentException("not a Stripe event");
        }
        return new StripeEvent(id, type, json.path("created").asLong(0), text(json.path("api_version")), object);
    }

    /** A string field, or null when it is absent, null or not a string. */
    static @Nullable String text(JsonNode node) {
        return node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }

    /** The id of an expandable field, which Stripe sends as {@code "cus_123"} or as {@code {"id": "cus_123"}}. */
    static @Nullable String idOf(JsonNode node) {
        return node.isObject() ? text(node.path("id")) : text(node);
    }

    /** A time in unix seconds, or null when absent. */
    static @Nullable Instant seconds(JsonNode node) {
        return node.isNumber() ? Instant.ofEpochSecond(node.asLong()) : null;
    }
}
