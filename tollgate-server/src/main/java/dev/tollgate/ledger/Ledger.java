package dev.tollgate.ledger;

import dev.tollgate.event.EventType;
import dev.tollgate.event.Events;
import dev.tollgate.ledger.LedgerStore.NewEntry;
import dev.tollgate.ledger.ReserveResult.Rejected;
import dev.tollgate.ledger.ReserveResult.Remaining;
import dev.tollgate.ledger.ReserveResult.Reserved;
import dev.tollgate.ledger.ReserveResult.Warning;
import dev.tollgate.plan.Plan;
import dev.tollgate.plan.Plans;
import dev.tollgate.plan.Subscription;
import dev.tollgate.plan.Subscriptions;
import dev.tollgate.platform.AccountGuard;
import dev.tollgate.platform.Ids;
import dev.tollgate.platform.KnownAccounts;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.pricing.ModelPrice;
import dev.tollgate.pricing.PriceTable;
import dev.tollgate.shared.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger: admits reservations, settles usage and keeps every meter equal to the sum of its
 * entries. Admission is strict (one conditional UPDATE); recording is truthful (a commit beyond the
 * reservation or the limit is accepted and the excess posted as overage).
 */
@Service
public class Ledger {

    /** A refused reserve does its chores (period, expiry) and asks again at most this often. */
    private static final int RESERVE_ATTEMPTS_MAX = 4;
    private static final DateTimeFormatter BILLING_MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

    private final LedgerStore store;
    private final ConversationSlots conversations;
    private final Denials denials;
    private final Plans plans;
    private final Subscriptions subscriptions;
    private final PriceTable prices;
    private final Events events;
    private final ObjectProvider<KnownAccounts> accounts;
    private final LedgerSettings settings;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Ledger(LedgerStore store, ConversationSlots conversations, Denials denials, Plans plans,
            Subscriptions subscriptions, PriceTable prices, Events events, ObjectProvider<KnownAccounts> accounts,
            LedgerSettings settings, TransactionTemplate transactions, Clock clock) {
        this.store = store;
        this.conversations = conversations;
        this.denials = denials;
        this.plans = plans;
        this.subscriptions = subscriptions;
        this.prices = prices;
        this.events = events;
        this.accounts = accounts;
        this.settings = settings;
        this.transactions = transactions;
        this.clock = clock;
    }

    // ---- opening accounts -------------------------------------------------------------------------

    /** Opens the meters of new accounts with their signup grants, in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void openAll(List<String> accountIds, Instant periodStart, long credits, long balanceMicros, String actor) {
        if (accountIds.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        store.insertBudgets(accountIds, periodStart, credits, balanceMicros, now);
        var entries = new ArrayList<NewEntry>();
        for (String accountId : accountIds) {
            if (credits != 0) {
                entries.add(new NewEntry(accountId, Meter.CREDITS, EntryType.GRANT, credits, credits,
                        "Signup grant", null, actor, Map.of()));
            }
            if (balanceMicros != 0) {
                entries.add(new NewEntry(accountId, Meter.BALANCE, EntryType.GRANT, balanceMicros, balanceMicros,
                        "Signup grant", null, actor, Map.of()));
            }
        }
        store.appendAll(entries, now);
    }

    // ---- reserve ----------------------------------------------------------------------------------

    /**
     * The pre-flight check. The approval is one statement, run on its own (autocommit) unless the caller
     * has a transaction open; a refusal opens a transaction, locks the budget row and asks the same
     * statement again, which then either approves (the row changed meanwhile), names a chore (bring the
     * subscription or the budget's period up to date, then ask again) or names the denial. A named
     * conversation on a plan that limits conversations is always decided under that lock (see
     * {@link LedgerStore#tryReserve}).
     */
    public ReserveResult reserve(ReserveCommand command) {
        Instant now = clock.instant();
        Optional<ModelPrice> price = prices.priceAt(command.provider(), command.model(), now);
        if (price.isEmpty() && !command.byok()) {
            throw new ProblemException(LedgerProblem.UNKNOWN_MODEL, "Model '" + command.model() + "' of provider '"
                    + command.provider() + "' has no price in the catalog. Add it with PUT /v1/prices/"
                    + command.provider() + "/" + command.model() + " or send byok: true.");
        }
        long estimatedCost = command.byok() ? 0
                : price.orElseThrow().costMicros(command.inputTokens(), command.maxOutputTokens(), 0);
        String id = Ids.next("rsv", clock);
        Instant expiresAt = now.plus(settings.reservationTtl());
        var admission = store.tryReserve(id, command, estimatedCost, now, expiresAt, false);
        if (admission.isPresent() && admission.get().approved()) {
            events.dispatchAfterCommit();
            return approved(id, command, admission.get(), now, expiresAt);
        }
        return transactions.execute(status -> decide(id, command, estimatedCost, now, expiresAt));
    }

