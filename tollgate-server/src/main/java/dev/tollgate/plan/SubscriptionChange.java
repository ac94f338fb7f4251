package dev.tollgate.plan;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A change decided outside Tollgate (a Stripe subscription event). Null fields stay as they are;
 * a new plan without a period starts a fresh period now.
 */
public record SubscriptionChange(
        @Nullable String planCode,
        @Nullable SubscriptionStatus status,
        @Nullable Instant periodStart,
        @Nullable Instant periodEnd,
        @Nullable String stripeCustomerId,
        @Nullable String stripeSubscriptionId) {

    public SubscriptionChange {
        if ((periodStart == null) != (periodEnd == null)) {
            throw new IllegalArgumentException("a period needs both its start and its end");
        }
        if (periodStart != null && !periodEnd.isAfter(periodStart)) {
            throw new IllegalArgumentException("a period must end after it starts");
        }
    }
}
