package dev.tollgate.plan;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A plan of the catalog. {@code null} limits are unlimited. A {@code listed} plan is shown on the
 * public pricing table ({@code public} in the API). A plan with trial days is a trial: when
 * the trial ends, requests are refused with {@code trial_expired} until the account moves to another
 * plan.
 */
public record Plan(
        String code,
        String name,
        long priceMicros,
        String currency,
        PlanPeriod period,
        int trialDays,
        @Nullable Long tokensPerPeriod,
        @Nullable Long conversationsPerPeriod,
        long creditsPerRequest,
        boolean chargesBalance,
        @Nullable String stripePriceId,
        int sortOrder,
        boolean listed) {

    public static final int TRIAL_DAYS_MAX = 3650;

    public Plan {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(period, "period");
        if (priceMicros < 0 || creditsPerRequest < 0 || trialDays < 0 || trialDays > TRIAL_DAYS_MAX) {
            throw new IllegalArgumentException("plan amounts must not be negative");
        }
        if ((tokensPerPeriod != null && tokensPerPeriod < 0)
                || (conversationsPerPeriod != null && conversationsPerPeriod < 0)) {
            throw new IllegalArgumentException("plan limits must not be negative");
        }
    }

    public boolean isTrial() {
        return trialDays > 0;
    }
}
