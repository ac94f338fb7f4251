package dev.tollgate.console;

import dev.tollgate.ledger.CreditTransactions;
import dev.tollgate.ledger.EntryType;
import dev.tollgate.ledger.Ledger;
import dev.tollgate.plan.Plans;
import dev.tollgate.plan.Subscriptions;
import dev.tollgate.platform.Validation;
import dev.tollgate.portal.PortalSessions;
import dev.tollgate.shared.Money;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The account page's actions. Each calls the module API that the matching /v1 endpoint calls, with the
 * same limits, and the signed-in key's name as the actor; {@link ActionFlow} confirms it and runs it once.
 */
@Controller
class AccountActions {

    private static final long TOP_UP_MICROS_MAX = 1_000_000L * Money.MICROS_PER_USD;
    private static final long ALLOWANCE_MAX = 1_000_000_000_000L;

    private final Subscriptions subscriptions;
    private final Plans plans;
    private final Ledger ledger;
    private final PortalSessions portal;
    private final ActionFlow flow;
    private final AccountScreens screens;

    AccountActions(Subscriptions subscriptions, Plans plans, Ledger ledger, PortalSessions portal, ActionFlow flow,
            AccountScreens screens) {
        this.subscriptions = subscriptions;
        this.plans = plans;
        this.ledger = ledger;
        this.portal = portal;
        this.flow = flow;
        this.screens = screens;
    }

    @PostMapping("/console/accounts/{id}/plan")
    String plan(@PathVariable String id, @RequestParam Map<String, String> fields, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        return submit(id, "plan", fields, Set.of("plan"), request, response, model, form -> {
            var plan = plans.require(Validation.id(form.text("plan"), "plan", 64));
            return new ActionFlow.Prepared(List.of("Move " + id + " to the " + plan.name() + " plan.",
                    "A new period starts now."), () -> {
                        var changed = subscriptions.changePlan(id, plan.code(), form.reason(), actor());
                        return ConsoleActions.Done.of("Plan changed to " + plan.name() + "; status "
                                + changed.status().wireName() + ".");
                    });
        });
    }

    @PostMapping("/console/accounts/{id}/allowance")
    String allowance(@PathVariable String id, @RequestParam Map<String, String> fields, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        return submit(id, "allowance", fields, Set.of("tokens_per_period"), request, response, model, form -> {
            Long tokens = form.optionalWholeNumber("tokens_per_period");
            Validation.check(tokens == null || tokens >= 0 && tokens <= ALLOWANCE_MAX, "tokens_per_period",
                    "must be 0 to " + ALLOWANCE_MAX + ", or empty to use the plan's allowance");
            String what = tokens == null ? "Clear the allowance override of " + id + " (the plan's allowance applies)."
                    : "Set the allowance of " + id + " to " + String.format("%,d", tokens) + " tokens per period.";
            return new ActionFlow.Prepared(List.of(what), () -> {
                subscriptions.setTokenOverride(id, tokens, actor());
                return ConsoleActions.Done.of(tokens == null ? "Allowance override cleared."
                        : "Allowance set to " + String.format("%,d", tokens) + " tokens per period.");
            });
        });
    }

    @PostMapping("/console/accounts/{id}/credits")
    String credits(@PathVariable String id, @RequestParam Map<String, String> fields, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        return submit(id, "credits", fields, Set.of("type", "amount", "description"), request, response, model, form -> {
            EntryType type = CreditTransactions.type(form.required("type"), "type");
            long amount = form.wholeNumber("amount");
            CreditTransactions.checkAmount(type, amount, "amount");
            String description = Validation.id(form.text("description"), "description", Validation.TEXT_LENGTH_MAX);
            return new ActionFlow.Prepared(List.of(type.wireName() + " " + amount + " credits on " + id + ": "
                    + description), () -> {
                        var entry = ledger.adjustCredits(id, type, amount, description,
                                Map.of("reason", form.reason(), "source", "console"), actor());
                        return new ConsoleActions.Done("Credits " + type.wireName() + " " + amount
                                + "; the balance is now " + entry.balanceAfter() + ".", entry.id(), null);
                    });
        });
    }

    @PostMapping("/console/accounts/{id}/top-up")
    String topUp(@PathVariable String id, @RequestParam Map<String, String> fields, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        return submit(id, "topup", fields, Set.of("amount_usd", "reference"), request, response, model, form -> {
            long micros = Validation.money(form.text("amount_usd"), "amount_usd", false);
            Validation.check(micros > 0 && micros <= TOP_UP_MICROS_MAX, "amount_usd",
                    "must be more than 0 and at most " + Money.format(TOP_UP_MICROS_MAX));
            String reference = Validation.optionalText(form.text("reference"), "reference",
                    Validation.SHORT_TEXT_LENGTH_MAX);
            return new ActionFlow.Prepared(List.of("Add " + Money.display(micros) + " to the prepaid balance of "
                    + id + "."), () -> {
                        var entry = ledger.topUp(id, micros, reference, actor());
                        return new ConsoleActions.Done("Topped up " + Money.display(micros) + "; the balance is now "
                                + Money.display(entry.balanceAfter()) + ".", entry.id(), null);
                    });
        });
    }

    @PostMapping("/console/accounts/{id}/end-trial")
    String endTrial(@PathVariable String id, @RequestParam Map<String, String> fields, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        return submit(id, "trial", fields, Set.of(), request, response, model, form -> new ActionFlow.Prepared(
                List.of("End the trial of " + id + " now: its requests will be refused with trial_expired."), () -> {
                    subscriptions.endTrial(id, form.reason(), actor());
                    return ConsoleActions.Done.of("Trial ended.");
                }));
    }

    @PostMapping("/console/accounts/{id}/portal-link")
    String portalLink(@PathVariable String id, @RequestParam Map<String, String> fields, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        return submit(id, "portal", fields, Set.of(), request, response, model, form -> new ActionFlow.Prepared(
                List.of("Create a one-time link to the billing page of " + id + "."), () -> {
                    var link = portal.createLink(id, null);
                    return new ConsoleActions.Done("Portal link " + link.id() + " created; it expires at "
                            + ConsoleRows.when(link.expiresAt()) + " UTC.", null, link.url());
                }));
    }

    private String submit(String id, String action, Map<String, String> fields, Set<String> known,
            HttpServletRequest request, HttpServletResponse response, Model model,
            Function<ConsoleForm, ActionFlow.Prepared> prepare) {
        String back = UriComponentsBuilder.fromPath("/console/accounts/{id}").buildAndExpand(id).encode().toUriString();
        var step = new ActionFlow.Step(action, id, back, m -> screens.draw(id, null, null, null, m));
        return flow.submit(step, new ConsoleForm(action, fields, known), prepare, request, response, model);
    }

    private static String actor() {
        return ConsoleModel.current().keyName();
    }
}
