package dev.tollgate.console;

import dev.tollgate.ledger.Ledger;
import java.time.Clock;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The accounts whose meters disagree with their ledger or pending reservations, or a clear "all agree". */
@Controller
class ReconciliationPage {

    private static final int SHOWN = 1000;

    private final Ledger ledger;
    private final Clock clock;

    ReconciliationPage(Ledger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    @GetMapping("/console/reconciliation")
    String reconciliation(Model model) {
        model.addAttribute("discrepancies", ledger.reconcile(null, SHOWN));
        model.addAttribute("checkedAt", ConsoleRows.when(clock.instant()));
        return "console/reconciliation";
    }
}
