package dev.tollgate.plan;

import java.util.Locale;

/** Where a subscription stands. Only {@link #TRIALING} and {@link #ACTIVE} may reserve. */
public enum SubscriptionStatus {
    TRIALING,
    ACTIVE,
    PAST_DUE,
    CANCELED,
    EXPIRED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SubscriptionStatus ofWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public boolean mayReserve() {
        return this == TRIALING || this == ACTIVE;
    }
}
