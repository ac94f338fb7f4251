package dev.tollgate.plan;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** An account's current plan, status, trial and period. */
public record Subscription(
        String accountId,
        String planCode,
        SubscriptionStatus status,
        Instant startedAt,
        @Nullable Instant trialEndsAt,
        Instant periodStart,
        Instant periodEnd,
        @Nullable Long tokensPerPeriodOverride,
        @Nullable String stripeCustomerId,
        @Nullable String stripeSubscriptionId) {

    /** True when the trial has run out, whether or not the status has been updated yet. */
    public boolean trialOver(Instant now) {
        return status == SubscriptionStatus.EXPIRED && trialEndsAt != null
                || status == SubscriptionStatus.TRIALING && trialEndsAt != null && !trialEndsAt.isAfter(now);
    }

    /** Whole days left in the trial, rounded up; null when not trialing. */
    public @Nullable Long trialDaysLeft(Instant now) {
        if (status != SubscriptionStatus.TRIALING || trialEndsAt == null) {
            return trialOver(now) ? 0L : null;
        }
        long seconds = Duration.between(now, trialEndsAt).toSeconds();
        return seconds <= 0 ? 0 : (seconds + 86_399) / 86_400;
    }

    public @Nullable Long tokenLimit(Plan plan) {
        return tokensPerPeriodOverride != null ? tokensPerPeriodOverride : plan.tokensPerPeriod();
    }
}
