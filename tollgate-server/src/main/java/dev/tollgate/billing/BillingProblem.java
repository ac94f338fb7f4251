package dev.tollgate.billing;

import dev.tollgate.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** Why a Stripe webhook or a checkout was refused; Stripe redelivers any webhook not answered 2xx. */
public enum BillingProblem implements ProblemType {
    STRIPE_NOT_CONFIGURED("stripe_not_configured", "Stripe webhooks are not configured",
            HttpStatus.SERVICE_UNAVAILABLE),
    INVALID_SIGNATURE("invalid_signature", "Invalid Stripe signature", HttpStatus.BAD_REQUEST),
    INVALID_STRIPE_EVENT("invalid_stripe_event", "Not a Stripe event", HttpStatus.BAD_REQUEST),
    NOT_FOR_SALE("not_for_sale", "This cannot be bought here", HttpStatus.UNPROCESSABLE_CONTENT),
    PAYMENTS_UNAVAILABLE("payments_unavailable", "Payments are unavailable", HttpStatus.BAD_GATEWAY) {
        @Override
        public boolean retryable() {
            return true;
        }
    },
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
