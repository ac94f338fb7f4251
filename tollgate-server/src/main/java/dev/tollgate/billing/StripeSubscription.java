package dev.tollgate.billing;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What Stripe last said about one subscription: its customer, the price it bills (the first item), its
 * Stripe status and current period. {@code status} is null while only the checkout has named it.
 */
record StripeSubscription(String id, @Nullable String customerId, @Nullable String accountId,
        @Nullable String priceId, @Nullable String status, @Nullable Instant periodStart,
        @Nullable Instant periodEnd) {}
