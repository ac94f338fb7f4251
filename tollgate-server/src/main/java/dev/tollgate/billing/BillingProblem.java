package dev.tollgate.billing;

import dev.tollgate.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** Why a Stripe webhook was refused; Stripe redelivers anything not answered 2xx. */
public enum BillingProblem implements ProblemType {
    STRIPE_NOT_CONFIGURED("stripe_not_configured", "Stripe webhooks are not configured",
            HttpStatus.SERVICE_UNAVAILABLE),
    INVALID_SIGNATURE("invalid_signature", "Invalid Stripe signature", HttpStatus.BAD_REQUEST),
    INVALID_STRIPE_EVENT("invalid_stripe_event", "Not a Stripe event", HttpStatus.BAD_REQUEST),
    STRIPE_PRICE_NOT_MAPPED("stripe_price_not_mapped", "No plan has this Stripe price",
            HttpStatus.UNPROCESSABLE_CONTENT) {
        @Override
        public boolean retryable() {
            return true;
        }
    };

    private final Definition definition;

    BillingProblem(String code, String title, HttpStatus status) {
        this.definition = new Definition(code, title, status);
    }

    @Override
    public Definition definition() {
        return definition;
    }
}
