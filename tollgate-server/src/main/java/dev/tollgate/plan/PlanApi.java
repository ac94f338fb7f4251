package dev.tollgate.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tollgate.platform.Page;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Validation;
import dev.tollgate.shared.Money;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class PlanApi {

    private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final long PLAN_LIMIT_MAX = 1_000_000_000_000L;
    private static final long PRICE_MICROS_MAX = 1_000_000L * Money.MICROS_PER_USD;

    private final Plans plans;

    PlanApi(Plans plans) {
        this.plans = plans;
    }

    record PlanResponse(String code, String name, String priceUsd, String currency, String period, int trialDays,
            @Nullable Long tokensPerPeriod, @Nullable Long conversationsPerPeriod, long creditsPerRequest,
            boolean chargesBalance, @Nullable String stripePriceId, int sortOrder,
            @JsonProperty("public") boolean listed) {

        static PlanResponse of(Plan plan) {
            return new PlanResponse(plan.code(), plan.name(), Money.format(plan.priceMicros()), plan.currency(),
                    plan.period().iso(), plan.trialDays(), plan.tokensPerPeriod(), plan.conversationsPerPeriod(),
                    plan.creditsPerRequest(), plan.chargesBalance(), plan.stripePriceId(), plan.sortOrder(),
                    plan.listed());
        }
    }

    /** {@code code} may be sent (a plan read with GET can be sent back as it is) but must match the path. */
    record PlanRequest(@Nullable String code, @Nullable String name, @Nullable String priceUsd,
            @Nullable String currency, @Nullable String period, @Nullable Integer trialDays, @Nullable Long tokensPerPeriod,
            @Nullable Long conversationsPerPeriod, @Nullable Long creditsPerRequest, @Nullable Boolean chargesBalance,
            @Nullable String stripePriceId, @Nullable Integer sortOrder,
            @JsonProperty("public") @Nullable Boolean listed) {

        Plan toPlan(String pathCode) {
            Validation.check(code == null || code.equals(pathCode), "code", "must match the plan code in the path");
            String name = Validation.id(name(), "name", 200);
            long price = priceUsd == null ? 0 : Validation.money(priceUsd, "price_usd", false);
            Validation.check(price <= PRICE_MICROS_MAX, "price_usd", "must be at most " + Money.format(PRICE_MICROS_MAX));
            String currencyCode = currency == null ? "USD" : currency;
            Validation.check(currencyCode.matches("[A-Z]{3}"), "currency", "must be a three-letter code like USD");
            String periodIso = Validation.required(period, "period");
            PlanPeriod planPeriod;
            try {
                planPeriod = new PlanPeriod(periodIso);
            } catch (IllegalArgumentException e) {
                throw Validation.invalid("period", e.getMessage());
            }
            int trial = trialDays == null ? 0 : trialDays;
            Validation.check(trial >= 0 && trial <= Plan.TRIAL_DAYS_MAX, "trial_days",
                    "must be between 0 and " + Plan.TRIAL_DAYS_MAX);
            limit(tokensPerPeriod, "tokens_per_period");
            limit(conversationsPerPeriod, "conversations_per_period");
            long credits = creditsPerRequest == null ? 0 : creditsPerRequest;
            Validation.check(credits >= 0 && credits <= 1_000_000, "credits_per_request", "must be 0 to 1000000");
            Validation.optionalText(stripePriceId, "stripe_price_id", 255);
            return new Plan(pathCode, name, price, currencyCode, planPeriod, trial, tokensPerPeriod,
                    conversationsPerPeriod, credits, Boolean.TRUE.equals(chargesBalance), stripePriceId,
                    sortOrder == null ? 0 : sortOrder, Boolean.TRUE.equals(listed));
        }

        private static void limit(@Nullable Long value, String field) {
            if (value != null) {
                Validation.check(value >= 0 && value <= PLAN_LIMIT_MAX, field, "must be 0 to " + PLAN_LIMIT_MAX
                        + ", or null for unlimited");
            }
        }
    }

    @GetMapping("/v1/plans")
    Page<PlanResponse> list() {
        return new Page<>(plans.list().stream().map(PlanResponse::of).toList(), null);
    }

    @GetMapping("/v1/plans/{code}")
    PlanResponse get(@PathVariable String code) {
        return plans.find(code).map(PlanResponse::of).orElseThrow(
                () -> new ProblemException(PlanProblem.PLAN_NOT_FOUND, "There is no plan '" + code + "'."));
    }

    @PutMapping("/v1/plans/{code}")
    PlanResponse put(@PathVariable String code, @RequestBody PlanRequest request) {
        Validation.check(CODE.matcher(code).matches(), "code",
                "must be 1 to 64 lowercase letters, digits, '-' or '_', starting with a letter or digit");
        return PlanResponse.of(plans.put(request.toPlan(code)));
    }
}
