package dev.tollgate.pricing;

/** The outcome of {@link PriceTable#set(PriceChange)}. */
public sealed interface PriceUpdate {

    /**
     * The model's price is now {@code price}. {@code changed} is false when the latest price already had
     * these values (a repeated request), in which case nothing was written.
     */
    record Applied(ModelPrice price, boolean changed) implements PriceUpdate {}

    /** Nothing was written, for the reason {@code problem}. */
    record Rejected(PricingProblem problem, String detail) implements PriceUpdate {}
}
