package dev.tollgate.report;

import java.util.List;

/** An account whose cached meters disagree with the ledger or with its pending reservations. */
public record Discrepancy(String accountId, List<MeterDifference> differences) {

    public Discrepancy {
        differences = List.copyOf(differences);
    }

    /** {@code field} is "used"/"balance" (checked against the ledger) or "reserved" (against reservations). */
    public record MeterDifference(String meter, String field, long cached, long expected) {}
}
