package dev.tollgate.plan;

import dev.tollgate.platform.ProblemException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The plan catalog. Plans are read from the database on each use (the table is tiny and its rows are
 * cached by PostgreSQL), so an edit made directly in SQL takes effect on the next request on every node.
 */
@Service
public class Plans {

    private final PlanStore store;
    private final Clock clock;

    Plans(PlanStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public List<Plan> list() {
        return store.plans();
    }

    public Optional<Plan> find(String code) {
        return store.plan(code);
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
        return plan;
    }
}
