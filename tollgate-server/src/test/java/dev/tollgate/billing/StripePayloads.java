package dev.tollgate.billing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe events as Stripe sends them (API version 2026-07-29.dahlia: periods on subscription items,
 * the subscription of an invoice under {@code parent}), and Stripe's signing scheme written from its
 * documentation: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed with the secret>}.
 */
public final class StripePayloads {

    public static final String API_VERSION = "2026-07-29.dahlia";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private StripePayloads() {}

    public static String id(String prefix) {
        return prefix + "_test" + Long.toString(System.nanoTime(), 36) + SEQUENCE.incrementAndGet();
    }

    public static String signature(String secret, String payload, Instant at) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            long t = at.getEpochSecond();
            byte[] digest = mac.doFinal((t + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + t + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String event(String eventId, String type, Instant created, String object) {
        return """
                {
                  "id": "%s",
                  "object": "event",
                  "api_version": "%s",
                  "created": %d,
                  "data": {
                    "object": %s
                  },
                  "livemode": false,
                  "pending_webhooks": 1,
                  "request": {
                    "id": "req_%s",
                    "idempotency_key": null
                  },
                  "type": "%s"
                }""".formatted(eventId, API_VERSION, created.getEpochSecond(), object, eventId.substring(4), type);
    }

    public static String subscriptionCheckout(String sessionId, String accountId, String customerId, String subscriptionId,
            Instant created) {
        return """
                {
                    "id": "%s",
                    "object": "checkout.session",
                    "amount_subtotal": 3000,
                    "amount_total": 3000,
                    "client_reference_id": "%s",
                    "created": %d,
                    "currency": "usd",
                    "customer": "%s",
                    "customer_details": {"email": "user@example.com", "name": null},
                    "invoice": "in_%s",
                    "livemode": false,
                    "metadata": {},
                    "mode": "subscription",
                    "payment_intent": null,
                    "payment_status": "paid",
                    "status": "complete",
                    "subscription": "%s",
                    "success_url": "https://app.example.com/billing?success=1",
                    "url": null
                  }""".formatted(sessionId, accountId, created.getEpochSecond(), customerId, sessionId.substring(3),
                subscriptionId);
    }

    public static String paymentCheckout(String sessionId, String accountId, long amountCents, String paymentStatus) {
        return """
                {
                    "id": "%s",
                    "object": "checkout.session",
                    "amount_subtotal": %d,
                    "amount_total": %d,
                    "client_reference_id": null,
                    "currency": "usd",
                    "customer": null,
                    "livemode": false,
                    "metadata": {"account_id": "%s"},
                    "mode": "payment",
                    "payment_intent": "pi_%s",
                    "payment_status": "%s",
                    "status": "complete",
                    "subscription": null
                  }""".formatted(sessionId, amountCents, amountCents, accountId, sessionId.substring(3), paymentStatus);
    }

    public static String subscription(String subscriptionId, String customerId, String status, String priceId,
            Instant periodStart, Instant periodEnd) {
        return """
                {
                    "id": "%s",
                    "object": "subscription",
                    "billing_cycle_anchor": %d,
                    "cancel_at": null,
                    "cancel_at_period_end": false,
                    "canceled_at": %s,
                    "collection_method": "charge_automatically",
                    "created": %d,
                    "currency": "usd",
                    "customer": "%s",
                    "items": {
                      "object": "list",
                      "data": [
                        {
                          "id": "si_%s",
                          "object": "subscription_item",
                          "current_period_end": %d,
                          "current_period_start": %d,
                          "price": {
                            "id": "%s",
                            "object": "price",
                            "active": true,
                            "currency": "usd",
                            "product": "prod_tollgate_pro",
                            "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
                            "type": "recurring",
                            "unit_amount": 3000
                          },
                          "quantity": 1,
                          "subscription": "%s"
                        }
                      ],
                      "has_more": false,
                      "url": "/v1/subscription_items?subscription=%s"
                    },
                    "livemode": false,
                    "metadata": {},
                    "start_date": %d,
                    "status": "%s"
                  }""".formatted(subscriptionId, periodStart.getEpochSecond(),
                status.equals("canceled") ? Long.toString(periodStart.getEpochSecond() + 3600) : "null",
                periodStart.getEpochSecond(), customerId, subscriptionId.substring(4), periodEnd.getEpochSecond(),
                periodStart.getEpochSecond(), priceId, subscriptionId, subscriptionId, periodStart.getEpochSecond(),
                status);
    }

    public static String invoice(String invoiceId, String customerId, String subscriptionId, String status,
            String billingReason, String priceId, Instant periodStart, Instant periodEnd) {
        return """
                {
                    "id": "%s",
                    "object": "invoice",
                    "amount_due": 3000,
                    "amount_paid": %d,
                    "amount_remaining": %d,
                    "attempt_count": 1,
                    "billing_reason": "%s",
                    "collection_method": "charge_automatically",
                    "currency": "usd",
                    "customer": "%s",
                    "lines": {
                      "object": "list",
                      "data": [
                        {
                          "id": "il_%s",
                          "object": "line_item",
                          "amount": 3000,
                          "currency": "usd",
                          "description": "1 × Pro (at $30.00 / month)",
                          "parent": {
                            "type": "subscription_item_details",
                            "subscription_item_details": {
                              "invoice_item": null,
                              "proration": false,
                              "subscription": "%s",
                              "subscription_item": "si_%s"
                            }
                          },
                          "period": {"end": %d, "start": %d},
                          "pricing": {
                            "type": "price_details",
                            "price_details": {"price": "%s", "product": "prod_tollgate_pro"},
                            "unit_amount_decimal": "3000"
                          },
                          "quantity": 1
                        }
                      ],
                      "has_more": false
                    },
                    "livemode": false,
                    "parent": {
                      "type": "subscription_details",
                      "quote_details": null,
                      "subscription_details": {"metadata": {}, "subscription": "%s"}
                    },
                    "period_end": %d,
                    "period_start": %d,
                    "status": "%s"
                  }""".formatted(invoiceId, status.equals("paid") ? 3000 : 0, status.equals("paid") ? 0 : 3000,
                billingReason, customerId, invoiceId.substring(3), subscriptionId, subscriptionId.substring(4),
                periodEnd.getEpochSecond(), periodStart.getEpochSecond(), priceId, subscriptionId,
                periodStart.getEpochSecond(), periodStart.getEpochSecond(), status);
    }
}