    private ReserveResult decide(String id, ReserveCommand command, long estimatedCost, Instant now,
            Instant expiresAt) {
        String accountId = command.accountId();
        for (int attempt = 0; attempt < RESERVE_ATTEMPTS_MAX; attempt++) {
            if (store.budget(accountId, true).isEmpty()) {
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
                Subscription sub = subscriptions.refresh(accountId).orElseThrow(() -> AccountGuard.notFound(accountId));
                syncPeriod(accountId, sub, now);
            } else if (!Denials.onAMeter(denial.get()) || expireDue(accountId, settings.sweepBatchSize()) == 0) {
                return denied(command, denials.of(denial.get(), admission));
            }
        }
        return denied(command, new Rejected(LedgerProblem.RESERVATION_CONTENDED,
                "The account changed while this request was being decided; try again.", Map.of()));
    }

    private Reserved approved(String id, ReserveCommand c, LedgerStore.Admission a, Instant now, Instant expiresAt) {
        var reservation = new Reservation(id, c.accountId(), ReservationStatus.PENDING, c.provider(), c.model(),
                c.byok(), a.tokensNeeded(), a.conversationsNeeded(), a.creditsNeeded(), a.amountNeeded(),
                c.inputTokens(), c.maxOutputTokens(), c.jobType(), c.jobId(), c.conversationId(), c.metadata(),
                a.periodStart(), now, expiresAt, null, null);
        var remaining = new Remaining(
                a.tokensLimit() == null ? null : Math.max(0, a.tokensLimit() - a.tokensUsed() - a.tokensReserved()),
                a.conversationsLimit() == null ? null
                        : Math.max(0, a.conversationsLimit() - a.conversationsUsed() - a.conversationsReserved()),
                a.credits() - a.creditsReserved(),
                a.balanceMicros() - a.balanceReservedMicros());
        return new Reserved(reservation, remaining, softWarnings(a.tokensUsed(), a.tokensLimit()));
    }

    /** What a request on an ended trial of {@code trial} is told, word for word (seed 002). */
    public String trialExpiredMessage(Plan trial) {
        return denials.trialExpiredMessage(trial);
    }

    /** A warning at or above the soft threshold, in seed 002's words: "User at 91.7% of quota". */
    public List<Warning> softWarnings(long tokensUsed, @Nullable Long tokensLimit) {
        if (tokensLimit == null || tokensLimit == 0) {
            return List.of();
        }
        double percent = percent(tokensUsed, tokensLimit);
        if (percent < settings.softLimitPercent()) {
            return List.of();
        }
        return List.of(new Warning("soft_limit", percent, "User at " + formatPercent(percent) + "% of quota"));
    }

