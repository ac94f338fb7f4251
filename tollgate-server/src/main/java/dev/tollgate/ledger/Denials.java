package dev.tollgate.ledger;

import dev.tollgate.ledger.ReserveResult.Rejected;
import dev.tollgate.plan.Plan;
import dev.tollgate.plan.Plans;
import dev.tollgate.shared.Money;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The words of each denial, from what the reserve statement read. Which denial applies is decided by
 * the database function {@code admission_refusal} alone; this class only formats it.
 */
@Component
class Denials {

    private static final List<LedgerProblem> IN_ORDER = List.of(LedgerProblem.TRIAL_EXPIRED,
            LedgerProblem.SUBSCRIPTION_INACTIVE, LedgerProblem.CONVERSATION_LIMIT_REACHED,
            LedgerProblem.LIMIT_EXCEEDED, LedgerProblem.INSUFFICIENT_TOKENS, LedgerProblem.INSUFFICIENT_CREDITS,
            LedgerProblem.INSUFFICIENT_BALANCE);

    private final Plans plans;
    private final LedgerSettings settings;

    Denials(Plans plans, LedgerSettings settings) {
        this.plans = plans;
        this.settings = settings;
    }

    /** The denial an answer of {@code admission_refusal} names; empty for its chores ({@code *_due}). */
    static Optional<LedgerProblem> named(String refusal) {
        return IN_ORDER.stream().filter(problem -> problem.code().equals(refusal)).findFirst();
    }

    /** Whether {@code admission_refusal} answered the chore of bringing the subscription up to date. */
    static boolean subscriptionDue(@Nullable String refusal) {
        return "subscription_due".equals(refusal);
    }

    /** Whether a denial is about a meter, so that expiring overdue reservations might lift it. */
    static boolean onAMeter(LedgerProblem problem) {
        return IN_ORDER.indexOf(problem) >= IN_ORDER.indexOf(LedgerProblem.CONVERSATION_LIMIT_REACHED);
    }

    Rejected of(LedgerProblem problem, Admission a) {
        Plan plan = plans.require(a.planCode());
        Budget m = a.meters();
        Hold needed = a.needed();
        String resetsAt = a.periodEnd().toString();
        return switch (problem) {
            case TRIAL_EXPIRED -> new Rejected(problem, trialExpiredMessage(plan), Map.of("plan", plan.code()));
            case SUBSCRIPTION_INACTIVE -> new Rejected(problem, "The subscription is " + a.status()
                    + ". Renew or change the plan to continue.", Map.of("status", a.status()));
            case CONVERSATION_LIMIT_REACHED -> {
                long limit = a.conversationsLimit() == null ? 0 : a.conversationsLimit();
                long inUse = m.conversationsUsed() + m.conversationsReserved();
                yield new Rejected(problem, inUse + " of " + limit + " conversations in use this period ("
                        + m.conversationsUsed() + " finished, " + m.conversationsReserved() + " open) on the "
                        + plan.name() + " plan. It resets at " + resetsAt + ".",
                        Map.of("remaining", Math.max(0, limit - inUse), "needed", 1, "resets_at", resetsAt));
            }
            case LIMIT_EXCEEDED -> new Rejected(problem, "Token limit reached: " + m.tokensUsed() + " of "
                    + a.tokensLimit() + " tokens used this period. It resets at " + resetsAt + ".",
                    Map.of("remaining", 0, "needed", needed.tokens(), "resets_at", resetsAt));
            case INSUFFICIENT_TOKENS -> {
                // Not tokensRemaining: the rule refused, so the limit is set and the difference is positive.
                long remaining = Objects.requireNonNull(a.tokensLimit()) - m.tokensUsed() - m.tokensReserved();
                yield new Rejected(problem, "Insufficient tokens. You have " + remaining
                        + " tokens remaining, but this request needs ~" + needed.tokens() + " tokens.",
                        Map.of("remaining", remaining, "needed", needed.tokens()));
            }
            case INSUFFICIENT_CREDITS -> {
                long available = Math.max(0, m.creditsAvailable());
                yield new Rejected(problem, "Insufficient credits. You have " + available
                        + " credits, but this request needs " + needed.credits() + ".",
                        Map.of("remaining", available, "needed", needed.credits()));
            }
            case INSUFFICIENT_BALANCE -> {
                String available = m.balanceAvailable().max(Money.ZERO).format();
                String neededUsd = needed.amount().format();
                yield new Rejected(problem, "Insufficient balance. You have $" + available
                        + ", but this request needs about $" + neededUsd + ".",
                        Map.of("remaining", available, "needed", neededUsd));
            }
            default -> throw new IllegalArgumentException(problem + " is not a denial of the admission rule");
        };
    }

    /** Seed 002's words, with the trial length and the upgrade plans from configuration. */
    String trialExpiredMessage(Plan trial) {
        List<String> names = settings.upgradePlans().stream()
                .map(code -> plans.find(code).map(Plan::name).orElse(code))
                .toList();
        String choices = switch (names.size()) {
            case 0 -> "a paid";
            case 1 -> names.getFirst();
            case 2 -> names.get(0) + " or " + names.get(1);
            default -> String.join(", ", names.subList(0, names.size() - 1)) + ", or " + names.getLast();
        };
        return "Your " + trial.trialDays() + "-day free trial has expired. Please upgrade to " + choices
                + " plan to continue.";
    }
}
