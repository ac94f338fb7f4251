package dev.tollgate.pricing;

import dev.tollgate.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** Expected rejections of the pricing API, in the order they are checked. */
public enum PricingProblem implements ProblemType {
    /** No price, past, present or future, exists for this (provider, model). */
    UNKNOWN_MODEL("unknown_model", "Unknown model", HttpStatus.NOT_FOUND),
    /**
     * A new price must start after the latest price of its model, because older prices are history: the
     * API closes the latest interval and never rewrites an earlier one.
     */
    PRICE_OUT_OF_ORDER("price_out_of_order", "Price must start after the latest price of the model",
            HttpStatus.CONFLICT);

    private final Definition definition;

    PricingProblem(String code, String title, HttpStatus status) {
        this.definition = new Definition(code, title, status);
    }

    @Override
    public Definition definition() {
        return definition;
    }
}
