package dev.tollgate.event;

import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One event on its way to one endpoint: how many attempts were made, how the last one went and, while
 * pending, when the next one is due.
 */
public record WebhookDelivery(long id, String endpointId, long eventId, String eventType, String accountId,
        Status status, int attempts, @Nullable Instant nextAttemptAt, @Nullable Instant lastAttemptAt,
        @Nullable Integer lastHttpStatus, @Nullable String lastError, @Nullable Instant completedAt,
        Instant createdAt) {

    public static final String ID_PREFIX = "dlv_";

    public String publicId() {
        return ID_PREFIX + id;
    }

    /** {@code pending} until it succeeds, fails for good, or its endpoint is deleted ({@code canceled}). */
    public enum Status {
        PENDING,
        SUCCEEDED,
        FAILED,
        CANCELED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status ofWireName(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }
}
