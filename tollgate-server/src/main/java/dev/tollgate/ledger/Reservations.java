package dev.tollgate.ledger;

import dev.tollgate.event.EventType;
import dev.tollgate.event.Events;
import dev.tollgate.ledger.ReserveResult.Rejected;
import dev.tollgate.ledger.ReserveResult.Remaining;
import dev.tollgate.ledger.ReserveResult.Reserved;
import dev.tollgate.plan.Subscriptions;
import dev.tollgate.platform.AccountGuard;
import dev.tollgate.platform.Ids;
import dev.tollgate.platform.KnownAccounts;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.pricing.ModelPrice;
import dev.tollgate.pricing.PriceTable;
import dev.tollgate.shared.Money;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The pre-flight check. The admission rule is applied by the reserve statement alone
 * ({@code reserve.sql}, with the database function {@code admission_refusal}); this class runs it, does
 * the chores it names and turns its answer into a result.
 */
@Service
class Reservations {

    /** A refused reserve does its chores (period, expiry) and asks again at most this often. */
    private static final int RESERVE_ATTEMPTS_MAX = 4;

    private final ReservationStore store;
    private final BudgetStore budgets;
    private final Denials denials;
    private final Periods periods;
    private final Releases releases;
    private final SoftWarnings warnings;
    private final Subscriptions subscriptions;
    private final PriceTable prices;
    private final Events events;
    private final ObjectProvider<KnownAccounts> accounts;
    private final LedgerSettings settings;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Reservations(ReservationStore store, BudgetStore budgets, Denials denials, Periods periods, Releases releases,
            SoftWarnings warnings, Subscriptions subscriptions, PriceTable prices, Events events,
            ObjectProvider<KnownAccounts> accounts, LedgerSettings settings, TransactionTemplate transactions,
            Clock clock) {
        this.store = store;
        this.budgets = budgets;
        this.denials = denials;
        this.periods = periods;
        this.releases = releases;
        this.warnings = warnings;
        this.subscriptions = subscriptions;
        this.prices = prices;
        this.events = events;
        this.accounts = accounts;
        this.settings = settings;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * The approval is one statement, run on its own (autocommit) unless the caller has a transaction open;
     * a refusal opens a transaction, locks the budget row and asks the same statement again, which then
     * either approves (the row changed meanwhile), names a chore (bring the subscription or the budget's
     * period up to date, then ask again) or names the denial. A named conversation on a plan that limits
     * conversations is always decided under that lock (see {@link ReservationStore#tryReserve}).
     */
    ReserveResult reserve(ReserveCommand command) {
        Instant now = clock.instant();
        Optional<ModelPrice> price = prices.priceAt(command.provider(), command.model(), now);
        if (price.isEmpty() && !command.byok()) {
            throw new ProblemException(LedgerProblem.UNKNOWN_MODEL, "Model '" + command.model() + "' of provider '"
                    + command.provider() + "' has no price in the catalog. Add it with PUT /v1/prices/"
                    + command.provider() + "/" + command.model()
                    + ", or bring your own provider key (byok: true; through the gateway, the X-Tollgate-Provider-Key"
                    + " header).");
        }
        Money estimatedCost = command.byok() ? Money.ZERO
                : Money.ofMicros(price.orElseThrow().mostCostMicros(command.inputTokens(), command.maxOutputTokens()));
        String id = Ids.next("rsv", clock);
        Instant expiresAt = now.plus(settings.reservationTtl());
        var admission = store.tryReserve(id, command, estimatedCost, now, expiresAt, false);
        if (admission.isPresent() && admission.get().approved()) {
            events.dispatchAfterCommit();
            return approved(id, command, admission.get(), now, expiresAt);
        }
        boolean subscriptionDue = admission.isPresent() && Denials.subscriptionDue(admission.get().refusal());
        return transactions.execute(status -> {
            if (subscriptionDue) {
                // Every path locks a subscription before its budget row (commit, summary, sweeper), so a chore
                // the fast path already named is done before decide locks the budget: else this request and
                // the sweeper rolling the same period over could each wait for the other's lock.
                subscriptions.refresh(command.accountId());
            }
            return decide(id, command, estimatedCost, now, expiresAt);
        });
    }

    private ReserveResult decide(String id, ReserveCommand command, Money estimatedCost, Instant now,
            Instant expiresAt) {
        String accountId = command.accountId();
        for (int attempt = 0; attempt < RESERVE_ATTEMPTS_MAX; attempt++) {
            if (budgets.budget(accountId, true).isEmpty()) {
                if (settings.autoCreateAccounts() && accounts.getObject().openIfMissing(accountId)) {
                    continue;
                }
                throw AccountGuard.notFound(accountId);
            }
            var admission = store.tryReserve(id, command, estimatedCost, now, expiresAt, true)
                    .orElseThrow(() -> AccountGuard.notFound(accountId));
            if (admission.approved()) {
                events.dispatchAfterCommit();
                return approved(id, command, admission, now, expiresAt);
            }
            String refusal = Objects.requireNonNull(admission.refusal(),
                    "the budget row is locked, so the statement's answer is the latest row's");
            var denial = Denials.named(refusal);
            if (denial.isEmpty()) {
                var sub = subscriptions.refresh(accountId).orElseThrow(() -> AccountGuard.notFound(accountId));
                periods.sync(accountId, sub, now);
            } else if (!Denials.onAMeter(denial.get())
                    || releases.expireDue(accountId, settings.sweepBatchSize()) == 0) {
                return denied(command, denials.of(denial.get(), admission));
            }
        }
        return denied(command, new Rejected(LedgerProblem.RESERVATION_CONTENDED,
                "The account changed while this request was being decided; try again.", Map.of()));
    }

    private Reserved approved(String id, ReserveCommand c, Admission a, Instant now, Instant expiresAt) {
        var needed = a.needed();
        var reservation = new Reservation.Pending(new Reservation.Terms(id, c.accountId(), c.provider(), c.model(),
                c.byok(), needed.tokens(), needed.conversations(), needed.credits(), needed.amount(), c.inputTokens(),
                c.maxOutputTokens(), c.jobType(), c.jobId(), c.conversationId(), c.metadata(),
                a.meters().periodStart(), now, expiresAt));
        var meters = a.meters();
        var remaining = new Remaining(meters.tokensRemaining(a.tokensLimit()),
                meters.conversationsRemaining(a.conversationsLimit()), meters.creditsAvailable(),
                meters.balanceAvailable().micros());
        return new Reserved(reservation, remaining, warnings.of(meters.tokensUsed(), a.tokensLimit()));
    }

    private Rejected denied(ReserveCommand c, Rejected rejected) {
        var data = new LinkedHashMap<String, Object>();
        data.put("code", rejected.problem().code());
        data.put("detail", rejected.detail());
        data.put("provider", c.provider());
        data.put("model", c.model());
        data.put("tokens", c.tokens());
        data.put("job_type", c.jobType());
        data.put("job_id", c.jobId());
        data.put("conversation_id", c.conversationId());
        data.putAll(rejected.context());
        events.append(c.accountId(), EventType.LIMIT_ENFORCED, data);
        return rejected;
    }
}
