package dev.tollgate.billing;

import static dev.tollgate.billing.StripeEvent.idOf;
import static dev.tollgate.billing.StripeEvent.seconds;
import static dev.tollgate.billing.StripeEvent.text;

import dev.tollgate.ledger.Ledger;
import dev.tollgate.plan.Plan;
import dev.tollgate.plan.Plans;
import dev.tollgate.plan.SubscriptionChange;
import dev.tollgate.plan.SubscriptionStatus;
import dev.tollgate.plan.Subscriptions;
import dev.tollgate.platform.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Applies verified Stripe events. Each event is claimed by its id and applied in the same transaction,
 * so a redelivery changes nothing and a failure (an unknown account, an unmapped price) changes
 * nothing either: the event is answered with a problem and Stripe delivers it again later.
 *
 * <p>The account is the checkout's {@code client_reference_id} or {@code metadata.account_id}, else the
 * account that stores the Stripe customer or subscription id. Stripe does not order its events, so a
 * subscription announced before its checkout is kept and applied when the checkout names the account.
 */
@Service
class StripeWebhooks {

    static final String ACTOR = "stripe";
    /** Stripe amounts are in cents; Tollgate's money is in micro-USD. */
    private static final long MICROS_PER_CENT = 10_000;

    private static final String CHECKOUT_COMPLETED = "checkout.session.completed";
    private static final String CHECKOUT_ASYNC_PAYMENT_SUCCEEDED = "checkout.session.async_payment_succeeded";
    private static final String SUBSCRIPTION_CREATED = "customer.subscription.created";
    private static final String SUBSCRIPTION_UPDATED = "customer.subscription.updated";
    private static final String SUBSCRIPTION_DELETED = "customer.subscription.deleted";
    private static final String INVOICE_PAID = "invoice.paid";
    private static final String INVOICE_PAYMENT_FAILED = "invoice.payment_failed";
    static final Set<String> HANDLED_TYPES = Set.of(CHECKOUT_COMPLETED, CHECKOUT_ASYNC_PAYMENT_SUCCEEDED,
            SUBSCRIPTION_CREATED, SUBSCRIPTION_UPDATED, SUBSCRIPTION_DELETED, INVOICE_PAID, INVOICE_PAYMENT_FAILED);

    private static final Logger log = LoggerFactory.getLogger(StripeWebhooks.class);

    private final StripeStore store;
    private final Subscriptions subscriptions;
    private final Plans plans;
    private final Ledger ledger;
    private final Clock clock;

