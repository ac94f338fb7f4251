package dev.tollgate.billing;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code tollgate.stripe.webhook-secret}: the endpoint's signing secret ({@code whsec_...}); unset disables Stripe. */
@ConfigurationProperties("tollgate.stripe")
record StripeProperties(@Nullable String webhookSecret) {

    boolean configured() {
        return webhookSecret != null && !webhookSecret.isBlank();
    }

    @Override
    public String toString() {
        return "StripeProperties[webhookSecret=" + (configured() ? "<redacted>" : "<unset>") + "]";
    }
}
