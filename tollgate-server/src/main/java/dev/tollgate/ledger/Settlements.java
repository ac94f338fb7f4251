package dev.tollgate.ledger;

import dev.tollgate.event.Events;
import dev.tollgate.plan.Plan;
import dev.tollgate.plan.Plans;
import dev.tollgate.plan.Subscription;
import dev.tollgate.plan.Subscriptions;
import dev.tollgate.platform.AccountGuard;
import dev.tollgate.platform.Ids;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.pricing.ModelPrice;
import dev.tollgate.pricing.PriceTable;
import dev.tollgate.shared.Money;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Commits and usage reports: reads and locks what a settlement needs, has {@link Settlement#of} compute
 * it, and posts it in one statement. Recording is truthful: a commit beyond the reservation, the limit or
 * the TTL is accepted and the excess posted as overage.
 */
@Service
class Settlements {

    private static final DateTimeFormatter BILLING_MONTH =
            DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

    private final ReservationStore reservations;
    private final BudgetStore budgets;
    private final UsageStore usages;
    private final SettlementStore store;
    private final ConversationSlots conversations;
    private final Periods periods;
    private final Thresholds thresholds;
    private final Adjustments adjustments;
    private final Plans plans;
    private final Subscriptions subscriptions;
    private final PriceTable prices;
    private final Events events;
    private final Clock clock;

    Settlements(ReservationStore reservations, BudgetStore budgets, UsageStore usages, SettlementStore store,
            ConversationSlots conversations, Periods periods, Thresholds thresholds, Adjustments adjustments,
            Plans plans, Subscriptions subscriptions, PriceTable prices, Events events, Clock clock) {
        this.reservations = reservations;
        this.budgets = budgets;
        this.usages = usages;
        this.store = store;
        this.conversations = conversations;
        this.periods = periods;
        this.thresholds = thresholds;
        this.adjustments = adjustments;
        this.plans = plans;
        this.subscriptions = subscriptions;
        this.prices = prices;
        this.events = events;
        this.clock = clock;
    }

    CommitResult commit(String reservationId, CommitCommand c, String actor) {
        Instant now = clock.instant();
        var locked = reservations.forSettlement(reservationId, now)
                .orElseThrow(() -> LedgerProblem.reservationNotFound(reservationId));
        var reservation = locked.reservation();
        String model = c.model() != null ? c.model() : reservation.model();
        return switch (reservation) {
            case Reservation.Committed committed -> {
                var usage = usages.usageRecord(committed.accountId(), committed.usageRecordId()).orElseThrow();
                if (usage.sameUsage(c, model)) {
                    yield new CommitResult(usage, true);
                }
                throw new ProblemException(LedgerProblem.RESERVATION_ALREADY_COMMITTED, "Reservation " + reservationId
                        + " was already committed with different numbers (usage record " + usage.id() + ").",
                        Map.of("usage_record_id", usage.id()));
            }
            case Reservation.Released released -> throw new ProblemException(LedgerProblem.RESERVATION_RELEASED,
                    "Reservation " + reservationId + " was released and cannot be committed.");
            case Reservation.Pending pending -> settle(pending, c, model, locked, actor, now);
            case Reservation.Expired expired -> settle(expired, c, model, locked, actor, now);
        };
    }

    /** A commit of a pending or an expired reservation: its usage, as the caller reported it. */
    private CommitResult settle(Reservation reservation, CommitCommand c, String model,
            ReservationStore.ForSettlement locked, String actor, Instant now) {
        var usage = new UsageCommand(reservation.accountId(), reservation.provider(), model, c.inputTokens(),
                c.outputTokens(), c.cachedInputTokens(), c.cacheWriteInputTokens(), c.cacheWrite1hInputTokens(),
                reservation.byok(), reservation.jobType(), reservation.jobId(), reservation.conversationId(), c.durationMs(),
                c.metadata().isEmpty() ? reservation.metadata() : c.metadata());
        if (locked.budget() == null || locked.subscription() == null) {
            return new CommitResult(settle(usage, reservation, actor), false);
        }
        return new CommitResult(settle(usage, reservation, actor, now, locked.subscription(),
                periods.sync(locked.budget(), locked.subscription(), now)), false);
    }

    /** Records usage that had no reservation; it is charged like a commit. */
    UsageRecord recordUsage(UsageCommand usage, String actor) {
        if (budgets.budget(usage.accountId(), false).isEmpty()) {
            throw AccountGuard.notFound(usage.accountId());
        }
        return settle(usage, null, actor);
    }

    /** Settles after bringing the subscription and the budget's period up to date, locking the budget row. */
    private UsageRecord settle(UsageCommand u, @Nullable Reservation r, String actor) {
        String accountId = u.accountId();
        Subscription sub = subscriptions.refresh(accountId).orElseThrow(() -> AccountGuard.notFound(accountId));
        Instant now = clock.instant();
        return settle(u, r, actor, now, sub, periods.sync(accountId, sub, now));
    }

    /** Settles against {@code before}, the account's budget row in {@code sub}'s period, locked by the caller. */
    private UsageRecord settle(UsageCommand u, @Nullable Reservation r, String actor, Instant now, Subscription sub,
            Budget before) {
        Plan plan = plans.require(sub.planCode());
        String usageId = Ids.next("use", clock);
        Optional<ModelPrice> price = prices.priceAt(u.provider(), u.model(), now);
        if (price.isEmpty() && r != null) {
            price = prices.priceAt(r.provider(), r.model(), now);
        }
        var slot = conversationSettled(u, r, plan, before.periodStart(), now);
        var settlement = Settlement.of(before, r, u, price, plan, slot, usageId, actor);
        var after = settlement.after();
        var usage = new UsageRecord(usageId, u.accountId(), r == null ? null : r.id(), u.provider(), u.model(),
                u.inputTokens(), u.outputTokens(), u.cachedInputTokens(), u.cacheWriteInputTokens(),
                u.cacheWrite1hInputTokens(), settlement.totalTokens(),
                settlement.cost().micros(), price.isPresent(), u.byok(), settlement.overageTokens(), u.jobType(),
                u.jobId(), u.conversationId(), u.durationMs(), u.metadata(), BILLING_MONTH.format(now), now);
        store.settle(settlement, usage, committedEvent(usage, after), now);
        events.dispatchAfterCommit();
        adjustments.announce(before, after, "usage", actor);
        thresholds.crossed(sub, plan, before, after, now);
        return usage;
    }

    /**
     * What settling {@code u} does to the conversation meters (nothing for BYOK, which never touches a
     * platform meter): a named conversation is finished through its slot; a call without a conversation id
     * is a conversation of its own, counted when its reservation held a slot (or, without a reservation,
     * when the plan limits conversations).
     */
    private ConversationSlots.Change conversationSettled(UsageCommand u, @Nullable Reservation r, Plan plan,
            Instant currentPeriod, Instant now) {
        if (u.byok()) {
            return ConversationSlots.Change.NONE;
        }
        boolean live = r instanceof Reservation.Pending;
        if (u.conversationId() != null) {
            return conversations.committed(u.accountId(), currentPeriod, u.conversationId(), live ? r : null,
                    plan.conversationsPerPeriod() != null, now);
        }
        boolean counts = r != null ? r.conversations() > 0 : plan.conversationsPerPeriod() != null;
        if (!counts) {
            return ConversationSlots.Change.NONE;
        }
        return new ConversationSlots.Change(1, live ? -r.conversations() : 0);
    }

    /** The data of the {@code usage.committed} event, which the settling statement writes. */
    private static Map<String, Object> committedEvent(UsageRecord usage, Budget after) {
        var data = new LinkedHashMap<String, Object>();
        data.put("usage_record_id", usage.id());
        data.put("reservation_id", usage.reservationId());
        data.put("provider", usage.provider());
        data.put("model", usage.model());
        data.put("input_tokens", usage.inputTokens());
        data.put("output_tokens", usage.outputTokens());
        data.put("cached_input_tokens", usage.cachedInputTokens());
        data.put("cache_write_input_tokens", usage.cacheWriteInputTokens());
        data.put("cache_write_1h_input_tokens", usage.cacheWrite1hInputTokens());
        data.put("total_tokens", usage.totalTokens());
        data.put("cost_usd", Money.format(usage.costMicros()));
        data.put("byok", usage.byok());
        data.put("overage_tokens", usage.overageTokens());
        data.put("job_type", usage.jobType());
        data.put("job_id", usage.jobId());
        data.put("conversation_id", usage.conversationId());
        data.put("tokens_used", after.tokensUsed());
        return data;
    }
}
