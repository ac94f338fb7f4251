package dev.tollgate.ledger;

import dev.tollgate.event.EventType;
import dev.tollgate.event.Events;
import dev.tollgate.platform.AccountGuard;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.shared.Money;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Value that moves outside a call: signup grants when accounts open, seed 001's credit transactions, and
 * prepaid top-ups; and the {@code credits.changed} and {@code balance.changed} events of every change of
 * those two meters.
 */
@Service
class Adjustments {

    private final BudgetStore budgets;
    private final EntryStore entries;
    private final Events events;
    private final Clock clock;

    Adjustments(BudgetStore budgets, EntryStore entries, Events events, Clock clock) {
        this.budgets = budgets;
        this.entries = entries;
        this.events = events;
        this.clock = clock;
    }

    /** Opens the meters of new accounts with their signup grants, in the caller's transaction. */
    void openAll(List<String> accountIds, Instant periodStart, long credits, Money balance, String actor) {
        if (accountIds.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        budgets.insertBudgets(accountIds, periodStart, credits, balance, now);
        var grants = new ArrayList<NewEntry>();
        for (String accountId : accountIds) {
            if (credits != 0) {
                grants.add(new NewEntry(accountId, Meter.CREDITS, EntryType.GRANT, credits, credits,
                        "Signup grant", null, actor, Map.of()));
            }
            if (!balance.isZero()) {
                grants.add(new NewEntry(accountId, Meter.BALANCE, EntryType.GRANT, balance.micros(), balance.micros(),
                        "Signup grant", null, actor, Map.of()));
            }
        }
        entries.appendAll(grants, now);
    }

    /** Seed 001's credit transactions: add, deduct, refund, admin_adjustment (signed). */
    LedgerEntry adjustCredits(String accountId, EntryType type, long amount, @Nullable String description,
            Map<String, Object> metadata, String actor) {
        long signed = switch (type) {
            case ADD, REFUND, ADMIN_ADJUSTMENT -> amount;
            case DEDUCT -> -amount;
            default -> throw new IllegalArgumentException("not a credit transaction type: " + type);
        };
        Instant now = clock.instant();
        Budget before = budgets.budget(accountId, true).orElseThrow(() -> AccountGuard.notFound(accountId));
        Budget after = before.plusCredits(signed);
        if (signed < 0 && after.creditsAvailable() < 0) {
            throw new ProblemException(LedgerProblem.CREDITS_WOULD_GO_NEGATIVE, "The account has "
                    + before.creditsAvailable() + " credits available; it cannot lose " + (-signed) + ".",
                    Map.of("remaining", before.creditsAvailable(), "needed", -signed));
        }
        budgets.saveBudget(after, now);
        var entry = entries.append(List.of(new NewEntry(accountId, Meter.CREDITS, type, signed, after.credits(),
                description, null, actor, metadata)), now).getFirst();
        announce(before, after, type.wireName(), actor);
        return entry;
    }

    /** Adds prepaid money. With a reference (a payment id) it happens once: a repeat returns the first entry. */
    LedgerEntry topUp(String accountId, Money amount, @Nullable String reference, String actor) {
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("a top-up must be positive");
        }
        Instant now = clock.instant();
        Budget before = budgets.budget(accountId, true).orElseThrow(() -> AccountGuard.notFound(accountId));
        if (reference != null) {
            var earlier = entries.entryByReference(accountId, EntryType.TOP_UP, reference);
            if (earlier.isPresent()) {
                if (earlier.get().amount() != amount.micros()) {
                    throw new ProblemException(LedgerProblem.TOP_UP_REFERENCE_REUSED,
                            "Reference " + reference + " was already used for a top-up of $"
                                    + Money.format(earlier.get().amount()) + ".");
                }
                return earlier.get();
            }
        }
        Budget after = before.plusBalance(amount);
        budgets.saveBudget(after, now);
        var entry = entries.append(List.of(new NewEntry(accountId, Meter.BALANCE, EntryType.TOP_UP, amount.micros(),
                after.balanceMicros(), "Top-up", reference, actor, Map.of())), now).getFirst();
        announce(before, after, "top_up", actor);
        return entry;
    }

    /** Announces what a change from {@code before} to {@code after} did to the credits and the balance. */
    void announce(Budget before, Budget after, String reason, String actor) {
        if (after.credits() != before.credits()) {
            events.append(after.accountId(), EventType.CREDITS_CHANGED, Map.of("amount",
                    after.credits() - before.credits(), "balance", after.credits(), "reason", reason, "actor", actor));
        }
        if (!after.balance().equals(before.balance())) {
            events.append(after.accountId(), EventType.BALANCE_CHANGED, Map.of(
                    "amount_usd", after.balance().minus(before.balance()).format(),
                    "balance_usd", after.balance().format(), "reason", reason, "actor", actor));
        }
    }
}
