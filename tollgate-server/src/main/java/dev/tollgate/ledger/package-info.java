/**
 * The ledger: every account's meters (tokens, conversations, credits, prepaid balance), reservations
 * (pending ledger entries), usage records and the append-only ledger entries. It is the one owner of
 * the admission rule {@code used + reserved + needed <= limit}, decided by a single conditional UPDATE.
 * That statement reads the account's subscription and plan rows (owned by the plan module) read-only,
 * so that an admin's SQL edit of a plan or trial takes effect on the very next request.
 */
@NullMarked
package dev.tollgate.ledger;

import org.jspecify.annotations.NullMarked;
