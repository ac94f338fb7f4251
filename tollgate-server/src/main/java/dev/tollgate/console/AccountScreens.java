package dev.tollgate.console;

import dev.tollgate.event.Events;
import dev.tollgate.ledger.Ledger;
import dev.tollgate.ledger.Meter;
import dev.tollgate.plan.Plans;
import dev.tollgate.plan.Subscriptions;
import dev.tollgate.portal.BillingViews;
import dev.tollgate.pricing.PriceTable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * Draws the account page: the billing page's own view (meters, usage by day and by model), the ledger
 * with a meter filter, pending reservations, this period's conversations, recent usage with the price each
 * record was charged at, recent events, and the forms of the actions. Everything is read through the module APIs.
 */
@Component
class AccountScreens {

    static final int ENTRIES_PER_PAGE = 50;
    private static final int USAGE_SHOWN = 20;
    private static final int EVENTS_SHOWN = 20;
    private static final int RESERVATIONS_SHOWN = 50;
    private static final int CONVERSATIONS_SHOWN = 50;
    /** The first page of usage starts before this; PostgreSQL's timestamptz cannot hold Instant.MAX. */
    private static final Instant END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z");

    private final BillingViews billing;
    private final Ledger ledger;
    private final Events events;
    private final Plans plans;
    private final Subscriptions subscriptions;
    private final PriceTable prices;
    private final ConsoleActions actions;

    AccountScreens(BillingViews billing, Ledger ledger, Events events, Plans plans, Subscriptions subscriptions,
            PriceTable prices, ConsoleActions actions) {
        this.billing = billing;
        this.ledger = ledger;
        this.events = events;
        this.plans = plans;
        this.subscriptions = subscriptions;
        this.prices = prices;
        this.actions = actions;
    }

    /** The page's template, or the not-found page when there is no such account. */
    String draw(String accountId, @Nullable String meter, @Nullable Long before, @Nullable String done, Model model) {
        var view = billing.of(accountId, Long.MAX_VALUE, null);
        if (view.isEmpty()) {
            model.addAttribute("accountId", accountId);
            return "console/not-found";
        }
        Meter filter = Arrays.stream(Meter.values()).filter(m -> m.wireName().equals(meter)).findFirst().orElse(null);
        long cursor = before == null || before <= 0 ? Long.MAX_VALUE : before;
        var entries = ledger.entries(accountId, filter, cursor, ENTRIES_PER_PAGE + 1);
        model.addAttribute("b", view.get());
        model.addAttribute("meter", filter == null ? "" : filter.wireName());
        model.addAttribute("meters", Arrays.stream(Meter.values()).map(Meter::wireName).toList());
        model.addAttribute("entries", entries.stream().limit(ENTRIES_PER_PAGE).map(ConsoleRows.EntryRow::of).toList());
        model.addAttribute("olderEntries", entries.size() > ENTRIES_PER_PAGE
                ? entries.get(ENTRIES_PER_PAGE - 1).id() : null);
        model.addAttribute("usage", ledger.usage(accountId, END_OF_TIME, "\uffff", USAGE_SHOWN).stream()
                .map(u -> ConsoleRows.UsageRow.of(u, prices.priceAt(u.provider(), u.model(), u.createdAt())))
                .toList());
        model.addAttribute("events", events.latest(accountId, EVENTS_SHOWN).stream()
                .map(ConsoleRows.EventRow::of).toList());
        model.addAttribute("reservations", ledger.pendingReservations(accountId, RESERVATIONS_SHOWN).stream()
                .map(ConsoleRows.ReservationRow::of).toList());
        model.addAttribute("conversations", subscriptions.find(accountId)
                .map(sub -> ledger.conversations(accountId, sub.periodStart(), CONVERSATIONS_SHOWN)).orElse(List.of())
                .stream().map(ConsoleRows.ConversationRow::of).toList());
        model.addAttribute("plans", plans.list());
        model.addAttribute("outcome", actions.outcome(done, ConsoleModel.current()).orElse(null));
        return "console/account";
    }
}
