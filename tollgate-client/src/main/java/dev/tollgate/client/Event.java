package dev.tollgate.client;

import java.time.Instant;
import java.util.Map;

/** Something that happened to an account, such as {@code usage.committed} or {@code limit_enforced}. */
public record Event(String id, String type, String accountId, Map<String, Object> data, Instant createdAt) {

    public Event {
        data = Copies.map(data);
    }
}
