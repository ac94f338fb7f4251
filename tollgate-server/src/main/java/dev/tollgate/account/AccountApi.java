package dev.tollgate.account;

import dev.tollgate.ledger.Ledger;
import dev.tollgate.ledger.ReserveResult.Warning;
import dev.tollgate.plan.Subscriptions;
import dev.tollgate.platform.AccountGuard;
import dev.tollgate.platform.Idempotency;
import dev.tollgate.platform.Page;
import dev.tollgate.platform.Validation;
import dev.tollgate.platform.security.Caller;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AccountApi {

    private final Accounts accounts;
    private final Subscriptions subscriptions;
    private final Ledger ledger;
    private final Idempotency idempotency;
    private final AccountGuard guard;
    private final Clock clock;

    AccountApi(Accounts accounts, Subscriptions subscriptions, Ledger ledger, Idempotency idempotency,
            AccountGuard guard, Clock clock) {
        this.accounts = accounts;
        this.subscriptions = subscriptions;
        this.ledger = ledger;
        this.idempotency = idempotency;
        this.guard = guard;
        this.clock = clock;
    }

    record CreateAccountRequest(@Nullable String id, @Nullable String plan, @Nullable String email,
            @Nullable Map<String, Object> metadata) {

        NewAccount toNewAccount(String field) {
            return new NewAccount(Validation.accountId(id, field + "id"),
                    plan == null ? null : Validation.id(plan, field + "plan", 64),
                    Validation.optionalText(email, field + "email", 320),
                    Validation.metadata(metadata, field + "metadata"));
        }
    }

    record BatchRequest(@Nullable List<CreateAccountRequest> accounts) {}

    record BatchResponse(int created, int existing) {}

    record AllowanceRequest(@Nullable Long tokensPerPeriod) {}

    record PlanChangeRequest(@Nullable String plan, @Nullable String reason) {}

    @PostMapping("/v1/accounts")
    ResponseEntity<?> create(@AuthenticationPrincipal Caller caller,
            @RequestHeader(name = Idempotency.HEADER, required = false) @Nullable String idempotencyKey,
            @RequestBody CreateAccountRequest request) {
        var account = request.toNewAccount("");
        return idempotency.run(caller.scope(), idempotencyKey, "POST", "/v1/accounts", request, () -> {
            accounts.create(account, caller.id());
            return ResponseEntity.status(HttpStatus.CREATED).body(summary(account.id()));
        });
    }

    @PostMapping("/v1/accounts/batch")
    ResponseEntity<?> batch(@AuthenticationPrincipal Caller caller,
            @RequestHeader(name = Idempotency.HEADER, required = false) @Nullable String idempotencyKey,
            @RequestBody BatchRequest request) {
        var items = Validation.required(request.accounts(), "accounts");
        Validation.check(items.size() <= Accounts.BATCH_SIZE_MAX, "accounts",
                "must hold at most " + Accounts.BATCH_SIZE_MAX + " accounts");
        var newAccounts = new java.util.ArrayList<NewAccount>(items.size());
        for (int i = 0; i < items.size(); i++) {
            var item = Validation.required(items.get(i), "accounts[" + i + "]");
            newAccounts.add(item.toNewAccount("accounts[" + i + "]."));
        }
        return idempotency.run(caller.scope(), idempotencyKey, "POST", "/v1/accounts/batch", request, () -> {
            var result = accounts.createAll(newAccounts, caller.id());
            return ResponseEntity.ok(new BatchResponse(result.created(), result.existing()));
        });
    }

    @GetMapping("/v1/accounts/{id}")
    SummaryResponse get(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        guard.requireReadable(caller, id);
        return summary(id);
    }

    @GetMapping("/v1/accounts")
    Page<SummaryResponse.AccountItem> list(@RequestParam(required = false) @Nullable String q,
            @RequestParam(required = false) @Nullable String plan,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(required = false) @Nullable Integer limit) {
        int size = Page.size(limit);
        Validation.optionalText(q, "q", 200);
        var found = accounts.list(q, plan, cursor == null ? "" : cursor, size + 1);
        return Page.of(found.stream().map(SummaryResponse.AccountItem::of).toList(), size,
                SummaryResponse.AccountItem::id);
    }

    @PutMapping("/v1/accounts/{id}/allowance")
    SummaryResponse allowance(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            @RequestBody AllowanceRequest request) {
        guard.requireReadable(caller, id);
        if (request.tokensPerPeriod() != null) {
            Validation.check(request.tokensPerPeriod() >= 0 && request.tokensPerPeriod() <= 1_000_000_000_000L,
                    "tokens_per_period", "must be 0 to 1000000000000, or null to use the plan's allowance");
        }
        subscriptions.setTokenOverride(id, request.tokensPerPeriod(), caller.id());
        return summary(id);
    }

    @PostMapping("/v1/accounts/{id}/plan")
    SummaryResponse changePlan(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            @RequestBody PlanChangeRequest request) {
        String plan = Validation.id(request.plan(), "plan", 64);
        String reason = Validation.optionalText(request.reason(), "reason", Validation.TEXT_LENGTH_MAX);
        subscriptions.changePlan(id, plan, reason, caller.id());
        return summary(id);
    }

    private SummaryResponse summary(String id) {
        var summary = accounts.summary(id).orElseThrow(() -> AccountGuard.notFound(id));
        return SummaryResponse.of(summary, ledger, clock.instant());
    }

    /** The account summary, as README's quick start shows it. */
    record SummaryResponse(String id, @Nullable String email, PlanRef plan, String status,
            @Nullable Instant trialEndsAt, @Nullable Long trialDaysLeft, PeriodRef period, Tokens tokens,
            Conversations conversations, Credits credits, Balance balance, List<Warning> warnings,
            Map<String, Object> metadata, Instant createdAt) {

        record PlanRef(String code, String name) {}

        record PeriodRef(Instant start, Instant end) {}

        record Tokens(@Nullable Long limit, long used, long reserved, @Nullable Long remaining, double percentUsed) {}

        record Conversations(@Nullable Long limit, long used, long reserved, @Nullable Long remaining) {}

        record Credits(long balance, long reserved) {}

        record Balance(String amountUsd, String reservedUsd) {}

        record AccountItem(String id, @Nullable String email, Instant createdAt) {
            static AccountItem of(Account account) {
                return new AccountItem(account.id(), account.email(), account.createdAt());
            }
        }

        static SummaryResponse of(AccountSummary summary, Ledger ledger, Instant now) {
            var account = summary.account();
            var sub = summary.meters().subscription();
            var plan = summary.meters().plan();
            var b = summary.meters().budget();
            Long tokenLimit = sub.tokenLimit(plan);
            Long conversationLimit = plan.conversationsPerPeriod();
            return new SummaryResponse(account.id(), account.email(), new PlanRef(plan.code(), plan.name()),
                    sub.status().wireName(), sub.trialEndsAt(), sub.trialDaysLeft(now),
                    new PeriodRef(sub.periodStart(), sub.periodEnd()),
                    new Tokens(tokenLimit, b.tokensUsed(), b.tokensReserved(),
                            b.tokensRemaining(tokenLimit),
                            tokenLimit == null ? 0.0 : Ledger.percent(b.tokensUsed(), tokenLimit)),
                    new Conversations(conversationLimit, b.conversationsUsed(), b.conversationsReserved(),
                            b.conversationsRemaining(conversationLimit)),
                    new Credits(b.credits(), b.creditsReserved()),
                    new Balance(b.balance().format(), b.balanceReserved().format()),
                    ledger.softWarnings(b.tokensUsed(), tokenLimit), account.metadata(), account.createdAt());
        }
    }
}
