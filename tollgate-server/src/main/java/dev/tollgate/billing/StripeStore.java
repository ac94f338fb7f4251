package dev.tollgate.billing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class StripeStore {

    private final JdbcClient jdbc;

    StripeStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims a Stripe event id for this transaction; false if it was handled before. A concurrent
     * delivery of the same event waits here until the first one commits or rolls back.
     */
    boolean claim(String eventId, String type, Instant now) {
        return jdbc.sql("""
                        INSERT INTO stripe_event (id, type, received_at)
                        VALUES (:id, :type, :now)
                        ON CONFLICT (id) DO NOTHING
                        """)
                .param("id", eventId)
                .param("type", type)
                .param("now", Timestamp.from(now))
                .update() == 1;
    }

    void recordOutcome(String eventId, StripeOutcome outcome, @Nullable String accountId) {
        jdbc.sql("UPDATE stripe_event SET outcome = :outcome, account_id = :accountId WHERE id = :id")
                .param("outcome", outcome.wireName())
                .param("accountId", accountId)
                .param("id", eventId)
                .update();
    }

    /**
     * Stores what a subscription event says unless a newer event already did; returns the state now
     * stored, or empty when this event was older than the stored one.
     */
    Optional<StripeSubscription> saveState(StripeSubscription state, long eventCreated, Instant now) {
        return jdbc.sql("""
                        INSERT INTO stripe_subscription (id, customer_id, account_id, price_id, status, period_start,
                                                         period_end, event_created, updated_at)
                        VALUES (:id, :customerId, :accountId, :priceId, :status, :periodStart, :periodEnd,
                                :eventCreated, :now)
                        ON CONFLICT (id) DO UPDATE
                           SET customer_id = coalesce(EXCLUDED.customer_id, stripe_subscription.customer_id),
                               account_id = coalesce(EXCLUDED.account_id, stripe_subscription.account_id),
                               price_id = EXCLUDED.price_id, status = EXCLUDED.status,
                               period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end,
                               event_created = EXCLUDED.event_created, updated_at = EXCLUDED.updated_at
                         WHERE stripe_subscription.event_created <= EXCLUDED.event_created
                        RETURNING id, customer_id, account_id, price_id, status, period_start, period_end
                        """)
                .param("id", state.id())
                .param("customerId", state.customerId())
                .param("accountId", state.accountId())
                .param("priceId", state.priceId())
                .param("status", state.status())
                .param("periodStart", timestamp(state.periodStart()))
                .param("periodEnd", timestamp(state.periodEnd()))
                .param("eventCreated", eventCreated)
                .param("now", Timestamp.from(now))
                .query(StripeStore::state)
                .optional();
    }

    /** Remembers which account a subscription belongs to; returns its stored state, if any event told one. */
    Optional<StripeSubscription> link(String subscriptionId, @Nullable String customerId, String accountId,
            Instant now) {
        return jdbc.sql("""
                        INSERT INTO stripe_subscription (id, customer_id, account_id, updated_at)
                        VALUES (:id, :customerId, :accountId, :now)
                        ON CONFLICT (id) DO UPDATE
                           SET account_id = EXCLUDED.account_id,
                               customer_id = coalesce(stripe_subscription.customer_id, EXCLUDED.customer_id),
                               updated_at = EXCLUDED.updated_at
                        RETURNING id, customer_id, account_id, price_id, status, period_start, period_end
                        """)
                .param("id", subscriptionId)
                .param("customerId", customerId)
                .param("accountId", accountId)
                .param("now", Timestamp.from(now))
                .query(StripeStore::state)
                .optional();
    }

    Optional<StripeSubscription> find(String subscriptionId) {
        return jdbc.sql("""
                        SELECT id, customer_id, account_id, price_id, status, period_start, period_end
                          FROM stripe_subscription
                         WHERE id = :id
                        """)
                .param("id", subscriptionId)
                .query(StripeStore::state)
                .optional();
    }

    private static StripeSubscription state(ResultSet rs, int row) throws SQLException {
        return new StripeSubscription(rs.getString("id"), rs.getString("customer_id"), rs.getString("account_id"),
                rs.getString("price_id"), rs.getString("status"), instant(rs, "period_start"),
                instant(rs, "period_end"));
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
