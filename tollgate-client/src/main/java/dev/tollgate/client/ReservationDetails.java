package dev.tollgate.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A reservation as Tollgate holds it. {@code status} is {@code pending}, {@code committed},
 * {@code released} or {@code expired}; {@code remaining} is only set on the answer to reserve.
 */
public record ReservationDetails(String id, String accountId, String status, String provider, String model,
        boolean byok, Amounts reserved, Amounts remaining, List<Warning> warnings, long inputTokens,
        long maxOutputTokens, String jobType, String jobId, String conversationId, Map<String, Object> metadata,
        Instant createdAt, Instant expiresAt, Instant resolvedAt, String usageRecordId) {

    public ReservationDetails {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        metadata = Copies.map(metadata);
    }
}
