package dev.tollgate.client;

import java.util.Arrays;
import java.util.Optional;

/** Why a reservation was denied, in the order Tollgate checks them: the first that applies wins. */
public enum DenialReason {
    ACCOUNT_NOT_FOUND("account_not_found"),
    TRIAL_EXPIRED("trial_expired"),
    SUBSCRIPTION_INACTIVE("subscription_inactive"),
    CONVERSATION_LIMIT_REACHED("conversation_limit_reached"),
    LIMIT_EXCEEDED("limit_exceeded"),
    INSUFFICIENT_TOKENS("insufficient_tokens"),
    INSUFFICIENT_CREDITS("insufficient_credits"),
    INSUFFICIENT_BALANCE("insufficient_balance"),
    /** A 402 denial whose code this client does not know yet (a newer Tollgate): still a denial. */
    UNKNOWN("unknown");

    private static final int PAYMENT_REQUIRED = 402;

    private final String code;

    DenialReason(String code) {
        this.code = code;
    }

    /** The problem {@code code} on the wire. */
    public String code() {
        return code;
    }

    /** The reason of a denial problem; any other problem has none. */
    static Optional<DenialReason> of(Problem problem) {
        Optional<DenialReason> known = Arrays.stream(values())
                .filter(reason -> reason != UNKNOWN && reason.code.equals(problem.code())).findFirst();
        if (known.isPresent() || problem.status() != PAYMENT_REQUIRED) {
            return known;
        }
        return Optional.of(UNKNOWN);
    }
}