    StripeWebhooks(StripeStore store, Subscriptions subscriptions, Plans plans, Ledger ledger, Clock clock) {
        this.store = store;
        this.subscriptions = subscriptions;
        this.plans = plans;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Applies the event once; event types Tollgate does not handle are ignored without a trace. */
    @Transactional
    StripeOutcome handle(StripeEvent event) {
        if (!HANDLED_TYPES.contains(event.type())) {
            return StripeOutcome.IGNORED;
        }
        if (!store.claim(event.id(), event.type(), clock.instant())) {
            return StripeOutcome.DUPLICATE;
        }
        var result = switch (event.type()) {
            case CHECKOUT_COMPLETED, CHECKOUT_ASYNC_PAYMENT_SUCCEEDED -> checkout(event.object());
            case SUBSCRIPTION_CREATED, SUBSCRIPTION_UPDATED, SUBSCRIPTION_DELETED -> subscription(event);
            case INVOICE_PAID -> invoice(event.object(), true);
            case INVOICE_PAYMENT_FAILED -> invoice(event.object(), false);
            default -> throw new IllegalStateException("unhandled Stripe event type " + event.type());
        };
        store.recordOutcome(event.id(), result.outcome(), result.accountId());
        log.info("Stripe event {} ({}) {}{}", event.id(), event.type(), result.outcome().wireName(),
                result.accountId() == null ? "" : " for account " + result.accountId());
        return result.outcome();
    }

    /** A paid one-off checkout tops the balance up; a subscription checkout ties the account to its subscription. */
    private Result checkout(JsonNode session) {
        String accountId = accountIdOf(session);
        if (accountId == null) {
            return Result.ignored(null);
        }
        String mode = text(session.path("mode"));
        if ("payment".equals(mode)) {
            return topUp(session, accountId);
        }
        if (!"subscription".equals(mode)) {
            return Result.ignored(accountId);
        }
        String subscriptionId = idOf(session.path("subscription"));
        if (subscriptionId == null) {
            return Result.ignored(accountId);
        }
        String customerId = idOf(session.path("customer"));
        var state = store.link(subscriptionId, customerId, accountId, clock.instant()).orElseThrow();
        apply(accountId, state);
        return Result.applied(accountId);
    }

    private Result topUp(JsonNode session, String accountId) {
        // Delayed payment methods complete the checkout unpaid and succeed later (async_payment_succeeded).
        if (!"paid".equals(text(session.path("payment_status")))) {
            return Result.ignored(accountId);
        }
        String currency = text(session.path("currency"));
        long cents = session.path("amount_total").asLong(0);
        if (!"usd".equalsIgnoreCase(currency) || cents <= 0) {
            log.warn("Stripe checkout {} for account {} paid {} {}; only USD amounts top up a balance",
                    text(session.path("id")), accountId, cents, currency);
            return Result.ignored(accountId);
        }
        // The checkout session id makes the top-up happen once, whichever of its events arrives first.
        ledger.topUp(accountId, Math.multiplyExact(cents, MICROS_PER_CENT), "stripe:" + text(session.path("id")),
                ACTOR);
        return Result.applied(accountId);
    }

    private Result subscription(StripeEvent event) {
        JsonNode object = event.object();
        String subscriptionId = text(object.path("id"));
        if (subscriptionId == null) {
            return Result.ignored(null);
        }
        JsonNode firstItem = object.path("items").path("data").path(0);
        Instant periodStart = firstNonNull(seconds(object.path("current_period_start")),
                seconds(firstItem.path("current_period_start")));
        Instant periodEnd = firstNonNull(seconds(object.path("current_period_end")),
                seconds(firstItem.path("current_period_end")));
        var reported = new StripeSubscription(subscriptionId, idOf(object.path("customer")), accountIdOf(object),
                priceIdOf(object), text(object.path("status")), periodStart, periodEnd);
        var stored = store.saveState(reported, event.created(), clock.instant());
        if (stored.isEmpty()) {
            // A newer event about this subscription was applied already.
            return Result.ignored(null);
        }
        var state = stored.get();
        String accountId = state.accountId() != null ? state.accountId()
                : subscriptions.findAccountIdByStripeIds(state.customerId(), subscriptionId).orElse(null);
        if (accountId == null) {
            return new Result(StripeOutcome.PENDING, null);
        }
        apply(accountId, state);
        return Result.applied(accountId);
    }

    /** Applies the subscription's plan, status and period (as far as Stripe told them) to the account. */
    private void apply(String accountId, StripeSubscription state) {
        SubscriptionStatus status = state.status() == null ? null : statusOf(state.status());
        String planCode = null;
        if (status != null && state.priceId() != null) {
            Optional<Plan> plan = plans.findByStripePriceId(state.priceId());
            if (plan.isEmpty() && status != SubscriptionStatus.CANCELED) {
                throw new ProblemException(BillingProblem.STRIPE_PRICE_NOT_MAPPED, "No plan has stripe_price_id '"
                        + state.priceId() + "'. Set it on the plan; Stripe will deliver the event again.");
            }
            planCode = plan.map(Plan::code).orElse(null);
        }
        boolean withPeriod = status != null && state.periodStart() != null && state.periodEnd() != null
                && state.periodEnd().isAfter(state.periodStart());
        subscriptions.applyExternalChange(accountId, new SubscriptionChange(planCode, status,
                withPeriod ? state.periodStart() : null, withPeriod ? state.periodEnd() : null, state.customerId(),
                state.id()), ACTOR, "stripe subscription " + state.id() + " " + state.status());
    }

    /** A paid invoice starts the period it bills; a failed payment makes the subscription past due. */
    private Result invoice(JsonNode invoice, boolean paid) {
        JsonNode parentDetails = invoice.path("parent").path("subscription_details");
        String subscriptionId = firstNonNull(idOf(invoice.path("subscription")), idOf(parentDetails.path("subscription")));
        if (subscriptionId == null) {
            return Result.ignored(null);
        }
        String customerId = idOf(invoice.path("customer"));
        String accountId = firstNonNull(text(parentDetails.path("metadata").path("account_id")),
                text(invoice.path("subscription_details").path("metadata").path("account_id")));
        if (accountId == null) {
            accountId = store.find(subscriptionId).map(StripeSubscription::accountId)
                    .or(() -> subscriptions.findAccountIdByStripeIds(customerId, subscriptionId)).orElse(null);
        }
        if (accountId == null) {
            // Its subscription's own events carry the same period and status once the account is known.
            return Result.ignored(null);
        }
        var current = subscriptions.find(accountId).orElse(null);
        SubscriptionStatus status;
        Instant periodStart = null;
        Instant periodEnd = null;
        if (paid) {
            status = current != null && current.status().mayReserve() ? null : SubscriptionStatus.ACTIVE;
            JsonNode line = subscriptionLine(invoice);
            Instant start = seconds(line.path("period").path("start"));
            Instant end = seconds(line.path("period").path("end"));
            // Never move a period back: an older invoice may be delivered after a newer one.
            if (start != null && end != null && end.isAfter(start)
                    && (current == null || !start.isBefore(current.periodStart()))) {
                periodStart = start;
                periodEnd = end;
            }
        } else {
            status = SubscriptionStatus.PAST_DUE;
        }
        if (current != null && current.status() == SubscriptionStatus.CANCELED) {
            status = null;
        }
        subscriptions.applyExternalChange(accountId, new SubscriptionChange(null, status, periodStart, periodEnd,
                customerId, subscriptionId), ACTOR, "stripe invoice " + text(invoice.path("id"))
                + (paid ? " paid" : " payment failed"));
        return Result.applied(accountId);
    }

    /** The invoice line that bills the subscription itself, in current and older API shapes. */
    private static JsonNode subscriptionLine(JsonNode invoice) {
        JsonNode lines = invoice.path("lines").path("data");
        for (JsonNode line : lines) {
            if ("subscription".equals(text(line.path("type")))
                    || "subscription_item_details".equals(text(line.path("parent").path("type")))) {
                return line;
            }
        }
        return lines.path(0);
    }

    private static @Nullable String accountIdOf(JsonNode object) {
        return firstNonNull(text(object.path("client_reference_id")), text(object.path("metadata").path("account_id")));
    }

    private static @Nullable String priceIdOf(JsonNode subscription) {
        for (JsonNode item : subscription.path("items").path("data")) {
            String price = idOf(item.path("price"));
            if (price != null) {
                return price;
            }
        }
        return idOf(subscription.path("plan"));
    }

    /**
     * Stripe's subscription statuses in Tollgate's terms. {@code unpaid} and {@code paused} stop
     * reservations like {@code past_due}; an {@code incomplete} subscription was never paid for, so it
     * changes nothing yet (null).
     */
    static @Nullable SubscriptionStatus statusOf(String stripeStatus) {
        return switch (stripeStatus.toLowerCase(Locale.ROOT)) {
            case "active" -> SubscriptionStatus.ACTIVE;
            case "trialing" -> SubscriptionStatus.TRIALING;
            case "past_due", "unpaid", "paused" -> SubscriptionStatus.PAST_DUE;
            case "canceled" -> SubscriptionStatus.CANCELED;
            default -> null;
        };
    }

    private static <T> @Nullable T firstNonNull(@Nullable T first, @Nullable T second) {
        return first != null ? first : second;
    }

    private record Result(StripeOutcome outcome, @Nullable String accountId) {
        static Result applied(String accountId) {
            return new Result(StripeOutcome.APPLIED, accountId);
        }

        static Result ignored(@Nullable String accountId) {
            return new Result(StripeOutcome.IGNORED, accountId);
        }
    }
}
