package dev.tollgate.portal;

import dev.tollgate.account.Accounts;
import dev.tollgate.billing.Checkout;
import dev.tollgate.event.EventType;
import dev.tollgate.event.Events;
import dev.tollgate.ledger.Ledger;
import dev.tollgate.ledger.LedgerSettings;
import dev.tollgate.plan.Plan;
import dev.tollgate.plan.Plans;
import dev.tollgate.report.UsageGrouping;
import dev.tollgate.report.UsageTotals;
import dev.tollgate.shared.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Builds the billing page from the same services the API uses: the account summary's meters, the
 * usage report by day and by model, the ledger, and the plans named as upgrades.
 */
@Component
public class BillingViews {

    static final int ENTRIES_PER_PAGE = 20;
    /** How long the page keeps announcing a refused request. */
    static final Duration DENIAL_SHOWN_FOR = Duration.ofMinutes(15);
    private static final int CHART_DAYS_MAX = 31;
    private static final java.time.format.DateTimeFormatter DAY_LABEL =
            java.time.format.DateTimeFormatter.ofPattern("MMM d", java.util.Locale.ENGLISH);

    private final Accounts accounts;
    private final Ledger ledger;
    private final Plans plans;
    private final LedgerSettings settings;
    private final Checkout checkout;
    private final Events events;
    private final Clock clock;

    BillingViews(Accounts accounts, Ledger ledger, Plans plans, LedgerSettings settings, Checkout checkout,
            Events events, Clock clock) {
        this.accounts = accounts;
        this.ledger = ledger;
        this.plans = plans;
        this.settings = settings;
        this.checkout = checkout;
        this.events = events;
        this.clock = clock;
    }

    public Optional<BillingView> of(String accountId, long entriesBefore, @Nullable String returnUrl) {
        Instant now = clock.instant();
        return accounts.summary(accountId).map(summary -> {
            var meters = summary.meters();
            var sub = meters.subscription();
            Plan plan = meters.plan();
            var b = meters.budget();
            Long tokenLimit = sub.tokenLimit(plan);
            var tokens = meter(b.tokensUsed(), b.tokensReserved(), tokenLimit);
            var conversations = plan.conversationsPerPeriod() == null ? null
                    : meter(b.conversationsUsed(), b.conversationsReserved(), plan.conversationsPerPeriod());
            String trialExpired = plan.isTrial() && sub.trialOver(now) ? ledger.trialExpiredMessage(plan) : null;
            var found = ledger.entries(accountId, null, entriesBefore, ENTRIES_PER_PAGE + 1);
            var entries = found.stream().limit(ENTRIES_PER_PAGE).map(BillingView.Entry::of).toList();
            Long older = found.size() > ENTRIES_PER_PAGE ? found.get(ENTRIES_PER_PAGE - 1).id() : null;
            return new BillingView(accountId, summary.account().email(), plan.name(), sub.status().wireName(),
                    sub.trialDaysLeft(now), trialExpired, sub.periodEnd(), tokens, conversations, b.credits(),
                    Money.display(b.balanceMicros()),
                    ledger.softWarnings(b.tokensUsed(), tokenLimit).stream().map(w -> w.message()).toList(),
                    lastDenial(accountId, now),
                    days(accountId, sub.periodStart(), sub.periodEnd(), now),
                    models(accountId, sub.periodStart(), sub.periodEnd()), entries, older,
                    upgrades(plan), plan.chargesBalance(), returnUrl, purchases(accountId, plan));
        });
    }

    private static BillingView.Meter meter(long used, long reserved, @Nullable Long limit) {
        if (limit == null) {
            return new BillingView.Meter(used, reserved, null, 0, 0);
        }
        return new BillingView.Meter(used, reserved, limit, Ledger.percent(used, limit), Ledger.percent(reserved, limit));
    }

    /** One bar per day of the period so far (the last 31 at most), scaled to the busiest day. */
    private List<BillingView.DayBar> days(String accountId, Instant periodStart, Instant periodEnd, Instant now) {
        LocalDate last = LocalDate.ofInstant(now.isBefore(periodEnd) ? now : periodEnd.minusSeconds(1), ZoneOffset.UTC);
        LocalDate first = LocalDate.ofInstant(periodStart, ZoneOffset.UTC);
        if (ChronoUnit.DAYS.between(first, last) >= CHART_DAYS_MAX) {
            first = last.minusDays(CHART_DAYS_MAX - 1);
        }
        Map<String, UsageTotals> byDay = ledger.usageTotals(accountId, UsageGrouping.DAY, periodStart,
                        periodEnd).stream()
                .collect(Collectors.toMap(UsageTotals::key, Function.identity()));
        long busiest = byDay.values().stream().mapToLong(UsageTotals::totalTokens).max().orElse(0);
        int count = (int) ChronoUnit.DAYS.between(first, last) + 1;
        double slot = 100.0 / count;
        var bars = new ArrayList<BillingView.DayBar>();
        for (int i = 0; i < count; i++) {
            LocalDate day = first.plusDays(i);
            var totals = byDay.get(day.toString());
            long dayTokens = totals == null ? 0 : totals.totalTokens();
            double height = busiest == 0 ? 0 : 100.0 * dayTokens / busiest;
            bars.add(new BillingView.DayBar(day.toString(), DAY_LABEL.format(day), dayTokens, Money.display(totals == null ? 0 : totals.costMicros()),
                    i * slot + slot * 0.15, slot * 0.7, height));
        }
        return bars;
    }

    private List<BillingView.ModelRow> models(String accountId, Instant periodStart, Instant periodEnd) {
        return ledger.usageTotals(accountId, UsageGrouping.MODEL, periodStart, periodEnd).stream()
                .map(t -> new BillingView.ModelRow(t.key(), t.requests(), t.inputTokens(), t.outputTokens(),
                        t.totalTokens(), Money.display(t.costMicros())))
                .toList();
    }

    private BillingView.@Nullable Denial lastDenial(String accountId, Instant now) {
        return events.latestOfType(accountId, EventType.LIMIT_ENFORCED)
                .filter(event -> event.createdAt().isAfter(now.minus(DENIAL_SHOWN_FOR)))
                .map(event -> new BillingView.Denial(String.valueOf(event.data().get("detail")), event.createdAt()))
                .orElse(null);
    }

    private BillingView.Purchases purchases(String accountId, Plan plan) {
        return new BillingView.Purchases(checkout.viaStripe(), checkout.fallbackUrl().orElse(null),
                plan.chargesBalance() && checkout.offersTopUp(), checkout.topUpAmountsUsd(),
                checkout.offersBillingPortal(accountId));
    }

    private List<BillingView.Offer> upgrades(Plan current) {
        return settings.upgradePlans().stream()
                .filter(code -> !code.equals(current.code()))
                .map(plans::find)
                .flatMap(Optional::stream)
                .filter(checkout::offers)
                .map(p -> new BillingView.Offer(p.code(), p.name(), Money.display(p.priceMicros()),
                        periodName(p), p.tokensPerPeriod()))
                .toList();
    }

    static String periodName(Plan plan) {
        return switch (plan.period().iso()) {
            case "P1M" -> "month";
            case "P1Y" -> "year";
            case "P30D" -> "30 days";
            case "P7D" -> "7 days";
            default -> plan.period().iso();
        };
    }
}
