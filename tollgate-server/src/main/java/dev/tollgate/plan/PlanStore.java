package dev.tollgate.plan;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class PlanStore {

    private static final String PLANS = """
            SELECT code, name, price_micros, currency, period, trial_days, tokens_per_period,
                   conversations_per_period, credits_per_request, charges_balance, stripe_price_id, sort_order, public
              FROM plan
             ORDER BY sort_order, code
            """;

    private static final String PLAN = """
            SELECT code, name, price_micros, currency, period, trial_days, tokens_per_period,
                   conversations_per_period, credits_per_request, charges_balance, stripe_price_id, sort_order, public
              FROM plan
             WHERE code = :code
            """;

    private static final String PLAN_BY_STRIPE_PRICE = """
            SELECT code, name, price_micros, currency, period, trial_days, tokens_per_period,
                   conversations_per_period, credits_per_request, charges_balance, stripe_price_id, sort_order, public
              FROM plan
             WHERE stripe_price_id = :price
            """;

    private static final String SUBSCRIPTION = """
            SELECT account_id, plan_code, status, started_at, trial_ends_at, period_start, period_end,
                   tokens_per_period_override, stripe_customer_id, stripe_subscription_id
              FROM subscription
             WHERE account_id = :accountId
            """;

    private static final String SUBSCRIPTION_FOR_UPDATE = """
            SELECT account_id, plan_code, status, started_at, trial_ends_at, period_start, period_end,
                   tokens_per_period_override, stripe_customer_id, stripe_subscription_id
              FROM subscription
             WHERE account_id = :accountId
               FOR UPDATE
            """;

    /** subscription_due (V28) is the SQL of {@code Subscriptions.isDue}. */
    private static final String DUE_FOR_ROLLOVER = """
            SELECT account_id
              FROM subscription
             WHERE subscription_due(status, period_end, trial_ends_at, :now)
             ORDER BY period_end
             LIMIT :limit
            """;

    private final JdbcClient jdbc;

    PlanStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Plan> plans() {
        return jdbc.sql(PLANS).query(PlanStore::plan).list();
    }

    Optional<Plan> plan(String code) {
        return jdbc.sql(PLAN)
                .param("code", code)
                .query(PlanStore::plan)
                .optional();
    }

    Optional<Plan> planByStripePrice(String stripePriceId) {
        return jdbc.sql(PLAN_BY_STRIPE_PRICE)
                .param("price", stripePriceId)
                .query(PlanStore::plan)
                .optional();
    }

    void upsert(Plan plan, Instant now) {
        jdbc.sql("""
                        INSERT INTO plan (code, name, price_micros, currency, period, trial_days, tokens_per_period,
                                          conversations_per_period, credits_per_request, charges_balance,
                                          stripe_price_id, sort_order, public, created_at, updated_at)
                        VALUES (:code, :name, :price, :currency, :period, :trialDays, :tokens, :conversations,
                                :credits, :chargesBalance, :stripePriceId, :sortOrder, :listed, :now, :now)
                        ON CONFLICT (code) DO UPDATE
                           SET name = EXCLUDED.name, price_micros = EXCLUDED.price_micros,
                               currency = EXCLUDED.currency, period = EXCLUDED.period,
                               trial_days = EXCLUDED.trial_days, tokens_per_period = EXCLUDED.tokens_per_period,
                               conversations_per_period = EXCLUDED.conversations_per_period,
                               credits_per_request = EXCLUDED.credits_per_request,
                               charges_balance = EXCLUDED.charges_balance,
                               stripe_price_id = EXCLUDED.stripe_price_id, sort_order = EXCLUDED.sort_order,
                               public = EXCLUDED.public, updated_at = EXCLUDED.updated_at
                        """)
                .param("code", plan.code())
                .param("name", plan.name())
                .param("price", plan.priceMicros())
                .param("currency", plan.currency())
                .param("period", plan.period().iso())
                .param("trialDays", plan.trialDays())
                .param("tokens", plan.tokensPerPeriod())
                .param("conversations", plan.conversationsPerPeriod())
                .param("credits", plan.creditsPerRequest())
                .param("chargesBalance", plan.chargesBalance())
                .param("stripePriceId", plan.stripePriceId())
                .param("sortOrder", plan.sortOrder())
                .param("listed", plan.listed())
                .param("now", Timestamp.from(now))
                .update();
    }

    Optional<String> planCodeUsingStripePrice(String stripePriceId) {
        return jdbc.sql("SELECT code FROM plan WHERE stripe_price_id = :price")
                .param("price", stripePriceId)
                .query(String.class)
                .optional();
    }

    Optional<Subscription> subscription(String accountId, boolean forUpdate) {
        return jdbc.sql(forUpdate ? SUBSCRIPTION_FOR_UPDATE : SUBSCRIPTION)
                .param("accountId", accountId)
                .query(PlanStore::subscription)
                .optional();
    }

    void insertSubscriptions(List<String> accountIds, Plan plan, Instant now) {
        var status = plan.isTrial() ? SubscriptionStatus.TRIALING : SubscriptionStatus.ACTIVE;
        Instant trialEnds = plan.isTrial() ? now.plus(java.time.Duration.ofDays(plan.trialDays())) : null;
        jdbc.sql("""
                        INSERT INTO subscription (account_id, plan_code, status, started_at, trial_ends_at,
                                                  period_start, period_end, updated_at)
                        SELECT id, :plan, :status, :now, :trialEnds, :now, :periodEnd, :now
                          FROM unnest(CAST(:ids AS text[])) AS ids(id)
                        """)
                .param("ids", accountIds.toArray(String[]::new))
                .param("plan", plan.code())
                .param("status", status.wireName())
                .param("now", Timestamp.from(now))
                .param("trialEnds", trialEnds == null ? null : Timestamp.from(trialEnds))
                .param("periodEnd", Timestamp.from(plan.period().end(now, 1)))
                .update();
    }

    void update(Subscription s, Instant now) {
        jdbc.sql("""
                        UPDATE subscription
                           SET plan_code = :plan, status = :status, started_at = :startedAt,
                               trial_ends_at = :trialEnds, period_start = :periodStart, period_end = :periodEnd,
                               tokens_per_period_override = :override, stripe_customer_id = :customer,
                               stripe_subscription_id = :stripeSubscription, updated_at = :now
                         WHERE account_id = :accountId
                        """)
                .param("accountId", s.accountId())
                .param("plan", s.planCode())
                .param("status", s.status().wireName())
                .param("startedAt", Timestamp.from(s.startedAt()))
                .param("trialEnds", s.trialEndsAt() == null ? null : Timestamp.from(s.trialEndsAt()))
                .param("periodStart", Timestamp.from(s.periodStart()))
                .param("periodEnd", Timestamp.from(s.periodEnd()))
                .param("override", s.tokensPerPeriodOverride())
                .param("customer", s.stripeCustomerId())
                .param("stripeSubscription", s.stripeSubscriptionId())
                .param("now", Timestamp.from(now))
                .update();
    }

    Optional<String> accountIdByStripeIds(String customerId, String subscriptionId) {
        return jdbc.sql("""
                        SELECT account_id FROM subscription
                         WHERE stripe_subscription_id = :subscriptionId OR stripe_customer_id = :customerId
                         ORDER BY (stripe_subscription_id = :subscriptionId) DESC NULLS LAST
                         LIMIT 1
                        """)
                .param("customerId", customerId)
                .param("subscriptionId", subscriptionId)
                .query(String.class)
                .optional();
    }

    /** Subscriptions whose period or trial is over, for the sweeper; skipped if another node has them. */
    List<String> dueForRollover(Instant now, int limit) {
        return jdbc.sql(DUE_FOR_ROLLOVER)
                .param("now", Timestamp.from(now))
                .param("limit", limit)
                .query(String.class)
                .list();
    }

    private static Plan plan(ResultSet rs, int row) throws SQLException {
        return new Plan(
                rs.getString("code"),
                rs.getString("name"),
                rs.getLong("price_micros"),
                rs.getString("currency"),
                new PlanPeriod(rs.getString("period")),
                rs.getInt("trial_days"),
                (Long) rs.getObject("tokens_per_period"),
                (Long) rs.getObject("conversations_per_period"),
                rs.getLong("credits_per_request"),
                rs.getBoolean("charges_balance"),
                rs.getString("stripe_price_id"),
                rs.getInt("sort_order"),
                rs.getBoolean("public"));
    }

    private static Subscription subscription(ResultSet rs, int row) throws SQLException {
        return subscription(rs, "");
    }

    /** The subscription in a row of {@code subscription} or {@code subscription_terms}, names led by {@code prefix}. */
    static Subscription subscription(ResultSet rs, String prefix) throws SQLException {
        Timestamp trialEnds = rs.getTimestamp(prefix + "trial_ends_at");
        return new Subscription(
                rs.getString(prefix + "account_id"),
                rs.getString(prefix + "plan_code"),
                SubscriptionStatus.ofWireName(rs.getString(prefix + "status")),
                rs.getTimestamp(prefix + "started_at").toInstant(),
                trialEnds == null ? null : trialEnds.toInstant(),
                rs.getTimestamp(prefix + "period_start").toInstant(),
                rs.getTimestamp(prefix + "period_end").toInstant(),
                (Long) rs.getObject(prefix + "tokens_per_period_override"),
                rs.getString(prefix + "stripe_customer_id"),
                rs.getString(prefix + "stripe_subscription_id"));
    }

    /** How many subscriptions each plan has in each status, as stored (a lapsed trial counts until touched). */
    List<Subscriptions.PlanStatusCount> countsByPlanAndStatus() {
        return jdbc.sql("""
                        SELECT plan_code, status, count(*) AS accounts
                          FROM subscription
                         GROUP BY plan_code, status
                         ORDER BY plan_code, status
                        """)
                .query((rs, row) -> new Subscriptions.PlanStatusCount(rs.getString("plan_code"),
                        rs.getString("status"), rs.getLong("accounts")))
                .list();
    }
}
