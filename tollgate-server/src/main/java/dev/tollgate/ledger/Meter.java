package dev.tollgate.ledger;

import java.util.Locale;

/**
 * What a ledger entry moves. Periodic meters (tokens, conversations) count what was used this period;
 * carried meters (credits, balance in micro-USD) hold what is left.
 */
public enum Meter {
    TOKENS,
    CONVERSATIONS,
    CREDITS,
    BALANCE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Meter ofWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
