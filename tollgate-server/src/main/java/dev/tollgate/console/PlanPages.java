package dev.tollgate.console;

import dev.tollgate.plan.Plan;
import dev.tollgate.plan.PlanPeriod;
import dev.tollgate.plan.Plans;
import dev.tollgate.platform.Validation;
import dev.tollgate.shared.Money;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The plan catalog: every plan, and a form to edit one or create a new one with the limits of
 * {@code PUT /v1/plans/{code}}. A refused field is shown next to itself and nothing is saved.
 */
@Controller
class PlanPages {

    private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final long PLAN_LIMIT_MAX = 1_000_000_000_000L;
    private static final long PRICE_MICROS_MAX = 1_000_000L * Money.MICROS_PER_USD;

    private final Plans plans;
    private final ActionFlow flow;
    private final ConsoleActions actions;

    PlanPages(Plans plans, ActionFlow flow, ConsoleActions actions) {
        this.plans = plans;
        this.flow = flow;
        this.actions = actions;
    }

    @GetMapping("/console/plans")
    String list(Model model) {
        model.addAttribute("catalog", plans.list());
        return "console/plans";
    }

    @GetMapping("/console/plans/{code}")
    String edit(@PathVariable String code, @RequestParam(required = false) @Nullable String done, Model model) {
        model.addAttribute("outcome", actions.outcome(done, ConsoleModel.current()).orElse(null));
        model.addAttribute("code", code);
        model.addAttribute("plan", plans.find(code).orElse(null));
        return "console/plan";
    }

    @PostMapping("/console/plans/{code}")
    String save(@PathVariable String code, @RequestParam Map<String, String> fields, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        var step = new ActionFlow.Step("plan.put", null, "/console/plans/" + code, m -> edit(code, null, m));
        return flow.submit(step, new ConsoleForm("plan", fields, "name", "price_usd", "period", "trial_days",
                "tokens_per_period", "conversations_per_period", "credits_per_request", "charges_balance",
                "stripe_price_id", "sort_order", "public"), form -> {
            Validation.check(CODE.matcher(code).matches(), "code",
                    "must be 1 to 64 lowercase letters, digits, '-' or '_', starting with a letter or digit");
            var existing = plans.find(code);
            Plan plan = plan(code, existing.map(Plan::currency).orElse("USD"), form);
            String verb = existing.isPresent() ? "Save" : "Create";
            return new ActionFlow.Prepared(List.of(verb + " the plan " + code + " (" + plan.name() + "): "
                    + Money.display(plan.priceMicros()) + " per " + plan.period().iso() + ", "
                    + (plan.tokensPerPeriod() == null ? "unlimited" : String.format("%,d", plan.tokensPerPeriod()))
                    + " tokens per period.", "Existing subscriptions see the new limits at once."), () -> {
                        plans.put(plan);
                        return ConsoleActions.Done.of("Plan " + code + " saved.");
                    });
        }, request, response, model);
    }

    /** The plan the form describes, checked field by field as the API checks its body. */
    private static Plan plan(String code, String currency, ConsoleForm form) {
        String name = Validation.id(form.text("name"), "name", 200);
        long price = form.text("price_usd") == null ? 0 : Validation.money(form.text("price_usd"), "price_usd", false);
        Validation.check(price <= PRICE_MICROS_MAX, "price_usd", "must be at most " + Money.format(PRICE_MICROS_MAX));
        PlanPeriod period;
        try {
            period = new PlanPeriod(form.required("period"));
        } catch (IllegalArgumentException e) {
            throw Validation.invalid("period", String.valueOf(e.getMessage()));
        }
        long trialDays = form.text("trial_days") == null ? 0 : form.wholeNumber("trial_days");
        Validation.check(trialDays >= 0 && trialDays <= Plan.TRIAL_DAYS_MAX, "trial_days",
                "must be between 0 and " + Plan.TRIAL_DAYS_MAX);
        Long tokens = limit(form, "tokens_per_period");
        Long conversations = limit(form, "conversations_per_period");
        long credits = form.text("credits_per_request") == null ? 0 : form.wholeNumber("credits_per_request");
        Validation.check(credits >= 0 && credits <= 1_000_000, "credits_per_request", "must be 0 to 1000000");
        String stripePrice = Validation.optionalText(form.text("stripe_price_id"), "stripe_price_id", 255);
        long sortOrder = form.text("sort_order") == null ? 0 : form.wholeNumber("sort_order");
        Validation.check(Math.abs(sortOrder) <= 1_000_000, "sort_order", "must be within +/-1000000");
        return new Plan(code, name, price, currency, period, (int) trialDays, tokens, conversations, credits,
                form.checked("charges_balance"), stripePrice, (int) sortOrder, form.checked("public"));
    }

    private static @Nullable Long limit(ConsoleForm form, String field) {
        Long value = form.optionalWholeNumber(field);
        Validation.check(value == null || value >= 0 && value <= PLAN_LIMIT_MAX, field,
                "must be 0 to " + PLAN_LIMIT_MAX + ", or empty for unlimited");
        return value;
    }
}
