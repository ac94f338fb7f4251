package dev.tollgate.ledger;

/** How usage is summed in reports. */
public enum UsageGrouping {
    DAY,
    MODEL
}
