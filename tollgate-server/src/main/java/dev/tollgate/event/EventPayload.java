package dev.tollgate.event;

import java.time.Instant;
import java.util.Map;

/**
 * An event as every channel shows it: the list endpoint, webhook bodies and live streams all carry
 * exactly {@code {"id", "type", "account_id", "data", "created_at"}}.
 */
record EventPayload(String id, String type, String accountId, Map<String, Object> data, Instant createdAt) {

    static EventPayload of(Event event) {
        return new EventPayload(event.publicId(), event.type(), event.accountId(), event.data(), event.createdAt());
    }
}
