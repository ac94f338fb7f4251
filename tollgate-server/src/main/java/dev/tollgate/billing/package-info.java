/**
 * Stripe in: verifies and applies Stripe webhook events (checkout, subscriptions, invoices) to plans,
 * subscriptions and prepaid balances, each event exactly once. It changes nothing itself: every change
 * goes through the plan and ledger modules' APIs, inside the transaction that records the event.
 */
@NullMarked
package dev.tollgate.billing;

import org.jspecify.annotations.NullMarked;
