package dev.tollgate.report;

/** How usage is summed in reports. */
public enum UsageGrouping {
    DAY,
    MODEL
}
