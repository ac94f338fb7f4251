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
import java.util.Comparator;
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
 * filters, in id order, or sorted by tokens used this period, paged) and each account's page.
 */
@Controller
class AccountPages {

    static final int ACCOUNTS_PER_PAGE = 50;
    /** A search ordered by usage reads the meters of all its matches, so it does so up to this many. */
    static final int SORTABLE_MATCHES_MAX = 5_000;
    /** Pages in usage order go this deep (the 1,000 busiest), since each page reads the ones before it. */
    static final int USAGE_PAGES_MAX = 20;
    static final int METER_ROWS_CHUNK = 250;

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
            @RequestParam(required = false) @Nullable String after,
            @RequestParam(required = false) @Nullable Integer page, Model model) {
        String query = blankToNull(q);
        String planCode = blankToNull(plan);
        String statusName = Arrays.stream(SubscriptionStatus.values()).map(SubscriptionStatus::wireName)
                .filter(name -> name.equals(status)).findFirst().orElse(null);
        Validation.optionalText(query, "q", 200);
        int pageNumber = page == null ? 0 : Math.clamp(page, 0, USAGE_PAGES_MAX - 1);
        boolean byUsage = "usage".equals(sort);
        List<ConsoleRows.AccountRow> rows = null;
        String next = null;
        Integer nextPage = null;
        boolean tooManyToSort = false;
        if (byUsage && query == null) {
            // Every account (of a plan and status): the busiest come from the meters, a bounded number of pages deep.
            int shown = (pageNumber + 1) * ACCOUNTS_PER_PAGE;
            var busiest = ledger.busiest(planCode, statusName, shown + 1);
            var byId = accounts.findAll(busiest.stream().limit(shown).map(Ledger.MeterRow::accountId).toList()).stream()
                    .collect(Collectors.toMap(Account::id, Function.identity()));
            rows = busiest.stream().skip((long) pageNumber * ACCOUNTS_PER_PAGE).limit(ACCOUNTS_PER_PAGE)
                    .filter(m -> byId.containsKey(m.accountId())).map(m -> row(byId.get(m.accountId()), m)).toList();
            nextPage = busiest.size() > shown && pageNumber + 1 < USAGE_PAGES_MAX ? pageNumber + 1 : null;
        } else if (byUsage) {
            // The matches, found by the search's index, then ordered by their meters. A search that matches more
            // than SORTABLE_MATCHES_MAX accounts is listed in id order instead: reading thousands of meters
            // for one page is what made a search slow.
            var found = accounts.list(query, planCode, statusName, "", SORTABLE_MATCHES_MAX + 1);
            if (found.size() <= SORTABLE_MATCHES_MAX) {
                var byId = found.stream().collect(Collectors.toMap(Account::id, Function.identity()));
                var ordered = meterRows(byId.keySet()).stream()
                        .sorted(Comparator.comparingLong(Ledger.MeterRow::tokensUsed).reversed()
                                .thenComparing(Ledger.MeterRow::accountId))
                        .toList();
                rows = ordered.stream().skip((long) pageNumber * ACCOUNTS_PER_PAGE).limit(ACCOUNTS_PER_PAGE)
                        .map(m -> row(byId.get(m.accountId()), m)).toList();
                nextPage = ordered.size() > (pageNumber + 1) * ACCOUNTS_PER_PAGE && pageNumber + 1 < USAGE_PAGES_MAX
                        ? pageNumber + 1 : null;
            } else {
                tooManyToSort = true;
            }
        }
        if (rows == null) {
            var found = accounts.list(query, planCode, statusName, after == null ? "" : after, ACCOUNTS_PER_PAGE + 1);
            var shown = found.stream().limit(ACCOUNTS_PER_PAGE).toList();
            Map<String, Ledger.MeterRow> meters = ledger.meterRows(shown.stream().map(Account::id).toList()).stream()
                    .collect(Collectors.toMap(Ledger.MeterRow::accountId, Function.identity()));
            rows = shown.stream().map(a -> row(a, meters.get(a.id()))).toList();
            next = found.size() > ACCOUNTS_PER_PAGE ? found.get(ACCOUNTS_PER_PAGE - 1).id() : null;
        }
        model.addAttribute("q", query == null ? "" : query);
        model.addAttribute("plan", planCode == null ? "" : planCode);
        model.addAttribute("status", statusName == null ? "" : statusName);
        model.addAttribute("sort", byUsage && !tooManyToSort ? "usage" : "");
        model.addAttribute("tooManyToSort", tooManyToSort);
        model.addAttribute("sortableMatchesMax", SORTABLE_MATCHES_MAX);
        model.addAttribute("page", pageNumber);
        model.addAttribute("statuses", Arrays.stream(SubscriptionStatus.values()).map(SubscriptionStatus::wireName)
                .toList());
        model.addAttribute("plans", plans.list());
        model.addAttribute("accounts", rows);
        model.addAttribute("next", next);
        model.addAttribute("nextPage", nextPage);
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

    /**
     * The meters of many accounts, asked for in chunks: for more than a few hundred ids the ledger's join is
     * planned as a scan of every subscription (38 ms for 1,250 ids at 100,000 accounts, against 3 ms for
     * each chunk of 250 looked up by key).
     */
    private List<Ledger.MeterRow> meterRows(java.util.Collection<String> accountIds) {
        var ids = List.copyOf(accountIds);
        var rows = new java.util.ArrayList<Ledger.MeterRow>(ids.size());
        for (int from = 0; from < ids.size(); from += METER_ROWS_CHUNK) {
            rows.addAll(ledger.meterRows(ids.subList(from, Math.min(ids.size(), from + METER_ROWS_CHUNK))));
        }
        return rows;
    }

    private ConsoleRows.AccountRow row(Account account, Ledger.@Nullable MeterRow meters) {
        Long planLimit = meters == null ? null : plans.find(meters.planCode()).map(Plan::tokensPerPeriod).orElse(null);
        return ConsoleRows.AccountRow.of(account, meters, planLimit);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
