/**
 * Accounts: one end user of the host app, known by the host's id. Creating an account opens its
 * subscription and budget and applies the signup grants exactly once; the summary composes plan,
 * period and meters. It decides no budget question itself: that is the ledger's.
 */
@NullMarked
package dev.tollgate.account;

import org.jspecify.annotations.NullMarked;
