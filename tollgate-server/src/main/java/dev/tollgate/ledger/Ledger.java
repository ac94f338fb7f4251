package dev.tollgate.ledger;

import dev.tollgate.ledger.ReserveResult.Warning;
import dev.tollgate.plan.Plan;
import dev.tollgate.report.Discrepancy;
import dev.tollgate.report.Reports;
import dev.tollgate.report.UsageGrouping;
import dev.tollgate.report.UsageTotals;
import dev.tollgate.shared.Money;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The ledger's API: admits reservations, settles usage and keeps every meter equal to the sum of its
 * entries. Admission is strict (the reserve statement, {@code reserve.sql}, is the one place the rule is
 * applied); recording is truthful (a commit beyond the reservation or the limit is accepted and the excess
 * posted as overage). Each job has its own class ({@link Reservations}, {@link Settlements},
 * {@link Releases}, {@link Periods}, {@link Adjustments}); this one names the transactions and delegates.
 */
@Service
public class Ledger {

    private final Reservations reservations;
    private final Settlements settlements;
    private final Releases releases;
    private final Periods periods;
    private final Adjustments adjustments;
    private final SoftWarnings warnings;
    private final Denials denials;
    // Reads go to the stores directly: a read has no job of its own.
    private final ReservationStore reservationStore;
    private final BudgetStore budgets;
    private final EntryStore entries;
    private final UsageStore usages;
    private final ConversationSlots conversations;
    private final Reports reports;
    private final MonthTotals monthTotals;
    private final MonthTotalStore months;

    Ledger(Reservations reservations, Settlements settlements, Releases releases, Periods periods,
            Adjustments adjustments, SoftWarnings warnings, Denials denials, ReservationStore reservationStore,
            BudgetStore budgets, EntryStore entries, UsageStore usages, ConversationSlots conversations,
            Reports reports, MonthTotals monthTotals, MonthTotalStore months) {
        this.reservations = reservations;
        this.settlements = settlements;
        this.releases = releases;
        this.periods = periods;
        this.adjustments = adjustments;
        this.warnings = warnings;
        this.denials = denials;
        this.reservationStore = reservationStore;
        this.budgets = budgets;
        this.entries = entries;
        this.usages = usages;
        this.conversations = conversations;
        this.reports = reports;
        this.monthTotals = monthTotals;
        this.months = months;
    }

    /** Opens the meters of new accounts with their signup grants, in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void openAll(List<String> accountIds, Instant periodStart, long credits, long balanceMicros, String actor) {
        adjustments.openAll(accountIds, periodStart, credits, Money.ofMicros(balanceMicros), actor);
    }

    /**
     * The pre-flight check: one statement on the way to an approval, run on its own unless the caller has a
     * transaction open; a refusal is decided again in a transaction of its own (see {@link Reservations}).
     */
    public ReserveResult reserve(ReserveCommand command) {
        return reservations.reserve(command);
    }

    public Optional<Reservation> reservation(String id) {
        return reservationStore.reservation(id, false);
    }

    @Transactional
    public CommitResult commit(String reservationId, CommitCommand command, String actor) {
        return settlements.commit(reservationId, command, actor);
    }

    /** Records usage that had no reservation; it is charged like a commit. */
    @Transactional
    public UsageRecord recordUsage(UsageCommand usage, String actor) {
        return settlements.recordUsage(usage, actor);
    }

    /** Releases a pending reservation; a second release (or one after expiry) returns it as it is. */
    @Transactional
    public Reservation release(String reservationId, String actor) {
        return releases.release(reservationId, actor);
    }

    /** Expires pending reservations past their TTL (of one account, or of all when null). */
    @Transactional
    public int expireDue(@Nullable String accountId, int limit) {
        return releases.expireDue(accountId, limit);
    }

    /** The account's meters, after bringing its subscription and period up to date. */
    @Transactional
    public Optional<AccountMeters> meters(String accountId) {
        return periods.meters(accountId);
    }

    /** Rolls over due subscriptions and resets their meters; the sweeper calls this. */
    @Transactional
    public int rollOverDue(int limit) {
        return periods.rollOverDue(limit);
    }

