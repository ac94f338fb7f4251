package dev.tollgate.console;

import dev.tollgate.platform.PlatformProblem;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Validation;
import dev.tollgate.platform.security.ApiKeys;
import dev.tollgate.platform.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Service keys: every key with its role and prefix, a new key (its secret shown once), and revocation. */
@Controller
class KeyPages {

    private static final int KEYS_SHOWN = 200;

    private final ApiKeys keys;
    private final ActionFlow flow;
    private final ConsoleActions actions;

    KeyPages(ApiKeys keys, ActionFlow flow, ConsoleActions actions) {
        this.keys = keys;
        this.flow = flow;
        this.actions = actions;
    }

    @GetMapping("/console/keys")
    String list(@RequestParam(required = false) @Nullable String done, Model model) {
        model.addAttribute("outcome", actions.outcome(done, ConsoleModel.current()).orElse(null));
        model.addAttribute("keys", keys.list(KEYS_SHOWN, "").stream().map(ConsoleRows.KeyRow::of).toList());
        return "console/keys";
    }

    @PostMapping("/console/keys")
    String create(@RequestParam Map<String, String> fields, HttpServletRequest request, HttpServletResponse response,
            Model model) {
        var step = new ActionFlow.Step("key.create", null, "/console/keys", m -> list(null, m));
        return flow.submit(step, new ConsoleForm("key", fields, "name", "role"), form -> {
            String name = Validation.id(form.text("name"), "name", 200);
            Role role;
            try {
                role = Role.ofKeyRole(form.required("role"));
            } catch (IllegalArgumentException e) {
                throw Validation.invalid("role", "must be one of admin, service, read");
            }
            return new ActionFlow.Prepared(List.of("Create a " + role.wireName() + " key named " + name + "."), () -> {
                var created = keys.create(name, role);
                return new ConsoleActions.Done("Key " + created.key().id() + " created; its secret is below.", null,
                        created.secret());
            });
        }, request, response, model);
    }

    @PostMapping("/console/keys/{id}/revoke")
    String revoke(@PathVariable String id, @RequestParam Map<String, String> fields, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        var step = new ActionFlow.Step("key.revoke", null, "/console/keys", m -> list(null, m));
        return flow.submit(step, new ConsoleForm("row", fields), form -> new ActionFlow.Prepared(
                List.of("Revoke the key " + id + ": it stops working on every node within a second, and its console "
                        + "sessions end."), () -> {
                    var revoked = keys.revoke(id).orElseThrow(() -> new ProblemException(PlatformProblem.NOT_FOUND,
                            "No API key with id " + id + "."));
                    return ConsoleActions.Done.of("Key " + revoked.id() + " (" + revoked.name() + ") revoked.");
                }), request, response, model);
    }
}
