/**
 * What end users see: portal links and sessions, the billing page, the public pricing table and the
 * embeddable usage widget. Depends inward on account, ledger, plan and event; nothing depends on it.
 */
@NullMarked
package dev.tollgate.portal;

import org.jspecify.annotations.NullMarked;
