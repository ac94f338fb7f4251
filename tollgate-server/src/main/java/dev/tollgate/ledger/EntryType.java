package dev.tollgate.ledger;

import java.util.Locale;

/** Why a ledger entry moved a meter. */
public enum EntryType {
    GRANT,
    USAGE,
    OVERAGE,
    REFUND,
    ADD,
    DEDUCT,
    ADMIN_ADJUSTMENT,
    TOP_UP,
    RESET,
    EXPIRY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EntryType ofWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
