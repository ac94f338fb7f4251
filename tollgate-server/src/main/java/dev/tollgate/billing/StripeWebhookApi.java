package dev.tollgate.billing;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import dev.tollgate.platform.PlatformProblem;
import dev.tollgate.platform.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/webhooks/stripe}, called by Stripe without Tollgate credentials: the
 * {@code Stripe-Signature} over the exact bytes received is what authenticates it.
 */
@RestController
class StripeWebhookApi {

    /** How old a signed timestamp may be; Stripe's own default, against replays of captured requests. */
    static final Duration SIGNATURE_TOLERANCE = Duration.ofMinutes(5);
    /** Stripe events are a few kilobytes; anything near this is not one. */
    static final int PAYLOAD_SIZE_MAX = 1024 * 1024;

    private final StripeProperties properties;
    private final StripeWebhooks webhooks;
    private final JsonMapper json;
    private final Clock clock;

    StripeWebhookApi(StripeProperties properties, StripeWebhooks webhooks, JsonMapper json, Clock clock) {
        this.properties = properties;
        this.webhooks = webhooks;
        this.json = json;
        this.clock = clock;
    }

    record Received(boolean received, String outcome) {}

    @PostMapping("/v1/webhooks/stripe")
    Received receive(@RequestHeader(name = "Stripe-Signature", required = false) @Nullable String signature,
            HttpServletRequest request) throws IOException {
        // Without the header the request is not from Stripe, whether or not Stripe is configured here.
        if (signature == null) {
            throw new ProblemException(BillingProblem.INVALID_SIGNATURE, "The Stripe-Signature header is missing.");
        }
        String secret = properties.webhookSecret();
        if (secret == null || secret.isBlank()) {
            throw new ProblemException(BillingProblem.STRIPE_NOT_CONFIGURED,
                    "Set TOLLGATE_STRIPE_WEBHOOK_SECRET to the endpoint's signing secret to accept Stripe events.");
        }
        byte[] body = request.getInputStream().readNBytes(PAYLOAD_SIZE_MAX + 1);
        if (body.length > PAYLOAD_SIZE_MAX) {
            throw new ProblemException(PlatformProblem.PAYLOAD_TOO_LARGE,
                    "A Stripe event is at most " + PAYLOAD_SIZE_MAX + " bytes.");
        }
        String payload = new String(body, StandardCharsets.UTF_8);
        try {
            Webhook.constructEvent(payload, signature, secret, SIGNATURE_TOLERANCE.toSeconds(), clock);
        } catch (SignatureVerificationException e) {
            throw new ProblemException(BillingProblem.INVALID_SIGNATURE,
                    "The Stripe-Signature does not match the payload, or it is too old.");
        } catch (RuntimeException e) {
            // Signed, but not JSON Stripe can read.
            throw invalidEvent();
        }
        StripeEvent event;
        try {
            event = StripeEvent.of(json.readTree(payload));
        } catch (JacksonException | IllegalArgumentException e) {
            throw invalidEvent();
        }
        return new Received(true, webhooks.handle(event).wireName());
    }

    private static ProblemException invalidEvent() {
        return new ProblemException(BillingProblem.INVALID_STRIPE_EVENT, "The payload is not a Stripe event.");
    }
}
