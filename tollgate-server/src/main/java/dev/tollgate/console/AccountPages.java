package dev.tollgate.console;

import dev.tollgate.account.Account;
import dev.tollgate.account.Accounts;
import dev.tollgate.ledger.Ledger;
import dev.tollgate.plan.Plan;
import dev.tollgate.plan.Plans;
import dev.tollgate.plan.SubscriptionStatus;
import dev.tollgate.platform.Validation;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The account list ({@code /console/accounts?q=}, a substring of the id or the email, with plan and status
 * filters, in id order and paged, or sorted by tokens used this period) and each account's page.
 */
@Controller
class AccountPages {

    static final int ACCOUNTS_PER_PAGE = 50;

    private final Accounts accounts;
    private final Ledger ledger;
    private final Plans plans;
    private final AccountScreens screens;

    AccountPages(Accounts accounts, Ledger ledger, Plans plans, AccountScreens screens) {
        this.accounts = accounts;
        this.ledger = ledger;
        this.plans = plans;
        this.screens = screens;
    }

    @GetMapping("/console/accounts")
    String list(@RequestParam(required = false) @Nullable String q,
            @RequestParam(required = false) @Nullable String plan,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String sort,
            @RequestParam(required = false) @Nullable String after, Model model) {
        String query = blankToNull(q);
        String planCode = blankToNull(plan);
        String statusName = Arrays.stream(SubscriptionStatus.values()).map(SubscriptionStatus::wireName)
                .filter(name -> name.equals(status)).findFirst().orElse(null);
        boolean byUsage = "usage".equals(sort);
        Validation.optionalText(query, "q", 200);
        List<ConsoleRows.AccountRow> rows;
        String next = null;
        if (byUsage) {
            // The busiest accounts come from the meters, so the search box does not apply to this order.
            var busiest = ledger.busiest(planCode, statusName, ACCOUNTS_PER_PAGE);
            var byId = accounts.findAll(busiest.stream().map(Ledger.MeterRow::accountId).toList()).stream()
                    .collect(Collectors.toMap(Account::id, Function.identity()));
            rows = busiest.stream().filter(m -> byId.containsKey(m.accountId()))
                    .map(m -> row(byId.get(m.accountId()), m)).toList();
        } else {
            var found = accounts.list(query, planCode, statusName, after == null ? "" : after, ACCOUNTS_PER_PAGE + 1);
            var page = found.stream().limit(ACCOUNTS_PER_PAGE).toList();
            Map<String, Ledger.MeterRow> meters = ledger.meterRows(page.stream().map(Account::id).toList()).stream()
                    .collect(Collectors.toMap(Ledger.MeterRow::accountId, Function.identity()));
            rows = page.stream().map(a -> row(a, meters.get(a.id()))).toList();
            next = found.size() > ACCOUNTS_PER_PAGE ? found.get(ACCOUNTS_PER_PAGE - 1).id() : null;
        }
        model.addAttribute("q", query == null ? "" : query);
        model.addAttribute("plan", planCode == null ? "" : planCode);
        model.addAttribute("status", statusName == null ? "" : statusName);
        model.addAttribute("sort", byUsage ? "usage" : "");
        model.addAttribute("statuses", Arrays.stream(SubscriptionStatus.values()).map(SubscriptionStatus::wireName)
                .toList());
        model.addAttribute("plans", plans.list());
        model.addAttribute("accounts", rows);
        model.addAttribute("next", next);
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

    private ConsoleRows.AccountRow row(Account account, Ledger.@Nullable MeterRow meters) {
        Long planLimit = meters == null ? null : plans.find(meters.planCode()).map(Plan::tokensPerPeriod).orElse(null);
        return ConsoleRows.AccountRow.of(account, meters, planLimit);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
