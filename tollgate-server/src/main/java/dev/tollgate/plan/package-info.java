/**
 * Plans (the catalog) and subscriptions (each account's plan, status, trial and current period).
 * Periods are anchored at the subscription's start. It never moves meters: when a period rolls over
 * the ledger notices the new period start and resets its meters with ledger entries.
 */
@NullMarked
package dev.tollgate.plan;

import org.jspecify.annotations.NullMarked;
