package dev.tollgate.ledger;

import java.util.Locale;

/** A reservation is pending until exactly one of commit, release or expiry resolves it. */
public enum ReservationStatus {
    PENDING,
    COMMITTED,
    RELEASED,
    EXPIRED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReservationStatus ofWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