    /** Percent used with one decimal, rounded half up. */
    public static double percent(long used, long limit) {
        if (limit <= 0) {
            return used > 0 ? 100.0 : 0.0;
        }
        return BigDecimal.valueOf(used).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(limit), 1, RoundingMode.HALF_UP).doubleValue();
    }

    private static String formatPercent(double percent) {
        return BigDecimal.valueOf(percent).setScale(1, RoundingMode.HALF_UP).toPlainString();
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

    // ---- commit, usage, release, expiry -------------------------------------------------------------

    public Optional<Reservation> reservation(String id) {
        return store.reservation(id, false);
    }

    @Transactional
    public Committed commit(String reservationId, CommitCommand c, String actor) {
        Instant now = clock.instant();
        var locked = store.reservationForSettlement(reservationId, now)
                .orElseThrow(() -> reservationNotFound(reservationId));
        var reservation = locked.reservation();
        String model = c.model() != null ? c.model() : reservation.model();
        switch (reservation.status()) {
            case COMMITTED -> {
                var usage = store.usageRecord(reservation.accountId(), reservation.usageRecordId()).orElseThrow();
                if (usage.sameUsage(c.inputTokens(), c.outputTokens(), c.cachedInputTokens(), model)) {
                    return new Committed(usage, true);
                }
                throw new ProblemException(LedgerProblem.RESERVATION_ALREADY_COMMITTED, "Reservation " + reservationId
                        + " was already committed with different numbers (usage record " + usage.id() + ").",
                        Map.of("usage_record_id", usage.id()));
            }
            case RELEASED -> throw new ProblemException(LedgerProblem.RESERVATION_RELEASED,
                    "Reservation " + reservationId + " was released and cannot be committed.");
            case PENDING, EXPIRED -> {
                var usage = new UsageCommand(reservation.accountId(), reservation.provider(), model, c.inputTokens(),
                        c.outputTokens(), c.cachedInputTokens(), reservation.byok(), reservation.jobType(),
                        reservation.jobId(), reservation.conversationId(), c.durationMs(),
                        c.metadata().isEmpty() ? reservation.metadata() : c.metadata());
                if (locked.budget() == null) {
                    return new Committed(settle(usage, reservation, actor), false);
                }
                return new Committed(settle(usage, reservation, actor, now, locked.subscription(),
                        syncPeriod(locked.budget(), locked.subscription(), now)), false);
            }
        }
        throw new IllegalStateException("unknown reservation status " + reservation.status());
    }

    /** Records usage that had no reservation; it is charged like a commit. */
    @Transactional
    public UsageRecord recordUsage(UsageCommand usage, String actor) {
        if (store.budget(usage.accountId(), false).isEmpty()) {
            throw AccountGuard.notFound(usage.accountId());
        }
        return settle(usage, null, actor);
    }

    /**
     * Posts real usage. With a pending reservation, the reserved part is committed as usage and any
     * excess as overage; with an expired one everything is overage (its reserve went back at expiry);
     * without one everything is usage. BYOK usage is priced and recorded but moves no platform meter.
     */
    private UsageRecord settle(UsageCommand u, @Nullable Reservation r, String actor) {
        String accountId = u.accountId();
        Subscription sub = subscriptions.refresh(accountId).orElseThrow(() -> AccountGuard.notFound(accountId));
        Instant now = clock.instant();
        return settle(u, r, actor, now, sub, syncPeriod(accountId, sub, now));
    }

    /** Settles against {@code before}, the account's budget row in {@code sub}'s period, locked by the caller. */
    private UsageRecord settle(UsageCommand u, @Nullable Reservation r, String actor, Instant now, Subscription sub,
            Budget before) {
        String accountId = u.accountId();
        Plan plan = plans.require(sub.planCode());
        boolean live = r != null && r.status() == ReservationStatus.PENDING;
        String usageId = Ids.next("use", clock);

        Optional<ModelPrice> price = prices.priceAt(u.provider(), u.model(), now);
        if (price.isEmpty() && r != null) {
            price = prices.priceAt(r.provider(), r.model(), now);
        }
        long cost = price.map(p -> p.costMicros(u.inputTokens(), u.outputTokens(), u.cachedInputTokens())).orElse(0L);
        long totalTokens = Math.addExact(u.inputTokens(), u.outputTokens());

        var entries = new ArrayList<NewEntry>();
        var meta = Map.<String, Object>of("usage_record_id", usageId);
        String reference = r != null ? r.id() : usageId;
        long tokensUsed = before.tokensUsed();
        long overageTokens = 0;
        if (!u.byok() && totalTokens > 0) {
            long covered = r == null ? totalTokens : live ? Math.min(totalTokens, r.tokens()) : 0;
            overageTokens = totalTokens - covered;
            if (covered > 0) {
                tokensUsed += covered;
                entries.add(new NewEntry(accountId, Meter.TOKENS, EntryType.USAGE, covered, tokensUsed,
                        u.model(), reference, actor, meta));
            }
            if (overageTokens > 0) {
                tokensUsed += overageTokens;
                entries.add(new NewEntry(accountId, Meter.TOKENS, EntryType.OVERAGE, overageTokens, tokensUsed,
                        u.model() + " beyond the reservation", reference, actor, meta));
            }
        }
        var slot = conversationSettled(u, r, live, plan, before.periodStart(), now);
        long conversationsUsed = before.conversationsUsed() + slot.used();
        if (slot.used() > 0) {
            entries.add(new NewEntry(accountId, Meter.CONVERSATIONS, EntryType.USAGE, 1, conversationsUsed,
                    u.conversationId() == null ? "Conversation" : "Conversation " + u.conversationId(), reference,
                    actor, meta));
        }
        long credits = before.credits();
        long creditsCharged = u.byok() ? 0 : r != null ? r.credits() : plan.creditsPerRequest();
        if (creditsCharged > 0) {
            credits -= creditsCharged;
            entries.add(new NewEntry(accountId, Meter.CREDITS, EntryType.USAGE, -creditsCharged, credits,
                    "Request on " + u.model(), reference, actor, meta));
        }
        long balance = before.balanceMicros();
        boolean chargesBalance = !u.byok() && (live && r.amountMicros() > 0 || plan.chargesBalance());
        if (chargesBalance && cost > 0) {
            long covered = r == null ? cost : live ? Math.min(cost, r.amountMicros()) : 0;
            long excess = cost - covered;
            if (covered > 0) {
                balance -= covered;
                entries.add(new NewEntry(accountId, Meter.BALANCE, EntryType.USAGE, -covered, balance, u.model(),
                        reference, actor, meta));
            }
            if (excess > 0) {
                balance -= excess;
                entries.add(new NewEntry(accountId, Meter.BALANCE, EntryType.OVERAGE, -excess, balance,
                        u.model() + " beyond the reservation", reference, actor, meta));
            }
        }
        var after = new Budget(accountId, before.periodStart(), tokensUsed,
                before.tokensReserved() - (live ? r.tokens() : 0), conversationsUsed,
                before.conversationsReserved() + slot.reserved(), credits,
                before.creditsReserved() - (live ? r.credits() : 0), balance,
                before.balanceReservedMicros() - (live ? r.amountMicros() : 0));
        var usage = new UsageRecord(usageId, accountId, r == null ? null : r.id(), u.provider(), u.model(),
                u.inputTokens(), u.outputTokens(), u.cachedInputTokens(), totalTokens, cost, price.isPresent(),
                u.byok(), overageTokens, u.jobType(), u.jobId(), u.conversationId(), u.durationMs(), u.metadata(),
                BILLING_MONTH.format(now), now);
        store.settle(after, entries, usage, committedEvent(usage, after), now);
        events.dispatchAfterCommit();
        if (after.credits() != before.credits()) {
            creditsChanged(accountId, after.credits() - before.credits(), after.credits(), "usage", actor);
        }
        if (after.balanceMicros() != before.balanceMicros()) {
            balanceChanged(accountId, after.balanceMicros() - before.balanceMicros(), after.balanceMicros(), "usage",
                    actor);
        }
        crossedThresholds(sub, plan, before, after, now);
        return usage;
    }

    /**
     * What settling {@code u} does to the conversation meters (nothing for BYOK, which never touches a
     * platform meter): a named conversation is finished through
     * its slot; a call without a conversation id is a conversation of its own, counted when its
     * reservation held a slot (or, without a reservation, when the plan limits conversations).
     */
    private ConversationSlots.Change conversationSettled(UsageCommand u, @Nullable Reservation r, boolean live,
            Plan plan, Instant currentPeriod, Instant now) {
        if (u.byok()) {
            return ConversationSlots.Change.NONE;
        }
        if (u.conversationId() != null) {
            return conversations.committed(u.accountId(), currentPeriod, u.conversationId(), live ? r : null,
                    plan.conversationsPerPeriod() != null, now);
        }
        boolean counts = r != null ? r.conversations() > 0 : plan.conversationsPerPeriod() != null;
        if (!counts) {
            return ConversationSlots.Change.NONE;
        }
        return new ConversationSlots.Change(1, live ? -r.conversations() : 0);
    }

    /** The data of the {@code usage.committed} event, which the settling statement writes. */
    private static Map<String, Object> committedEvent(UsageRecord usage, Budget after) {
        var data = new LinkedHashMap<String, Object>();
        data.put("usage_record_id", usage.id());
        data.put("reservation_id", usage.reservationId());
        data.put("provider", usage.provider());
        data.put("model", usage.model());
        data.put("input_tokens", usage.inputTokens());
        data.put("output_tokens", usage.outputTokens());
        data.put("total_tokens", usage.totalTokens());
        data.put("cost_usd", Money.format(usage.costMicros()));
        data.put("byok", usage.byok());
        data.put("overage_tokens", usage.overageTokens());
        data.put("job_type", usage.jobType());
        data.put("job_id", usage.jobId());
        data.put("conversation_id", usage.conversationId());
        data.put("tokens_used", after.tokensUsed());
        return data;
    }

    /** Announces each configured threshold once per meter and period, when usage reaches it. */
    private void crossedThresholds(Subscription sub, Plan plan, Budget before, Budget after, Instant now) {
        announce(Meter.TOKENS, sub.tokenLimit(plan), before.tokensUsed(), after.tokensUsed(), after, now);
        announce(Meter.CONVERSATIONS, plan.conversationsPerPeriod(), before.conversationsUsed(),
                after.conversationsUsed(), after, now);
    }

    private void announce(Meter meter, @Nullable Long limit, long usedBefore, long usedAfter, Budget after,
            Instant now) {
        if (limit == null || limit == 0 || usedAfter <= usedBefore) {
            return;
        }
        List<Integer> reached = settings.thresholdPercents().stream()
                .filter(percent -> usedAfter * 100 >= (long) percent * limit)
                .toList();
        for (int percent : store.recordThresholds(after.accountId(), meter, after.periodStart(), reached, now)) {
            var data = new LinkedHashMap<String, Object>();
            data.put("meter", meter.wireName());
            data.put("threshold_percent", percent);
            data.put("percent_used", percent(usedAfter, limit));
            data.put("used", usedAfter);
            data.put("limit", limit);
            data.put("period_start", after.periodStart().toString());
            events.append(after.accountId(), EventType.THRESHOLD_CROSSED, data);
        }
    }

    @Transactional
    public Reservation release(String reservationId, String actor) {
        var reservation = store.reservation(reservationId, true).orElseThrow(() -> reservationNotFound(reservationId));
        switch (reservation.status()) {
            case RELEASED, EXPIRED -> {
                return reservation;
            }
            case COMMITTED -> throw new ProblemException(LedgerProblem.RESERVATION_ALREADY_COMMITTED,
                    "Reservation " + reservationId + " was already committed and cannot be released.");
            case PENDING -> {
                Instant now = clock.instant();
                returnReserve(List.of(reservation), ReservationStatus.RELEASED, actor, now);
                return store.reservation(reservation.accountId(), reservationId).orElseThrow();
            }
        }
        throw new IllegalStateException("unknown reservation status " + reservation.status());
    }

    /** Expires pending reservations past their TTL (of one account, or of all when null). */
    @Transactional
    public int expireDue(@Nullable String accountId, int limit) {
        Instant now = clock.instant();
        var due = store.lockExpired(now, accountId, limit);
        if (!due.isEmpty()) {
            returnReserve(due, ReservationStatus.EXPIRED, "system", now);
        }
        return due.size();
    }

    /** Gives back what pending reservations set aside, account by account, and resolves them. */
    private void returnReserve(List<Reservation> reservations, ReservationStatus outcome, String actor, Instant now) {
        Map<String, List<Reservation>> byAccount = reservations.stream()
                .collect(Collectors.groupingBy(Reservation::accountId, LinkedHashMap::new, Collectors.toList()));
        for (var account : byAccount.entrySet()) {
            Budget b = store.budget(account.getKey(), true).orElseThrow();
            long tokens = 0;
            long conversationsFreed = 0;
            long credits = 0;
            long amount = 0;
            var entries = new ArrayList<NewEntry>();
            for (var r : account.getValue()) {
                tokens += r.tokens();
                conversationsFreed += r.conversationId() == null ? r.conversations()
                        : -conversations.callEnded(r).reserved();
                credits += r.credits();
                amount += r.amountMicros();
                if (outcome == ReservationStatus.EXPIRED) {
                    entries.addAll(expiryEntries(r, b, actor));
                }
                store.resolve(r.accountId(), r.id(), outcome, now, null);
                var data = new LinkedHashMap<String, Object>();
                data.put("reservation_id", r.id());
                data.put("tokens", r.tokens());
                data.put("conversations", r.conversations());
                data.put("credits", r.credits());
                data.put("amount_usd", Money.format(r.amountMicros()));
                data.put("actor", actor);
                events.append(r.accountId(), outcome == ReservationStatus.EXPIRED
                        ? EventType.RESERVATION_EXPIRED : EventType.RESERVATION_RELEASED, data);
            }
            store.saveBudget(new Budget(b.accountId(), b.periodStart(), b.tokensUsed(), b.tokensReserved() - tokens,
                    b.conversationsUsed(), b.conversationsReserved() - conversationsFreed, b.credits(),
                    b.creditsReserved() - credits, b.balanceMicros(), b.balanceReservedMicros() - amount), now);
            store.append(entries, now);
        }
    }

    /**
     * An expiry moves no meter value (the reserve was never spent), so its entries carry amount 0 and
     * record in their metadata what the expired reservation had set aside: the audit trail shows every
     * reservation's end.
     */
    private static List<NewEntry> expiryEntries(Reservation r, Budget b, String actor) {
        var entries = new ArrayList<NewEntry>();
        record Held(Meter meter, long reserved, long value) {}
        for (var held : List.of(new Held(Meter.TOKENS, r.tokens(), b.tokensUsed()),
                new Held(Meter.CONVERSATIONS, r.conversations(), b.conversationsUsed()),
                new Held(Meter.CREDITS, r.credits(), b.credits()),
                new Held(Meter.BALANCE, r.amountMicros(), b.balanceMicros()))) {
            if (held.reserved() > 0) {
                entries.add(new NewEntry(r.accountId(), held.meter(), EntryType.EXPIRY, 0, held.value(),
                        "Reservation expired unused", r.id(), actor, Map.of("reserved", held.reserved())));
            }
        }
        return entries;
    }

    // ---- periods ------------------------------------------------------------------------------------

    /**
     * Resets the periodic meters when the subscription has entered a new period: exactly once, because
     * the budget row is locked and its period start compared. Returns the budget, locked.
     */
    private Budget syncPeriod(String accountId, Subscription sub, Instant now) {
        return syncPeriod(store.budget(accountId, true).orElseThrow(() -> AccountGuard.notFound(accountId)), sub, now);
    }

    /** Moves the locked budget row {@code b} into the subscription's period, if it is still in an earlier one. */
    private Budget syncPeriod(Budget b, Subscription sub, Instant now) {
        String accountId = b.accountId();
        if (b.periodStart().equals(sub.periodStart())) {
            return b;
        }
        var reason = Map.<String, Object>of("previous_period_start", b.periodStart().toString(),
                "period_start", sub.periodStart().toString());
        var entries = List.of(
                new NewEntry(accountId, Meter.TOKENS, EntryType.RESET, -b.tokensUsed(), 0, "Period reset", null,
                        "system", reason),
                new NewEntry(accountId, Meter.CONVERSATIONS, EntryType.RESET, -b.conversationsUsed(), 0,
                        "Period reset", null, "system", reason));
        var reset = new Budget(accountId, sub.periodStart(), 0, b.tokensReserved(), 0, b.conversationsReserved(),
                b.credits(), b.creditsReserved(), b.balanceMicros(), b.balanceReservedMicros());
        store.saveBudget(reset, now);
        store.append(entries, now);
        var data = new LinkedHashMap<String, Object>();
        data.put("previous_period_start", b.periodStart().toString());
        data.put("period_start", sub.periodStart().toString());
        data.put("period_end", sub.periodEnd().toString());
        data.put("plan", sub.planCode());
        data.put("tokens_used", b.tokensUsed());
        data.put("conversations_used", b.conversationsUsed());
        events.append(accountId, EventType.PERIOD_RESET, data);
        return reset;
    }

    /** The account's meters, after bringing its subscription and period up to date. */
    @Transactional
    public Optional<AccountMeters> meters(String accountId) {
        var sub = subscriptions.refresh(accountId);
        if (sub.isEmpty()) {
            return Optional.empty();
        }
        Plan plan = plans.require(sub.get().planCode());
        Budget budget = store.budget(accountId, false).orElseThrow();
        if (!budget.periodStart().equals(sub.get().periodStart())) {
            budget = syncPeriod(accountId, sub.get(), clock.instant());
        }
        return Optional.of(new AccountMeters(sub.get(), plan, budget));
    }

    /** Rolls over due subscriptions and resets their meters; the sweeper calls this. */
    @Transactional
    public int rollOverDue(int limit) {
        int rolled = 0;
        for (String accountId : subscriptions.dueForRollover(limit)) {
            var sub = subscriptions.refresh(accountId);
            if (sub.isPresent() && store.budget(accountId, false).isPresent()) {
                syncPeriod(accountId, sub.get(), clock.instant());
                rolled++;
            }
        }
        return rolled;
    }

    // ---- credits and money ---------------------------------------------------------------------------

    /** Seed 001's credit transactions: add, deduct, refund, admin_adjustment (signed). */
    @Transactional
    public LedgerEntry adjustCredits(String accountId, EntryType type, long amount, @Nullable String description,
            Map<String, Object> metadata, String actor) {
        long signed = switch (type) {
            case ADD, REFUND -> amount;
            case DEDUCT -> -amount;
            case ADMIN_ADJUSTMENT -> amount;
            default -> throw new IllegalArgumentException("not a credit transaction type: " + type);
        };
        Instant now = clock.instant();
        Budget b = store.budget(accountId, true).orElseThrow(() -> AccountGuard.notFound(accountId));
        long credits = Math.addExact(b.credits(), signed);
        if (signed < 0 && credits - b.creditsReserved() < 0) {
            throw new ProblemException(LedgerProblem.CREDITS_WOULD_GO_NEGATIVE, "The account has "
                    + b.creditsAvailable() + " credits available; it cannot lose " + (-signed) + ".",
                    Map.of("remaining", b.creditsAvailable(), "needed", -signed));
        }
        store.saveBudget(new Budget(accountId, b.periodStart(), b.tokensUsed(), b.tokensReserved(),
                b.conversationsUsed(), b.conversationsReserved(), credits, b.creditsReserved(), b.balanceMicros(),
                b.balanceReservedMicros()), now);
        var entry = store.append(List.of(new NewEntry(accountId, Meter.CREDITS, type, signed, credits, description,
                null, actor, metadata)), now).getFirst();
        creditsChanged(accountId, signed, credits, type.wireName(), actor);
        return entry;
    }

    /** Adds prepaid money. With a reference (a payment id) it happens once: a repeat returns the first entry. */
    @Transactional
    public LedgerEntry topUp(String accountId, long amountMicros, @Nullable String reference, String actor) {
        if (amountMicros <= 0) {
            throw new IllegalArgumentException("a top-up must be positive");
        }
        Instant now = clock.instant();
        Budget b = store.budget(accountId, true).orElseThrow(() -> AccountGuard.notFound(accountId));
        if (reference != null) {
            var earlier = store.entryByReference(accountId, EntryType.TOP_UP, reference);
            if (earlier.isPresent()) {
                if (earlier.get().amount() != amountMicros) {
                    throw new ProblemException(LedgerProblem.TOP_UP_REFERENCE_REUSED,
                            "Reference " + reference + " was already used for a top-up of $"
                                    + Money.format(earlier.get().amount()) + ".");
                }
                return earlier.get();
            }
        }
        long balance = Math.addExact(b.balanceMicros(), amountMicros);
        store.saveBudget(new Budget(accountId, b.periodStart(), b.tokensUsed(), b.tokensReserved(),
                b.conversationsUsed(), b.conversationsReserved(), b.credits(), b.creditsReserved(), balance,
                b.balanceReservedMicros()), now);
        var entry = store.append(List.of(new NewEntry(accountId, Meter.BALANCE, EntryType.TOP_UP, amountMicros,
                balance, "Top-up", reference, actor, Map.of())), now).getFirst();
        balanceChanged(accountId, amountMicros, balance, "top_up", actor);
        return entry;
    }

    private void creditsChanged(String accountId, long amount, long balance, String reason, String actor) {
        events.append(accountId, EventType.CREDITS_CHANGED,
                Map.of("amount", amount, "balance", balance, "reason", reason, "actor", actor));
    }

    private void balanceChanged(String accountId, long amountMicros, long balanceMicros, String reason, String actor) {
        events.append(accountId, EventType.BALANCE_CHANGED, Map.of("amount_usd", Money.format(amountMicros),
                "balance_usd", Money.format(balanceMicros), "reason", reason, "actor", actor));
    }

    // ---- reading --------------------------------------------------------------------------------------

    public List<LedgerEntry> entries(String accountId, @Nullable Meter meter, long beforeId, int limit) {
        return store.entries(accountId, meter, beforeId, limit);
    }

    public List<UsageRecord> usage(String accountId, Instant before, String beforeId, int limit) {
        return store.usageRecords(accountId, before, beforeId, limit);
    }

    public Optional<UsageRecord> usageRecord(String id) {
        return store.usageRecord(id);
    }

    public List<UsageTotals> usageTotals(String accountId, UsageGrouping grouping, Instant from, Instant to) {
        return store.usageTotals(accountId, grouping, from, to);
    }

    /** Accounts whose meters disagree with their ledger sums or pending reservations; empty when all is well. */
    public List<Discrepancy> reconcile(@Nullable String accountId, int limit) {
        return store.discrepancies(accountId, limit);
    }

    private static ProblemException reservationNotFound(String id) {
        return new ProblemException(LedgerProblem.RESERVATION_NOT_FOUND, "No reservation with id '" + id + "'.");
    }

    /**
     * Usage of every account per model from {@code from} up to the end of the hour holding {@code to}, for
     * the console's overview; {@code from} is rounded down to its hour, as the hourly rollup keeps it.
     */
    public List<UsageTotals> usageByModelOfAll(Instant from, Instant to) {
        return store.usageByModelOfAll(from.truncatedTo(java.time.temporal.ChronoUnit.HOURS),
                to.truncatedTo(java.time.temporal.ChronoUnit.HOURS).plus(java.time.Duration.ofHours(1)));
    }

    /**
     * An account's plan, status and token meter as last stored (a period due to roll over shows its old usage
     * until the sweeper or the next request rolls it), for lists of many accounts.
     */
    public record MeterRow(String accountId, String planCode, String status, @Nullable Long tokensOverride,
            long tokensUsed, long tokensReserved) {}

    /** The stored meters of the given accounts, for the console's account list. */
    public List<MeterRow> meterRows(java.util.Collection<String> accountIds) {
        return accountIds.isEmpty() ? List.of() : store.meterRows(accountIds);
    }

    /** The accounts that used the most tokens this period, optionally of one plan and one status. */
    public List<MeterRow> busiest(@Nullable String planCode, @Nullable String status, int limit) {
        return store.busiest(planCode, status, limit);
    }

    /** A conversation of this period: when it took its slot, whether a call of it was committed, calls open. */
    public record ConversationRow(String conversationId, Instant startedAt, boolean finished, int openCalls) {}

    /** The account's pending reservations, newest first, for the console's account page. */
    public List<Reservation> pendingReservations(String accountId, int limit) {
        return store.pendingReservations(accountId, limit);
    }

    /** The conversations holding a slot of the period that starts at {@code periodStart}, newest first. */
    public List<ConversationRow> conversations(String accountId, Instant periodStart, int limit) {
        return store.conversations(accountId, periodStart, limit);
    }
}
