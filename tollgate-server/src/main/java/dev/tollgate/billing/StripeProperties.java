package dev.tollgate.billing;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code tollgate.stripe.*}: the webhook endpoint's signing secret ({@code whsec_...}; unset refuses
 * Stripe's webhooks), the secret API key ({@code sk_...}; unset means no Checkout or Billing Portal),
 * and the API base the Stripe client calls (Stripe's own unless pointed elsewhere, as tests do).
 */
@ConfigurationProperties("tollgate.stripe")
record StripeProperties(@Nullable String webhookSecret, @Nullable String secretKey, @Nullable String apiBase) {

    StripeProperties {
        webhookSecret = blankToNull(webhookSecret);
        secretKey = blankToNull(secretKey);
        apiBase = blankToNull(apiBase);
    }

    boolean configured() {
        return webhookSecret != null;
    }

    boolean checkoutConfigured() {
        return secretKey != null;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Override
    public String toString() {
        return "StripeProperties[webhookSecret=" + (webhookSecret != null ? "<redacted>" : "<unset>")
                + ", secretKey=" + (secretKey != null ? "<redacted>" : "<unset>") + ", apiBase=" + apiBase + "]";
    }
}
