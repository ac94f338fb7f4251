/**
 * Stripe: Checkout and Billing Portal sessions out (what an end user's Upgrade, Top up and Manage billing
 * open), and Stripe's webhook events in, verified and applied to plans, subscriptions and prepaid
 * balances, each event exactly once. It changes nothing itself: every change goes through the plan and
 * ledger modules' APIs, inside the transaction that records the event.
 */
@NullMarked
package dev.tollgate.billing;

import org.jspecify.annotations.NullMarked;
