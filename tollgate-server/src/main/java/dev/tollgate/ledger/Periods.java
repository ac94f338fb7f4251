package dev.tollgate.ledger;

import dev.tollgate.event.EventType;
import dev.tollgate.event.Events;
import dev.tollgate.plan.Plan;
import dev.tollgate.plan.Plans;
import dev.tollgate.plan.Subscription;
import dev.tollgate.plan.Subscriptions;
import dev.tollgate.platform.AccountGuard;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Periods of the periodic meters: when the subscription has entered a new period, the budget's tokens and
 * conversations used start again, exactly once, because the budget row is locked and its period start
 * compared. Lazily on first touch, or by the sweeper, whichever is first.
 */
@Service
class Periods {

    private final BudgetStore budgets;
    private final EntryStore entries;
    private final Plans plans;
    private final Subscriptions subscriptions;
    private final Events events;
    private final Clock clock;

    Periods(BudgetStore budgets, EntryStore entries, Plans plans, Subscriptions subscriptions, Events events,
            Clock clock) {
        this.budgets = budgets;
        this.entries = entries;
        this.plans = plans;
        this.subscriptions = subscriptions;
        this.events = events;
        this.clock = clock;
    }

    /** Locks the account's budget row and moves it into {@code sub}'s period; returns it, locked. */
    Budget sync(String accountId, Subscription sub, Instant now) {
        return sync(budgets.budget(accountId, true).orElseThrow(() -> AccountGuard.notFound(accountId)), sub, now);
    }

    /** Moves the locked budget row {@code b} into the subscription's period, if it is still in an earlier one. */
    Budget sync(Budget b, Subscription sub, Instant now) {
        if (b.periodStart().equals(sub.periodStart())) {
            return b;
        }
        String accountId = b.accountId();
        var reason = Map.<String, Object>of("previous_period_start", b.periodStart().toString(),
                "period_start", sub.periodStart().toString());
        var resets = List.of(
                new NewEntry(accountId, Meter.TOKENS, EntryType.RESET, -b.tokensUsed(), 0, "Period reset", null,
                        "system", reason),
                new NewEntry(accountId, Meter.CONVERSATIONS, EntryType.RESET, -b.conversationsUsed(), 0,
                        "Period reset", null, "system", reason));
        var reset = b.inPeriod(sub.periodStart());
        budgets.saveBudget(reset, now);
        entries.append(resets, now);
        var data = new LinkedHashMap<String, Object>();
        data.put("previous_period_start", b.periodStart().toString());
        data.put("period_start", sub.periodStart().toString());
        data.put("period_end", sub.periodEnd().toString());
        data.put("plan", sub.planCode());
        data.put("tokens_used", b.tokensUsed());
        data.put("conversations_used", b.conversationsUsed());
        events.append(accountId, EventType.PERIOD_RESET, data);
        return reset;
    }

    /** The account's meters, after bringing its subscription and period up to date. */
    Optional<AccountMeters> meters(String accountId) {
        var sub = subscriptions.refresh(accountId);
        if (sub.isEmpty()) {
            return Optional.empty();
        }
        Plan plan = plans.require(sub.get().planCode());
        Budget budget = budgets.budget(accountId, false).orElseThrow();
        if (!budget.periodStart().equals(sub.get().periodStart())) {
            budget = sync(accountId, sub.get(), clock.instant());
        }
        return Optional.of(new AccountMeters(sub.get(), plan, budget));
    }

    /** Rolls over due subscriptions and resets their meters; the sweeper calls this. */
    int rollOverDue(int limit) {
        int rolled = 0;
        for (String accountId : subscriptions.dueForRollover(limit)) {
            var sub = subscriptions.refresh(accountId);
            if (sub.isPresent() && budgets.budget(accountId, false).isPresent()) {
                sync(accountId, sub.get(), clock.instant());
                rolled++;
            }
        }
        return rolled;
    }
}
