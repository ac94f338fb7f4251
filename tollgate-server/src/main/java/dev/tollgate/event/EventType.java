package dev.tollgate.event;

/** The event types Tollgate emits; the wire names are part of the API contract. */
public final class EventType {

    public static final String RESERVATION_APPROVED = "reservation.approved";
    public static final String LIMIT_ENFORCED = "limit_enforced";
    public static final String USAGE_COMMITTED = "usage.committed";
    public static final String RESERVATION_RELEASED = "reservation.released";
    public static final String RESERVATION_EXPIRED = "reservation.expired";
    public static final String THRESHOLD_CROSSED = "threshold.crossed";
    public static final String PLAN_CHANGED = "plan.changed";
    public static final String SUBSCRIPTION_CHANGED = "subscription.changed";
    public static final String TRIAL_EXPIRED = "trial.expired";
    public static final String PERIOD_RESET = "period.reset";
    public static final String CREDITS_CHANGED = "credits.changed";
    public static final String BALANCE_CHANGED = "balance.changed";
    public static final String ACCOUNT_CREATED = "account.created";
    public static final String ALLOWANCE_CHANGED = "allowance.changed";

    private EventType() {}
}
