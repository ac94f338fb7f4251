package dev.tollgate.account;

import dev.tollgate.ledger.AccountMeters;

/** An account and its meters, as the summary endpoint and the billing page show them. */
public record AccountSummary(Account account, AccountMeters meters) {}
