package dev.tollgate.client;

import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * An RFC 9457 problem as Tollgate answers it: the stable {@code code} is what callers branch on;
 * {@code remaining} and {@code needed} are set on the denials where they apply.
 *
 * @param properties every member of the problem, including extensions this client does not name
 */
public record Problem(int status, String type, String title, String code, String detail, boolean retryable,
        Long remaining, Long needed, Map<String, Object> properties) {

    public Problem {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public Optional<Long> remainingValue() {
        return Optional.ofNullable(remaining);
    }

    public Optional<Long> neededValue() {
        return Optional.ofNullable(needed);
    }

    /** Reads a problem body; an answer that is not one (a proxy's HTML page) still becomes a problem. */
    static Problem parse(int status, String body) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : Json.tree(body);
        } catch (RuntimeException notJson) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            return new Problem(status, "about:blank", "HTTP " + status, "http_" + status, "HTTP " + status,
                    status >= 500, null, null, Map.of());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> all = Json.MAPPER.convertValue(node, Map.class);
        all.values().removeIf(java.util.Objects::isNull);
        return new Problem(node.path("status").asInt(status), text(node, "type"), text(node, "title"),
                node.hasNonNull("code") ? node.get("code").asString() : "http_" + status, text(node, "detail"),
                node.path("retryable").asBoolean(false), number(node, "remaining"), number(node, "needed"), all);
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asString() : null;
    }

    private static Long number(JsonNode node, String field) {
        return node.hasNonNull(field) && node.get(field).isIntegralNumber() ? node.get(field).asLong() : null;
    }
}
