package dev.tollgate.console;

import dev.tollgate.event.WebhookDelivery;
import dev.tollgate.event.WebhookEndpoints;
import dev.tollgate.platform.PlatformProblem;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Validation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Webhook endpoints: registered (the signing secret shown once), deleted, and each one's deliveries with
 * status and last error, where a failed delivery can be sent again.
 */
@Controller
class WebhookPages {

    private static final int ENDPOINTS_SHOWN = 200;
    private static final int DELIVERIES_SHOWN = 100;

    private final WebhookEndpoints webhooks;
    private final ActionFlow flow;
    private final ConsoleActions actions;

    WebhookPages(WebhookEndpoints webhooks, ActionFlow flow, ConsoleActions actions) {
        this.webhooks = webhooks;
        this.flow = flow;
        this.actions = actions;
    }

    @GetMapping("/console/webhooks")
    String list(@RequestParam(required = false) @Nullable String done, Model model) {
        model.addAttribute("outcome", actions.outcome(done, ConsoleModel.current()).orElse(null));
        model.addAttribute("endpoints", webhooks.list("", ENDPOINTS_SHOWN).stream().map(ConsoleRows.EndpointRow::of)
                .toList());
        return "console/webhooks";
    }

    @GetMapping("/console/webhooks/{id}")
    String endpoint(@PathVariable String id, @RequestParam(required = false) @Nullable String done, Model model,
            HttpServletResponse response) {
        var endpoint = webhooks.find(id);
        if (endpoint.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            model.addAttribute("accountId", id);
            return "console/not-found";
        }
        model.addAttribute("outcome", actions.outcome(done, ConsoleModel.current()).orElse(null));
        model.addAttribute("endpoint", endpoint.get());
        model.addAttribute("deliveries", webhooks.deliveries(id, Long.MAX_VALUE, null, DELIVERIES_SHOWN).stream()
                .map(ConsoleRows.DeliveryRow::of).toList());
        return "console/webhook";
    }

    @PostMapping("/console/webhooks")
    String create(@RequestParam Map<String, String> fields, HttpServletRequest request, HttpServletResponse response,
            Model model) {
        var step = new ActionFlow.Step("webhook.create", null, "/console/webhooks", m -> list(null, m));
        return flow.submit(step, new ConsoleForm("webhook", fields, "url", "description", "event_types"), form -> {
            String url = form.required("url");
            String description = form.text("description");
            String types = form.text("event_types");
            List<String> eventTypes = types == null ? List.of()
                    : Arrays.stream(types.split("[,\\s]+")).filter(t -> !t.isBlank()).toList();
            return new ActionFlow.Prepared(List.of("Send " + (eventTypes.isEmpty() ? "every event" : String.join(", ",
                    eventTypes)) + " to " + url + "."), () -> {
                        var created = webhooks.create(url, eventTypes, description);
                        return new ConsoleActions.Done("Endpoint " + created.id() + " registered; its signing secret "
                                + "is below.", null, created.secret());
                    });
        }, request, response, model);
    }

    @PostMapping("/console/webhooks/{id}/delete")
    String delete(@PathVariable String id, @RequestParam Map<String, String> fields, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        var step = new ActionFlow.Step("webhook.delete", null, "/console/webhooks", m -> list(null, m));
        return flow.submit(step, new ConsoleForm("row", fields), form -> new ActionFlow.Prepared(
                List.of("Delete the endpoint " + id + "; its pending deliveries are canceled."), () -> {
                    if (!webhooks.delete(id)) {
                        throw new ProblemException(PlatformProblem.NOT_FOUND, "No webhook endpoint " + id + ".");
                    }
                    return ConsoleActions.Done.of("Endpoint " + id + " deleted.");
                }), request, response, model);
    }

    @PostMapping("/console/webhooks/{id}/deliveries/{deliveryId}/retry")
    String retry(@PathVariable String id, @PathVariable long deliveryId, @RequestParam Map<String, String> fields,
            HttpServletRequest request, HttpServletResponse response, Model model) {
        String back = "/console/webhooks/" + id;
        var step = new ActionFlow.Step("webhook.retry", null, back, m -> endpoint(id, null, m, response));
        return flow.submit(step, new ConsoleForm("row", fields), form -> new ActionFlow.Prepared(
                List.of("Send delivery " + WebhookDelivery.ID_PREFIX + deliveryId + " again, with a fresh set of "
                        + "attempts."), () -> {
                    var retried = webhooks.retry(id, deliveryId).orElseThrow(() -> Validation.invalid("delivery",
                            "is not a failed delivery of this endpoint"));
                    return ConsoleActions.Done.of("Delivery " + retried.publicId() + " is queued again.");
                }), request, response, model);
    }
}
