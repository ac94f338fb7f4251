package dev.tollgate.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An account's plan, period and meters, as {@code GET /v1/accounts/{id}} answers. A {@code null} limit
 * means unlimited. Seed 000 keeps this copy locally; {@link LiveSummary} keeps it current.
 */
public record AccountSummary(String id, String email, PlanRef plan, String status, Instant trialEndsAt,
        Long trialDaysLeft, Period period, Tokens tokens, Conversations conversations, Credits credits,
        Balance balance, List<Warning> warnings, Map<String, Object> metadata, Instant createdAt) {

    public AccountSummary {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        metadata = Copies.map(metadata);
    }

    public record PlanRef(String code, String name) {}

    public record Period(Instant start, Instant end) {}

    public record Tokens(Long limit, long used, long reserved, Long remaining, double percentUsed) {}

    public record Conversations(Long limit, long used, long reserved, Long remaining) {}

    public record Credits(long balance, long reserved) {}

    public record Balance(BigDecimal amountUsd, BigDecimal reservedUsd) {}
}
