package dev.tollgate.plan;

import dev.tollgate.platform.ProblemException;
import java.time.Clock;
import dev.tollgate.platform.DatabaseNotifications;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The plan catalog, cached in memory on every node. A database trigger announces every change to the
 * plan table (API or direct SQL) with NOTIFY, and each node drops its copy, so an edit takes effect on
 * the next request everywhere. The reservation statement itself reads the plan row, never this cache.
 */
@Service
public class Plans {

    static final String CHANGES_CHANNEL = "tollgate_plans";

    private final PlanStore store;
    private final Clock clock;
    /** Bumped on every change notice; a catalog loaded at an older count is stale. */
    private final AtomicLong changes = new AtomicLong();
    private volatile @Nullable Loaded loaded;

    private record Loaded(long changes, List<Plan> plans, Map<String, Plan> byCode) {}

    Plans(PlanStore store, Clock clock, DatabaseNotifications notifications) {
        this.store = store;
        this.clock = clock;
        notifications.subscribe(CHANGES_CHANNEL, payload -> changes.incrementAndGet());
    }

    public List<Plan> list() {
        return catalog().plans();
    }

    public Optional<Plan> find(String code) {
        return Optional.ofNullable(catalog().byCode().get(code));
    }

    private Loaded catalog() {
        long seen = changes.get();
        Loaded current = loaded;
        if (current != null && current.changes() == seen) {
            return current;
        }
        List<Plan> plans = store.plans();
        var byCode = new HashMap<String, Plan>();
        plans.forEach(plan -> byCode.put(plan.code(), plan));
        Loaded fresh = new Loaded(seen, plans, Map.copyOf(byCode));
        loaded = fresh;
        return fresh;
    }

    public Plan require(String code) {
        return find(code).orElseThrow(() -> new ProblemException(PlanProblem.UNKNOWN_PLAN,
                "There is no plan '" + code + "'. See GET /v1/plans."));
    }

    public Optional<Plan> findByStripePriceId(String stripePriceId) {
        return store.planByStripePrice(stripePriceId);
    }

    /** Creates or replaces a plan. Existing subscriptions keep their periods and see the new limits at once. */
    @Transactional
    public Plan put(Plan plan) {
        if (plan.stripePriceId() != null) {
            store.planCodeUsingStripePrice(plan.stripePriceId())
                    .filter(code -> !code.equals(plan.code()))
                    .ifPresent(code -> {
                        throw new ProblemException(PlanProblem.STRIPE_PRICE_IN_USE,
                                "Stripe price " + plan.stripePriceId() + " is already mapped to plan '" + code + "'.");
                    });
        }
        store.upsert(plan, clock.instant());
        // This node need not wait for its own notice.
        changes.incrementAndGet();
        return plan;
    }
}
