package dev.tollgate.plan;

import dev.tollgate.platform.ProblemType;
import org.springframework.http.HttpStatus;

public enum PlanProblem implements ProblemType {
    UNKNOWN_PLAN("unknown_plan", "Unknown plan", HttpStatus.UNPROCESSABLE_CONTENT),
    PLAN_NOT_FOUND("plan_not_found", "Plan not found", HttpStatus.NOT_FOUND),
    STRIPE_PRICE_IN_USE("stripe_price_in_use", "Stripe price already mapped to another plan", HttpStatus.CONFLICT),
    NOT_TRIALING("not_trialing", "The account is not in a running trial", HttpStatus.CONFLICT);

    private final Definition definition;

    PlanProblem(String code, String title, HttpStatus status) {
        this.definition = new Definition(code, title, status);
    }

    @Override
    public Definition definition() {
        return definition;
    }
}
