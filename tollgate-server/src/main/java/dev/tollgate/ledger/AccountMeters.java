package dev.tollgate.ledger;

import dev.tollgate.plan.Plan;
import dev.tollgate.plan.Subscription;

/** An account's subscription, plan and meters, read together and up to date with the clock. */
public record AccountMeters(Subscription subscription, Plan plan, Budget budget) {}
