package dev.tollgate.console;

import dev.tollgate.account.Accounts;
import dev.tollgate.plan.Plans;
import dev.tollgate.platform.Validation;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The account search ({@code /console/accounts?q=}, a substring of the id or the email) and each account's page. */
@Controller
class AccountPages {

    static final int ACCOUNTS_PER_PAGE = 50;

    private final Accounts accounts;
    private final Plans plans;
    private final AccountScreens screens;

    AccountPages(Accounts accounts, Plans plans, AccountScreens screens) {
        this.accounts = accounts;
        this.plans = plans;
        this.screens = screens;
    }

    @GetMapping("/console/accounts")
    String list(@RequestParam(required = false) @Nullable String q,
            @RequestParam(required = false) @Nullable String plan,
            @RequestParam(required = false) @Nullable String after, Model model) {
        String query = q == null || q.isBlank() ? null : q.strip();
        String planCode = plan == null || plan.isBlank() ? null : plan;
        Validation.optionalText(query, "q", 200);
        var found = accounts.list(query, planCode, after == null ? "" : after, ACCOUNTS_PER_PAGE + 1);
        model.addAttribute("q", query == null ? "" : query);
        model.addAttribute("plan", planCode == null ? "" : planCode);
        model.addAttribute("plans", plans.list());
        model.addAttribute("accounts", found.stream().limit(ACCOUNTS_PER_PAGE).map(ConsoleRows.AccountRow::of).toList());
        model.addAttribute("next", found.size() > ACCOUNTS_PER_PAGE ? found.get(ACCOUNTS_PER_PAGE - 1).id() : null);
        return "console/accounts";
    }

    @GetMapping("/console/accounts/{id}")
    String account(@PathVariable String id, @RequestParam(required = false) @Nullable String meter,
            @RequestParam(required = false) @Nullable Long before, @RequestParam(required = false) @Nullable String done,
            HttpServletResponse response, Model model) {
        String view = screens.draw(id, meter, before, done, model);
        if (view.equals("console/not-found")) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        }
        return view;
    }
}
