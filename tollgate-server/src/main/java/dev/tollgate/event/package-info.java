/**
 * The event outbox: facts about accounts (reservation approved, limit enforced, usage committed, ...)
 * appended in the same transaction as the change they describe, listed per account, and delivered to
 * webhooks and live streams. It never decides anything about budgets.
 */
@NullMarked
package dev.tollgate.event;

import org.jspecify.annotations.NullMarked;
