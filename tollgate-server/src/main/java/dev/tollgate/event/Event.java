package dev.tollgate.event;

import java.time.Instant;
import java.util.Map;

/** Something that happened to an account; {@code id} orders an account's events. */
public record Event(long id, String accountId, String type, Map<String, Object> data, Instant createdAt) {

    public static final String ID_PREFIX = "evt_";

    public Event {
        // Event data may hold JSON nulls ("previous_plan": null), which Map.copyOf refuses.
        data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
    }

    public String publicId() {
        return ID_PREFIX + id;
    }

    /** Parses {@code evt_123} (or a bare {@code 123}) as sent back by clients in {@code ?after=}. */
    public static long parseId(String value) {
        String digits = value.startsWith(ID_PREFIX) ? value.substring(ID_PREFIX.length()) : value;
        try {
            long id = Long.parseLong(digits);
            if (id < 0) {
                throw new IllegalArgumentException("event ids are not negative");
            }
            return id;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an event id: " + value, e);
        }
    }
}
