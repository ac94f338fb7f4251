/**
 * The ledger: every account's meters (tokens, conversations, credits, prepaid balance), reservations
 * (pending ledger entries), usage records and the append-only ledger entries. It is the one owner of
 * the admission rule {@code used + reserved + needed <= limit}, decided by a single conditional UPDATE
 * ({@code reserve.sql}). That statement reads the plan module's view {@code subscription_terms}, never
 * a cache, so that an admin's SQL edit of a plan or trial takes effect on the very next request.
 *
 * <p>Two events are written into the event module's table by the ledger's own statements rather than
 * through {@code Events.append}: {@code reservation.approved} by the reserve statement and
 * {@code usage.committed} by the settling statement, to save a round trip on each half of the hot path.
 * Their deliveries are enqueued by the event table's trigger like any other event's.
 */
@NullMarked
package dev.tollgate.ledger;

import org.jspecify.annotations.NullMarked;
