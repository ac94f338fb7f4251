package dev.tollgate.plan;

import dev.tollgate.event.EventType;
import dev.tollgate.event.Events;
import dev.tollgate.platform.AccountGuard;
import dev.tollgate.platform.ProblemException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each account's subscription: which plan, in which status, which period. Period rollovers and trial
 * expiry happen lazily on first touch ({@link #refresh}) or by the sweeper, exactly once, because both
 * take the subscription row's lock and re-check.
 */
@Service
public class Subscriptions {

    private final PlanStore store;
    private final Plans plans;
    private final Events events;
    private final Clock clock;

    Subscriptions(PlanStore store, Plans plans, Events events, Clock clock) {
        this.store = store;
        this.plans = plans;
        this.events = events;
        this.clock = clock;
    }

    /** Starts the given plan for new accounts; their first period starts now. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void startAll(List<String> accountIds, Plan plan, Instant now) {
        if (!accountIds.isEmpty()) {
            store.insertSubscriptions(accountIds, plan, now);
        }
    }

    /**
     * The subscription in a row that selected the subscription columns of the view {@code subscription_terms}
     * (V28, the plan module's published reading of a subscription), each named with {@code prefix}. Such a
     * row must be due for no refresh at the time it is used ({@code subscription_due} is false), else it goes
     * through {@link #refresh}, which locks it.
     */
    public static Subscription fromTermsRow(ResultSet rs, String prefix) throws SQLException {
        return PlanStore.subscription(rs, prefix);
    }

    public Optional<Subscription> find(String accountId) {
        return store.subscription(accountId, false);
    }

    public Optional<String> findAccountIdByStripeIds(@Nullable String customerId, @Nullable String subscriptionId) {
        if (customerId == null && subscriptionId == null) {
            return Optional.empty();
        }
        return store.accountIdByStripeIds(customerId == null ? "" : customerId,
                subscriptionId == null ? "" : subscriptionId);
    }

    /**
     * Brings the subscription up to date with the clock: an ended trial becomes {@code expired} (with a
     * {@code trial.expired} event), an ended period rolls over to the period containing now.
     */
    @Transactional
    public Optional<Subscription> refresh(String accountId) {
        Instant now = clock.instant();
        var found = store.subscription(accountId, false);
        if (found.isEmpty() || !isDue(found.get(), now)) {
            return found;
        }
        var locked = store.subscription(accountId, true).orElseThrow();
        if (!isDue(locked, now)) {
            return Optional.of(locked);
        }
        Subscription current = locked;
        if (locked.trialOver(now) && locked.status() == SubscriptionStatus.TRIALING) {
            current = with(locked, locked.planCode(), SubscriptionStatus.EXPIRED, locked.startedAt(),
                    locked.trialEndsAt(), locked.periodStart(), locked.periodEnd());
            events.append(accountId, EventType.TRIAL_EXPIRED, Map.of(
                    "plan", locked.planCode(), "trial_ended_at", String.valueOf(locked.trialEndsAt())));
        } else if (!locked.periodEnd().isAfter(now)) {
            var plan = plans.require(locked.planCode());
            var bounds = plan.period().containing(locked.startedAt(), now);
            current = with(locked, locked.planCode(), locked.status(), locked.startedAt(), locked.trialEndsAt(),
                    bounds.start(), bounds.end());
        }
        store.update(current, now);
        return Optional.of(current);
    }

    private static boolean isDue(Subscription s, Instant now) {
        return s.status().mayReserve() && (!s.periodEnd().isAfter(now) || s.trialOver(now));
    }

    /** Moves the account to another plan; a fresh period (and for trial plans a fresh trial) starts now. */
    @Transactional
    public Subscription changePlan(String accountId, String planCode, @Nullable String reason, String actor) {
        var plan = plans.require(planCode);
        var current = store.subscription(accountId, true).orElseThrow(() -> AccountGuard.notFound(accountId));
        Instant now = clock.instant();
        var changed = startPlan(current, plan, now);
        store.update(changed, now);
        planChanged(current, changed, reason, actor);
        return changed;
    }

    /** Sets (or with null clears) the account's own token allowance, which beats the plan's. */
    @Transactional
    public Subscription setTokenOverride(String accountId, @Nullable Long tokensPerPeriod, String actor) {
        var current = store.subscription(accountId, true).orElseThrow(() -> AccountGuard.notFound(accountId));
        var changed = new Subscription(current.accountId(), current.planCode(), current.status(),
                current.startedAt(), current.trialEndsAt(), current.periodStart(), current.periodEnd(),
                tokensPerPeriod, current.stripeCustomerId(), current.stripeSubscriptionId());
        store.update(changed, clock.instant());
        var data = new LinkedHashMap<String, Object>();
        data.put("previous_tokens_per_period", current.tokensPerPeriodOverride());
        data.put("tokens_per_period", tokensPerPeriod);
        data.put("actor", actor);
        events.append(accountId, EventType.ALLOWANCE_CHANGED, data);
        return changed;
    }

    /**
     * Ends a running trial now, as if its time had run out: the status becomes {@code expired} (so requests
     * are refused with {@code trial_expired}) and a {@code trial.expired} event names who ended it and why.
     * An account that is not trialing is refused with {@code not_trialing}.
     */
    @Transactional
    public Subscription endTrial(String accountId, @Nullable String reason, String actor) {
        var current = store.subscription(accountId, true).orElseThrow(() -> AccountGuard.notFound(accountId));
        Instant now = clock.instant();
        if (current.status() != SubscriptionStatus.TRIALING || current.trialOver(now)) {
            throw new ProblemException(PlanProblem.NOT_TRIALING, "The account's subscription is "
                    + current.status().wireName() + ", not a running trial.");
        }
        var ended = with(current, current.planCode(), SubscriptionStatus.EXPIRED, current.startedAt(), now,
                current.periodStart(), current.periodEnd());
        store.update(ended, now);
        var data = new LinkedHashMap<String, Object>();
        data.put("plan", current.planCode());
        data.put("trial_ended_at", now.toString());
        data.put("reason", reason);
        data.put("actor", actor);
        events.append(accountId, EventType.TRIAL_EXPIRED, data);
        return ended;
    }

    /** Applies a change decided by Stripe, in the caller's transaction. */
    @Transactional
    public Subscription applyExternalChange(String accountId, SubscriptionChange change, String actor, String reason) {
        var current = store.subscription(accountId, true).orElseThrow(() -> AccountGuard.notFound(accountId));
        Instant now = clock.instant();
        Subscription next = current;
        if (change.planCode() != null && !change.planCode().equals(current.planCode())) {
            next = startPlan(current, plans.require(change.planCode()), now);
        }
        SubscriptionStatus status = change.status() != null ? change.status() : next.status();
        Instant periodStart = change.periodStart() != null ? change.periodStart() : next.periodStart();
        Instant periodEnd = change.periodEnd() != null ? change.periodEnd() : next.periodEnd();
        Instant startedAt = change.periodStart() != null && !change.periodStart().equals(current.periodStart())
                ? change.periodStart() : next.startedAt();
        next = new Subscription(accountId, next.planCode(), status, startedAt,
                status == SubscriptionStatus.TRIALING ? next.trialEndsAt() : null, periodStart, periodEnd,
                next.tokensPerPeriodOverride(),
                change.stripeCustomerId() != null ? change.stripeCustomerId() : next.stripeCustomerId(),
                change.stripeSubscriptionId() != null ? change.stripeSubscriptionId() : next.stripeSubscriptionId());
        store.update(next, now);
        if (!next.planCode().equals(current.planCode())) {
            planChanged(current, next, reason, actor);
        }
        if (next.status() != current.status() || !next.periodStart().equals(current.periodStart())) {
            var data = new LinkedHashMap<String, Object>();
            data.put("plan", next.planCode());
            data.put("previous_status", current.status().wireName());
            data.put("status", next.status().wireName());
            data.put("period_start", next.periodStart().toString());
            data.put("period_end", next.periodEnd().toString());
            data.put("actor", actor);
            data.put("reason", reason);
            events.append(accountId, EventType.SUBSCRIPTION_CHANGED, data);
        }
        return next;
    }

    public List<String> dueForRollover(int limit) {
        return store.dueForRollover(clock.instant(), limit);
    }

    private static Subscription startPlan(Subscription current, Plan plan, Instant now) {
        Instant trialEnds = plan.isTrial() ? now.plus(Duration.ofDays(plan.trialDays())) : null;
        var status = plan.isTrial() ? SubscriptionStatus.TRIALING : SubscriptionStatus.ACTIVE;
        return new Subscription(current.accountId(), plan.code(), status, now, trialEnds, now,
                plan.period().end(now, 1), current.tokensPerPeriodOverride(), current.stripeCustomerId(),
                current.stripeSubscriptionId());
    }

    private void planChanged(Subscription from, Subscription to, @Nullable String reason, String actor) {
        var data = new LinkedHashMap<String, Object>();
        data.put("previous_plan", from.planCode());
        data.put("plan", to.planCode());
        data.put("status", to.status().wireName());
        data.put("period_start", to.periodStart().toString());
        data.put("period_end", to.periodEnd().toString());
        data.put("reason", reason);
        data.put("actor", actor);
        events.append(from.accountId(), EventType.PLAN_CHANGED, data);
    }

    private static Subscription with(Subscription s, String planCode, SubscriptionStatus status, Instant startedAt,
            @Nullable Instant trialEndsAt, Instant periodStart, Instant periodEnd) {
        return new Subscription(s.accountId(), planCode, status, startedAt, trialEndsAt, periodStart, periodEnd,
                s.tokensPerPeriodOverride(), s.stripeCustomerId(), s.stripeSubscriptionId());
    }

    /** One cell of the console's overview: the number of accounts on a plan in a status. */
    public record PlanStatusCount(String planCode, String status, long accounts) {}

    /** Accounts by plan and status, for the console's overview. */
    public List<PlanStatusCount> countsByPlanAndStatus() {
        return store.countsByPlanAndStatus();
    }
}
