package dev.tollgate.console;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every console page shows in its header: who is signed in and whether they may act. */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
class ConsoleModel {

    @ModelAttribute("user")
    @Nullable ConsoleUser user() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof ConsoleUser user ? user : null;
    }

    /** No form was refused: no messages next to fields, no values to keep. An action that was refused replaces both. */
    @ModelAttribute("problems")
    Map<String, String> problems() {
        return Map.of();
    }

    @ModelAttribute("values")
    Map<String, String> values() {
        return Map.of();
    }

    /** The signed-in operator; the security rules let no unauthenticated request reach a page that asks. */
    static ConsoleUser current() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof ConsoleUser user) {
            return user;
        }
        throw new IllegalStateException("a console page was reached without a console session");
    }
}
