package dev.tollgate.billing;

import static dev.tollgate.billing.StripePayloads.event;
import static dev.tollgate.billing.StripePayloads.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.Http;
import dev.tollgate.IntegrationTest;
import dev.tollgate.TollgateNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Stripe events in Stripe's own format and signing scheme, posted to a Tollgate node that has a
 * webhook secret (the suite's shared node has none, which is tested too).
 */
class StripeWebhookTests extends IntegrationTest {

    private static final String SECRET = "whsec_" + "tollgateTestSigningSecret0123456789";
    private static final String PRO_PRICE = "price_1TollgateProMonthly";
    private static @Nullable TollgateNode node;

    private Http tollgate;
    private Http stripe;

    @BeforeEach
    void startANodeWithAStripeSecret() {
        if (node == null) {
            node = TollgateNode.start(Map.of("tollgate.stripe.webhook-secret", SECRET));
        }
        tollgate = node.admin();
        stripe = new Http("http://localhost:" + node.port(), null);
        var pro = tollgate.get("/v1/plans/pro").json();
        if (!PRO_PRICE.equals(pro.path("stripe_price_id").asString())) {
            var mapped = tollgate.put("/v1/plans/pro", Map.of("name", pro.path("name").asString(),
                    "price_usd", pro.path("price_usd").asString(), "period", pro.path("period").asString(),
                    "tokens_per_period", pro.path("tokens_per_period").asLong(), "stripe_price_id", PRO_PRICE,
                    "sort_order", 70, "public", pro.path("public").asBoolean()));
            assertThat(mapped.status()).as(mapped.toString()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stopTheNode() {
        if (node != null) {
            node.close();
            node = null;
        }
    }

    @Test
    void stripe_moves_an_account_from_trial_to_pro_renews_it_marks_it_past_due_and_cancels_it() {
        var buyer = aBuyer();
        String account = buyer.account();
        String customer = buyer.customer();
        String subscription = buyer.subscription();
        Instant start = buyer.start();
        Instant firstEnd = buyer.end();
        assertThat(summary(account).path("plan").path("code").asString()).isEqualTo("trial");

        var checkout = checkout(buyer);
        assertThat(checkout.status()).as(checkout.toString()).isEqualTo(200);
        assertThat(sql.sql("SELECT stripe_customer_id || ' ' || stripe_subscription_id FROM subscription "
                + "WHERE account_id = :a").param("a", account).query(String.class).single())
                .isEqualTo(customer + " " + subscription);

        var created = send("customer.subscription.created", subscription(buyer, "active", PRO_PRICE));
        assertThat(created.json().path("outcome").asString()).as(created.toString()).isEqualTo("applied");
        var pro = summary(account);
        assertThat(pro.path("plan").path("code").asString()).isEqualTo("pro");
        assertThat(pro.path("status").asString()).isEqualTo("active");
        assertPeriod(pro, start, firstEnd);
        assertThat(pro.path("tokens").path("limit").asLong()).isEqualTo(500_000);

        // Stripe renews at the end of the period: the paid invoice starts the next one.
        clock.advanceTo(firstEnd.plusSeconds(1));
        Instant secondEnd = firstEnd.plus(Duration.ofDays(30));
        String renewal = event(id("evt"), "invoice.paid", clock.instant(), StripePayloads.invoice(id("in"), customer,
                subscription, "paid", "subscription_cycle", PRO_PRICE, firstEnd, secondEnd));
        assertThat(post(renewal).json().path("outcome").asString()).isEqualTo("applied");
        var renewed = summary(account);
        assertThat(renewed.path("status").asString()).isEqualTo("active");
        assertPeriod(renewed, firstEnd, secondEnd);

        // A redelivery of the same event changes nothing.
        long eventsBefore = eventCount(account);
        var replay = post(renewal);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().path("outcome").asString()).isEqualTo("duplicate");
        assertThat(summary(account)).isEqualTo(renewed);
        assertThat(eventCount(account)).isEqualTo(eventsBefore);

        var failed = send("invoice.payment_failed", StripePayloads.invoice(id("in"), customer, subscription, "open",
                "subscription_cycle", PRO_PRICE, firstEnd, secondEnd));
        assertThat(failed.json().path("outcome").asString()).isEqualTo("applied");
        assertThat(summary(account).path("status").asString()).isEqualTo("past_due");
        var denied = tollgate.post("/v1/reservations", Map.of("account_id", account, "provider", "openai",
                "model", "gpt-4o", "input_tokens", 10, "max_output_tokens", 10));
        assertThat(denied.code()).isEqualTo("subscription_inactive");

        var deleted = send("customer.subscription.deleted",
                StripePayloads.subscription(subscription, customer, "canceled", PRO_PRICE, firstEnd, secondEnd));
        assertThat(deleted.json().path("outcome").asString()).isEqualTo("applied");
        var canceled = summary(account);
        assertThat(canceled.path("status").asString()).isEqualTo("canceled");
        assertThat(canceled.path("plan").path("code").asString()).isEqualTo("pro");

        var types = tollgate.get("/v1/accounts/" + account + "/events?limit=200").json().path("data").findValuesAsString("type");
        assertThat(types).contains("plan.changed", "subscription.changed");
    }

    @Test
    void a_subscription_announced_before_its_checkout_is_applied_when_the_checkout_arrives() {
        var buyer = aBuyer();
        var early = send("customer.subscription.created", subscription(buyer, "active", PRO_PRICE));
        assertThat(early.status()).isEqualTo(200);
        assertThat(early.json().path("outcome").asString()).isEqualTo("pending");
        assertThat(summary(buyer.account()).path("plan").path("code").asString()).isEqualTo("trial");

        checkout(buyer);
        var pro = summary(buyer.account());
        assertThat(pro.path("plan").path("code").asString()).isEqualTo("pro");
        assertThat(pro.path("status").asString()).isEqualTo("active");
        assertPeriod(pro, buyer.start(), buyer.end());
    }

    @Test
    void an_older_subscription_event_delivered_late_does_not_undo_a_newer_one() {
        var buyer = aBuyer();
        checkout(buyer);
        String older = event(id("evt"), "customer.subscription.updated", buyer.start().minusSeconds(60),
                subscription(buyer, "active", PRO_PRICE));
        String newer = event(id("evt"), "customer.subscription.deleted", buyer.start(),
                subscription(buyer, "canceled", PRO_PRICE));

        assertThat(post(newer).json().path("outcome").asString()).isEqualTo("applied");
        assertThat(post(older).json().path("outcome").asString()).isEqualTo("ignored");
        assertThat(summary(buyer.account()).path("status").asString()).isEqualTo("canceled");
    }

    @Test
    void a_paid_one_off_checkout_tops_the_balance_up_once() {
        String account = newAccount();
        String session = id("cs");
        var paid = send("checkout.session.completed", StripePayloads.paymentCheckout(session, account, 1250, "paid"));
        assertThat(paid.json().path("outcome").asString()).as(paid.toString()).isEqualTo("applied");
        assertThat(summary(account).path("balance").path("amount_usd").asString()).isEqualTo("12.500000");

        // The same payment told again by another event is not counted twice.
        var again = send("checkout.session.async_payment_succeeded",
                StripePayloads.paymentCheckout(session, account, 1250, "paid"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(summary(account).path("balance").path("amount_usd").asString()).isEqualTo("12.500000");

        var unpaid = send("checkout.session.completed",
                StripePayloads.paymentCheckout(id("cs"), account, 5000, "unpaid"));
        assertThat(unpaid.json().path("outcome").asString()).isEqualTo("ignored");
        assertThat(summary(account).path("balance").path("amount_usd").asString()).isEqualTo("12.500000");
    }

    @Test
    void a_tampered_stale_or_unsigned_payload_is_rejected_and_changes_nothing() {
        String account = newAccount();
        String eventId = id("evt");
        String payload = event(eventId, "checkout.session.completed", clock.instant(),
                StripePayloads.paymentCheckout(id("cs"), account, 1000, "paid"));
        String signature = StripePayloads.signature(SECRET, payload, clock.instant());

        var tampered = stripe.withHeader("Stripe-Signature", signature)
                .send("POST", "/v1/webhooks/stripe", payload.replace("1000", "9000000"), "application/json");
        assertThat(tampered.status()).isEqualTo(400);
        assertThat(tampered.isProblem()).isTrue();
        assertThat(tampered.code()).isEqualTo("invalid_signature");

        var wrongSecret = stripe.withHeader("Stripe-Signature",
                StripePayloads.signature("whsec_someoneElse", payload, clock.instant()))
                .send("POST", "/v1/webhooks/stripe", payload, "application/json");
        assertThat(wrongSecret.code()).isEqualTo("invalid_signature");

        var stale = stripe.withHeader("Stripe-Signature",
                StripePayloads.signature(SECRET, payload, clock.instant().minus(Duration.ofMinutes(6))))
                .send("POST", "/v1/webhooks/stripe", payload, "application/json");
        assertThat(stale.code()).isEqualTo("invalid_signature");

        var unsigned = stripe.send("POST", "/v1/webhooks/stripe", payload, "application/json");
        assertThat(unsigned.status()).isEqualTo(400);
        assertThat(unsigned.code()).isEqualTo("invalid_signature");

        assertThat(summary(account).path("balance").path("amount_usd").asString()).isEqualTo("0.000000");
        assertThat(sql.sql("SELECT count(*) FROM stripe_event WHERE id = :id").param("id", eventId)
                .query(Long.class).single()).isZero();
    }

    @Test
    void unknown_event_types_are_acknowledged_and_ignored() {
        String eventId = id("evt");
        var response = post(event(eventId, "customer.created", clock.instant(),
                "{\"id\": \"cus_x\", \"object\": \"customer\"}"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("outcome").asString()).isEqualTo("ignored");
        assertThat(sql.sql("SELECT count(*) FROM stripe_event WHERE id = :id").param("id", eventId)
                .query(Long.class).single()).isZero();
    }

    @Test
    void an_event_that_cannot_be_applied_yet_is_refused_so_that_stripe_delivers_it_again() {
        var buyer = aBuyer();
        checkout(buyer);
        var refused = send("customer.subscription.updated", subscription(buyer, "active", "price_nobodyHasThis"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.code()).isEqualTo("stripe_price_not_mapped");
        assertThat(summary(buyer.account()).path("plan").path("code").asString()).isEqualTo("trial");

        var unknownAccount = send("checkout.session.completed",
                StripePayloads.paymentCheckout(id("cs"), unique("nobody"), 1000, "paid"));
        assertThat(unknownAccount.status()).isEqualTo(404);
        assertThat(unknownAccount.code()).isEqualTo("account_not_found");
    }

    @Test
    void without_a_webhook_secret_stripe_events_are_refused() {
        String payload = event(id("evt"), "invoice.paid", clock.instant(), "{\"id\": \"in_x\", \"object\": \"invoice\"}");
        try (var unconfigured = TollgateNode.start(Map.of("tollgate.stripe.webhook-secret", ""))) {
            var response = unconfigured.admin().as(null)
                    .withHeader("Stripe-Signature", StripePayloads.signature(SECRET, payload, clock.instant()))
                    .send("POST", "/v1/webhooks/stripe", payload, "application/json");
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.code()).isEqualTo("stripe_not_configured");
        }
    }

    /** A trial account about to subscribe to Pro, with the ids Stripe will give it and its first period. */
    private record Buyer(String account, String customer, String subscription, Instant start, Instant end) {}

    private Buyer aBuyer() {
        Instant start = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return new Buyer(newAccount(), id("cus"), id("sub"), start, start.plus(Duration.ofDays(30)));
    }

    private Http.Response checkout(Buyer buyer) {
        return send("checkout.session.completed", StripePayloads.subscriptionCheckout(id("cs"), buyer.account(),
                buyer.customer(), buyer.subscription(), buyer.start()));
    }

    private static String subscription(Buyer buyer, String status, String price) {
        return StripePayloads.subscription(buyer.subscription(), buyer.customer(), status, price, buyer.start(),
                buyer.end());
    }

    private Http.Response send(String type, String object) {
        return post(event(id("evt"), type, clock.instant(), object));
    }

    private Http.Response post(String payload) {
        return stripe.withHeader("Stripe-Signature", StripePayloads.signature(SECRET, payload, clock.instant()))
                .send("POST", "/v1/webhooks/stripe", payload, "application/json; charset=utf-8");
    }

    private String newAccount() {
        String id = unique("stripe");
        var created = tollgate.post("/v1/accounts", Map.of("id", id, "plan", "trial"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return id;
    }

    private JsonNode summary(String account) {
        var response = tollgate.get("/v1/accounts/" + account);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private long eventCount(String account) {
        return sql.sql("SELECT count(*) FROM event WHERE account_id = :a").param("a", account)
                .query(Long.class).single();
    }

    private static void assertPeriod(JsonNode summary, Instant start, Instant end) {
        assertThat(Instant.parse(summary.path("period").path("start").asString())).isEqualTo(start);
        assertThat(Instant.parse(summary.path("period").path("end").asString())).isEqualTo(end);
    }
}
