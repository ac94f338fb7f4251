package dev.tollgate.console;

import dev.tollgate.platform.PlatformProblem;
import dev.tollgate.platform.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Every console action takes the same three steps: the form is checked (a refusal goes back to the page
 * with the message next to the field, and nothing changes), a confirmation page says what will happen and
 * carries a fresh nonce, and the confirmed form runs the action once and returns to the page, which shows
 * the outcome.
 */
@Component
class ActionFlow {

    /** A checked form: the sentences the confirmation shows, and the work it confirms. */
    record Prepared(List<String> summary, Supplier<ConsoleActions.Done> work) {

        Prepared {
            summary = List.copyOf(summary);
        }
    }

    /** Where the action is and what it touches; {@code screen} draws the page the form is on. */
    record Step(String action, @Nullable String accountId, String backUrl, Function<Model, String> screen) {}

    private final ConsoleActions actions;

    ActionFlow(ConsoleActions actions) {
        this.actions = actions;
    }

    String submit(Step step, ConsoleForm form, Function<ConsoleForm, Prepared> prepare, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        String reason;
        Prepared prepared;
        try {
            form.refuseUnknownFields();
            reason = form.reason();
            prepared = prepare.apply(form);
        } catch (ProblemException problem) {
            return refused(step, form, problem, response, model);
        }
        String nonce = request.getParameter("nonce");
        if (nonce == null) {
            model.addAttribute("summary", prepared.summary());
            model.addAttribute("reason", reason);
            model.addAttribute("fields", form.fields());
            model.addAttribute("nonce", actions.newNonce());
            model.addAttribute("actionUrl", request.getRequestURI());
            model.addAttribute("backUrl", step.backUrl());
            return "console/confirm";
        }
        ConsoleActions.Done done;
        try {
            done = actions.run(ConsoleModel.current(), nonce,
                    new ConsoleActions.Request(step.action(), step.accountId(), reason, form.fields()),
                    prepared.work());
        } catch (ProblemException problem) {
            return refused(step, form, problem, response, model);
        }
        if (done.secretOnce() != null) {
            model.addAttribute("done", done);
            model.addAttribute("backUrl", step.backUrl());
            return "console/shown-once";
        }
        return "redirect:" + UriComponentsBuilder.fromUriString(step.backUrl()).queryParam("done", nonce).build()
                .toUriString();
    }

    private static String refused(Step step, ConsoleForm form, ProblemException problem,
            HttpServletResponse response, Model model) {
        // 422 for a value the form's own fields can correct; 400 for a field no console form has.
        int status = problem.getStatusCode().value();
        response.setStatus(status == 404 || problem.problemType() == PlatformProblem.UNKNOWN_FIELD ? status : 422);
        model.addAttribute("problems", form.errors(problem));
        model.addAttribute("values", form.values());
        return step.screen().apply(model);
    }
}
