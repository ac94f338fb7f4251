/**
 * What end users see: portal links and sessions, the billing page, the public pricing table and the
 * embeddable usage widget. Depends inward on account, ledger, plan and event. Only the admin console depends
 * on it, for the billing page's view of an account and for portal links.
 */
@NullMarked
package dev.tollgate.portal;

import org.jspecify.annotations.NullMarked;
