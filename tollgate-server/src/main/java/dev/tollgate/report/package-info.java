/**
 * Read-only reports over what the ledger recorded: usage totals per day or model (from the hourly rollup
 * and the records at the edges) and the reconciliation of every meter with its ledger entries and pending
 * reservations. It reads the ledger's tables and writes nothing; nothing here decides a request.
 */
@NullMarked
package dev.tollgate.report;

import org.jspecify.annotations.NullMarked;
