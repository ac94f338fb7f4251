package dev.tollgate.account;

import dev.tollgate.event.EventType;
import dev.tollgate.event.Events;
import dev.tollgate.ledger.AccountMeters;
import dev.tollgate.ledger.Ledger;
import dev.tollgate.plan.Plan;
import dev.tollgate.plan.Plans;
import dev.tollgate.plan.Subscriptions;
import dev.tollgate.platform.KnownAccounts;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.shared.Money;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The accounts of the host app's end users. Creating one opens its subscription and meters and
 * applies the signup grants in the same transaction, so they apply exactly once.
 */
@Service
public class Accounts implements KnownAccounts {

    public static final int BATCH_SIZE_MAX = 10_000;

    private final AccountStore store;
    private final Plans plans;
    private final Subscriptions subscriptions;
    private final Ledger ledger;
    private final Events events;
    private final SignupSettings signup;
    private final Clock clock;

    Accounts(AccountStore store, Plans plans, Subscriptions subscriptions, Ledger ledger, Events events,
            SignupSettings signup, Clock clock) {
        this.store = store;
        this.plans = plans;
        this.subscriptions = subscriptions;
        this.ledger = ledger;
        this.events = events;
        this.signup = signup;
        this.clock = clock;
    }

    @Override
    public boolean exists(String accountId) {
        return store.exists(accountId);
    }

    @Override
    @Transactional
    public boolean openIfMissing(String accountId) {
        createAll(List.of(new NewAccount(accountId, null, null, Map.of())), "auto-create");
        return true;
    }

    /** Creates one account; an existing id is refused with {@code account_exists}. */
    @Transactional
    public Account create(NewAccount account, String actor) {
        var result = createAll(List.of(account), actor);
        if (result.created() == 0) {
            throw new ProblemException(AccountProblem.ACCOUNT_EXISTS, "An account with id '" + account.id()
                    + "' already exists.");
        }
        return store.find(account.id()).orElseThrow();
    }

    /** Creates the accounts that do not exist yet (backfill); existing ones are counted and left untouched. */
    @Transactional
    public BatchResult createAll(List<NewAccount> accounts, String actor) {
        if (accounts.size() > BATCH_SIZE_MAX) {
            throw new ProblemException(AccountProblem.BATCH_TOO_LARGE,
                    "At most " + BATCH_SIZE_MAX + " accounts per batch; got " + accounts.size() + ".");
        }
        // The first occurrence of a repeated id wins, as a single insert would.
        var unique = new ArrayList<>(accounts.stream()
                .collect(Collectors.toMap(NewAccount::id, a -> a, (first, repeat) -> first, LinkedHashMap::new))
                .values());
        Map<String, Plan> planOf = new LinkedHashMap<>();
        for (var account : unique) {
            String code = account.plan() != null ? account.plan() : signup.plan();
            planOf.computeIfAbsent(code, plans::require);
        }
        Instant now = clock.instant();
        List<String> created = store.insertMissing(unique, now);
        var createdSet = new java.util.HashSet<>(created);
        var byPlan = unique.stream()
                .filter(a -> createdSet.contains(a.id()))
                .collect(Collectors.groupingBy(a -> a.plan() != null ? a.plan() : signup.plan(), LinkedHashMap::new,
                        Collectors.mapping(NewAccount::id, Collectors.toList())));
        for (var group : byPlan.entrySet()) {
            subscriptions.startAll(group.getValue(), planOf.get(group.getKey()), now);
        }
        ledger.openAll(created, now, signup.credits(), signup.balanceMicros(), actor);
        for (var group : byPlan.entrySet()) {
            var data = Map.of("plan", group.getKey(), "credits", signup.credits(),
                    "balance_usd", Money.format(signup.balanceMicros()), "actor", actor);
            events.appendAll(group.getValue(), EventType.ACCOUNT_CREATED,
                    java.util.Collections.nCopies(group.getValue().size(), data));
        }
        return new BatchResult(created.size(), unique.size() - created.size() + (accounts.size() - unique.size()));
    }

    public Optional<Account> find(String id) {
        return store.find(id);
    }

    public List<Account> list(@Nullable String query, @Nullable String planCode, String afterId, int limit) {
        return store.list(query, planCode, afterId, limit);
    }

    /** Accounts in id order after {@code afterId}, matching a substring of id or email, a plan and a status. */
    public List<Account> list(@Nullable String query, @Nullable String planCode, @Nullable String status,
            String afterId, int limit) {
        return store.list(query, planCode, status, afterId, limit);
    }

    /** The accounts with these ids, in no particular order; unknown ids are left out. */
    public List<Account> findAll(java.util.Collection<String> ids) {
        return store.findAll(ids);
    }

    /** The account with its plan and meters, up to date with the clock (trial expiry, period rollover). */
    public Optional<AccountSummary> summary(String id) {
        Optional<Account> account = store.find(id);
        if (account.isEmpty()) {
            return Optional.empty();
        }
        Optional<AccountMeters> meters = ledger.meters(id);
        return meters.map(m -> new AccountSummary(account.get(), m));
    }

    public record BatchResult(int created, int existing) {}
}