    /**
     * Records the totals of every closed day not recorded yet (what the scheduled job does every 10 minutes), a
     * month at most per transaction; returns the months this call completed.
     */
    public List<YearMonth> recordClosedDays() {
        return monthTotals.recordClosedDays();
    }

    /** The months whose ledger totals are recorded, oldest first. */
    public List<YearMonth> recordedMonths() {
        return months.recordedMonths();
    }

    /** Seed 001's credit transactions: add, deduct, refund, admin_adjustment (signed). */
    @Transactional
    public LedgerEntry adjustCredits(String accountId, EntryType type, long amount, @Nullable String description,
            Map<String, Object> metadata, String actor) {
        return adjustments.adjustCredits(accountId, type, amount, description, metadata, actor);
    }

    /** Adds prepaid money. With a reference (a payment id) it happens once: a repeat returns the first entry. */
    @Transactional
    public LedgerEntry topUp(String accountId, long amountMicros, @Nullable String reference, String actor) {
        return adjustments.topUp(accountId, Money.ofMicros(amountMicros), reference, actor);
    }

    /** What a request on an ended trial of {@code trial} is told, word for word (seed 002). */
    public String trialExpiredMessage(Plan trial) {
        return denials.trialExpiredMessage(trial);
    }

    /** A warning at or above the soft threshold, in seed 002's words: "User at 91.7% of quota". */
    public List<Warning> softWarnings(long tokensUsed, @Nullable Long tokensLimit) {
        return warnings.of(tokensUsed, tokensLimit);
    }

    /** Percent used with one decimal, rounded half up. */
    public static double percent(long used, long limit) {
        return SoftWarnings.percent(used, limit);
    }

    // ---- reads ----------------------------------------------------------------------------------------

    public List<LedgerEntry> entries(String accountId, @Nullable Meter meter, long beforeId, int limit) {
        return entries.entries(accountId, meter, beforeId, limit);
    }

    public List<UsageRecord> usage(String accountId, Instant before, String beforeId, int limit) {
        return usages.usageRecords(accountId, before, beforeId, limit);
    }

    public Optional<UsageRecord> usageRecord(String id) {
        return usages.usageRecord(id);
    }

    public List<UsageTotals> usageTotals(String accountId, UsageGrouping grouping, Instant from, Instant to) {
        return reports.usageTotals(accountId, grouping, from, to);
    }

    /** Accounts whose meters disagree with their ledger sums or pending reservations; empty when all is well. */
    public List<Discrepancy> reconcile(@Nullable String accountId, int limit) {
        return reports.reconcile(accountId, limit);
    }

    /** Usage of every account per model, for the console's overview (see {@link Reports#usageByModelOfAll}). */
    public List<UsageTotals> usageByModelOfAll(Instant from, Instant to) {
        return reports.usageByModelOfAll(from, to);
    }

    /**
     * An account's plan, status and token meter as last stored (a period due to roll over shows its old usage
     * until the sweeper or the next request rolls it), for lists of many accounts.
     */
    public record MeterRow(String accountId, String planCode, String status, @Nullable Long tokensOverride,
            long tokensUsed, long tokensReserved) {}

    /** The stored meters of the given accounts, for the console's account list. */
    public List<MeterRow> meterRows(Collection<String> accountIds) {
        return accountIds.isEmpty() ? List.of() : budgets.meterRows(accountIds);
    }

    /** The accounts that used the most tokens this period, optionally of one plan and one status. */
    public List<MeterRow> busiest(@Nullable String planCode, @Nullable String status, int limit) {
        return budgets.busiest(planCode, status, limit);
    }

    /** A conversation of this period: when it took its slot, whether a call of it was committed, calls open. */
    public record ConversationRow(String conversationId, Instant startedAt, boolean finished, int openCalls) {}

    /** The account's pending reservations, newest first, for the console's account page. */
    public List<Reservation> pendingReservations(String accountId, int limit) {
        return reservationStore.pending(accountId, limit);
    }

    /** The conversations holding a slot of the period that starts at {@code periodStart}, newest first. */
    public List<ConversationRow> conversations(String accountId, Instant periodStart, int limit) {
        return conversations.list(accountId, periodStart, limit);
    }
}
