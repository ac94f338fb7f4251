package dev.tollgate.billing;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionCreateParams.LineItem;
import com.stripe.param.checkout.SessionCreateParams.LineItem.PriceData;
import dev.tollgate.plan.Plan;
import dev.tollgate.plan.Plans;
import dev.tollgate.plan.Subscription;
import dev.tollgate.plan.Subscriptions;
import dev.tollgate.platform.ProblemException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Where an end user's Upgrade, Top up and Manage billing lead. With a Stripe secret key: a Checkout
 * Session (subscription mode for the plan's Stripe price, payment mode for a top-up) or a Billing Portal
 * session, each naming the account so that the webhook Stripe sends afterwards applies the result.
 * Without one: the host app's configured page, or nothing (the page then shows no button).
 */
@Service
public class Checkout {

    private static final Logger log = LoggerFactory.getLogger(Checkout.class);
    private static final long CENTS_PER_USD = 100;

    private static final List<String> STRIPE_PAGES = List.of("https://checkout.stripe.com", "https://billing.stripe.com");

    private final @Nullable StripeClient stripe;
    private final List<String> formTargets;
    private final CheckoutProperties properties;
    private final Plans plans;
    private final Subscriptions subscriptions;

    Checkout(StripeProperties stripeProperties, CheckoutProperties properties, Plans plans,
            Subscriptions subscriptions) {
        this.stripe = stripeProperties.checkoutConfigured() ? client(stripeProperties) : null;
        this.formTargets = stripeProperties.apiBase() == null ? STRIPE_PAGES
                : Stream.concat(STRIPE_PAGES.stream(), Stream.of(
                        origin(URI.create(stripeProperties.apiBase())))).toList();
        this.properties = properties;
        this.plans = plans;
        this.subscriptions = subscriptions;
    }

    private static StripeClient client(StripeProperties properties) {
        var builder = StripeClient.builder().setApiKey(properties.secretKey()).setMaxNetworkRetries(2);
        if (properties.apiBase() != null) {
            builder.setApiBase(properties.apiBase());
        }
        return builder.build();
    }

    /**
     * The origins a billing-page form may end up on (its POST answers with a redirect there): Stripe's
     * pages, and the API base's origin when the client is pointed elsewhere (a Stripe-compatible fake).
     */
    public List<String> formTargets() {
        return formTargets;
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /** Whether the buttons post to Tollgate, which opens Stripe. */
    public boolean viaStripe() {
        return stripe != null;
    }

    /** Whether the page may offer this plan: Stripe sells it only with a price; the fallback page sells anything. */
    public boolean offers(Plan plan) {
        return stripe != null ? plan.stripePriceId() != null : properties.upgradeUrl() != null;
    }

    public boolean offersTopUp() {
        return stripe != null || properties.upgradeUrl() != null;
    }

    /** The host app's page, when the buttons lead there instead of to Stripe. */
    public Optional<String> fallbackUrl() {
        return stripe == null ? Optional.ofNullable(properties.upgradeUrl()) : Optional.empty();
    }

    public List<Integer> topUpAmountsUsd() {
        return properties.topUpAmountsUsd();
    }

    /** Manage billing needs a Stripe customer, which the account has once a checkout of it completed. */
    public boolean offersBillingPortal(String accountId) {
        return stripe != null && customerOf(accountId) != null;
    }

    public URI upgrade(String accountId, String planCode, URI returnTo) {
        Plan plan = plans.find(planCode).filter(p -> p.stripePriceId() != null)
                .orElseThrow(() -> new ProblemException(BillingProblem.NOT_FOR_SALE,
                        "Plan '" + planCode + "' cannot be bought here."));
        var params = session(accountId, SessionCreateParams.Mode.SUBSCRIPTION, returnTo)
                .addLineItem(LineItem.builder().setPrice(plan.stripePriceId()).setQuantity(1L).build())
                .setSubscriptionData(SessionCreateParams.SubscriptionData.builder()
                        .putMetadata("account_id", accountId).build());
        String customer = customerOf(accountId);
        if (customer != null) {
            params.setCustomer(customer);
        }
        return create(params.build(), accountId);
    }

    public URI topUp(String accountId, int amountUsd, URI returnTo) {
        if (!properties.topUpAmountsUsd().contains(amountUsd)) {
            throw new ProblemException(BillingProblem.NOT_FOR_SALE, "A top-up of $" + amountUsd
                    + " is not offered; choose one of " + properties.topUpAmountsUsd() + ".");
        }
        var params = session(accountId, SessionCreateParams.Mode.PAYMENT, returnTo)
                .addLineItem(LineItem.builder().setQuantity(1L).setPriceData(PriceData.builder()
                        .setCurrency("usd")
                        .setUnitAmount(amountUsd * CENTS_PER_USD)
                        .setProductData(PriceData.ProductData.builder().setName("Prepaid balance").build())
                        .build()).build())
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                        .putMetadata("account_id", accountId).build());
        String customer = customerOf(accountId);
        if (customer != null) {
            params.setCustomer(customer);
        }
        return create(params.build(), accountId);
    }

    public URI billingPortal(String accountId, URI returnTo) {
        String customer = customerOf(accountId);
        if (stripe == null || customer == null) {
            throw new ProblemException(BillingProblem.NOT_FOR_SALE, "This account has no Stripe customer yet.");
        }
        try {
            var session = stripe.v1().billingPortal().sessions().create(
                    com.stripe.param.billingportal.SessionCreateParams.builder()
                            .setCustomer(customer).setReturnUrl(returnTo.toString()).build());
            return URI.create(session.getUrl());
        } catch (StripeException e) {
            throw unavailable(accountId, e);
        }
    }

    private static SessionCreateParams.Builder session(String accountId, SessionCreateParams.Mode mode, URI returnTo) {
        return SessionCreateParams.builder()
                .setMode(mode)
                .setClientReferenceId(accountId)
                .putMetadata("account_id", accountId)
                .setSuccessUrl(returnTo + "?checkout=success")
                .setCancelUrl(returnTo + "?checkout=canceled");
    }

    private URI create(SessionCreateParams params, String accountId) {
        if (stripe == null) {
            throw new ProblemException(BillingProblem.NOT_FOR_SALE, "Payments are not configured.");
        }
        try {
            return URI.create(stripe.v1().checkout().sessions().create(params).getUrl());
        } catch (StripeException e) {
            throw unavailable(accountId, e);
        }
    }

    private static ProblemException unavailable(String accountId, StripeException e) {
        log.warn("Stripe refused a session for account {}: {} ({})", accountId, e.getMessage(), e.getCode());
        return new ProblemException(BillingProblem.PAYMENTS_UNAVAILABLE,
                "Payments are unavailable right now. Please try again in a moment.");
    }

    private @Nullable String customerOf(String accountId) {
        return subscriptions.find(accountId).map(Subscription::stripeCustomerId).orElse(null);
    }
}
