package dev.tollgate.console;

import dev.tollgate.event.Events;
import dev.tollgate.event.WebhookEndpoints;
import dev.tollgate.plan.Subscriptions;
import dev.tollgate.report.UsageTotals;
import dev.tollgate.shared.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code /console}: the operation at a glance. Accounts by plan and status, usage and cost today and this
 * month (UTC), cost by model today, denials by reason over the last 24 hours, whether every meter agreed
 * with the ledger at the latest check (and when that was), failing webhook deliveries, and the newest events,
 * which the page refreshes by itself.
 */
@Controller
class OverviewPage {

    static final int TAIL_SIZE = 20;
    private static final int FAILING_SHOWN = 10;

    /** A model's share of today's cost, as a bar of a 0..100 wide chart. */
    record ModelCost(String model, long requests, long totalTokens, String cost, double width) {}

    private final Subscriptions subscriptions;
    private final MonthUsage usage;
    private final ReconciliationWatch reconciliation;
    private final Events events;
    private final WebhookEndpoints webhooks;
    private final Clock clock;

    OverviewPage(Subscriptions subscriptions, MonthUsage usage, ReconciliationWatch reconciliation, Events events,
            WebhookEndpoints webhooks, Clock clock) {
        this.subscriptions = subscriptions;
        this.usage = usage;
        this.reconciliation = reconciliation;
        this.events = events;
        this.webhooks = webhooks;
        this.clock = clock;
    }

    @GetMapping("/console")
    String overview(Model model) {
        Instant now = clock.instant();
        var totals = usage.now();
        var byModelToday = totals.today();
        var byModelMonth = totals.month();
        model.addAttribute("plans", subscriptions.countsByPlanAndStatus());
        model.addAttribute("tokensToday", sum(byModelToday, UsageTotals::totalTokens));
        model.addAttribute("costToday", Money.display(sum(byModelToday, UsageTotals::costMicros)));
        model.addAttribute("tokensMonth", sum(byModelMonth, UsageTotals::totalTokens));
        model.addAttribute("costMonth", Money.display(sum(byModelMonth, UsageTotals::costMicros)));
        model.addAttribute("models", modelCosts(byModelToday));
        model.addAttribute("denials", events.denialsSince(now.minus(Duration.ofHours(24))));
        var checked = reconciliation.latest();
        model.addAttribute("reconciliation", checked.map(status -> status.agrees() ? "ok" : "bad").orElse("pending"));
        model.addAttribute("reconciliationCheckedAt", checked.map(status -> ConsoleRows.when(status.checkedAt()))
                .orElse(null));
        model.addAttribute("failing", webhooks.failingDeliveries(FAILING_SHOWN).stream()
                .map(ConsoleRows.DeliveryRow::of).toList());
        model.addAttribute("tail", tail());
        return "console/overview";
    }

    /** The newest events alone, for the overview's tail to refresh itself without reloading the page. */
    @GetMapping("/console/tail")
    String tail(Model model) {
        model.addAttribute("tail", tail());
        return "console/overview :: tail-rows";
    }

    private List<ConsoleRows.EventRow> tail() {
        return events.latest(null, TAIL_SIZE).stream().map(ConsoleRows.EventRow::of).toList();
    }

    private static List<ModelCost> modelCosts(List<UsageTotals> byModel) {
        long top = byModel.stream().mapToLong(UsageTotals::costMicros).max().orElse(0);
        return byModel.stream().map(t -> new ModelCost(t.key(), t.requests(), t.totalTokens(),
                Money.display(t.costMicros()), top == 0 ? 0 : 100.0 * t.costMicros() / top)).toList();
    }

    private static long sum(List<UsageTotals> totals, java.util.function.ToLongFunction<UsageTotals> part) {
        return totals.stream().mapToLong(part).reduce(0, Math::addExact);
    }
}
