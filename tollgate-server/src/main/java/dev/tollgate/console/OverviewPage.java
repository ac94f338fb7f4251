package dev.tollgate.console;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /console}: the operation at a glance. */
@Controller
class OverviewPage {

    @GetMapping("/console")
    String overview(Model model) {
        return "redirect:/console/accounts";
    }
}
