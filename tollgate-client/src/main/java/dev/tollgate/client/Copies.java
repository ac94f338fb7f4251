package dev.tollgate.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Read-only copies of free-form JSON objects, which may hold nulls (Map.copyOf refuses them). */
final class Copies {

    private Copies() {}

    static Map<String, Object> map(Map<String, Object> values) {
        return values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
