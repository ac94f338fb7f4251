package dev.tollgate.ledger;

import dev.tollgate.plan.Plan;
import dev.tollgate.pricing.ModelPrice;
import dev.tollgate.shared.Money;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What posting one call's usage does to an account's meters, as a pure function of the budget row before
 * it, the call's reservation (if any), the usage, its price and the plan. With a pending reservation the
 * reserved part is posted as usage and any excess as overage; with an expired one everything is overage
 * (its reserve went back at expiry); without one everything is usage. BYOK usage is priced and recorded
 * but moves no platform meter.
 *
 * @param after the budget row's next value
 * @param entries the ledger entries, in the order they are appended
 */
record Settlement(Budget after, List<NewEntry> entries, Money cost, long totalTokens, long overageTokens) {

    Settlement {
        entries = List.copyOf(entries);
    }

    /**
     * @param slot what settling did to the conversation meters ({@link ConversationSlots}), decided first
     *     because it depends on the conversation's row
     * @param usageId the id the usage record will have, which the entries reference
     */
    static Settlement of(Budget before, @Nullable Reservation reservation, UsageCommand usage,
            Optional<ModelPrice> price, Plan plan, ConversationSlots.Change slot, String usageId, String actor) {
        var r = reservation;
        boolean live = r instanceof Reservation.Pending;
        Money cost = price.map(p -> Money.ofMicros(p.costMicros(usage.inputTokens(), usage.outputTokens(),
                usage.cachedInputTokens(), usage.cacheWriteInputTokens(), usage.cacheWrite1hInputTokens())))
                .orElse(Money.ZERO);
        long totalTokens = Math.addExact(usage.inputTokens(), usage.outputTokens());
        var posting = new Posting(usage.accountId(), r != null ? r.id() : usageId, actor,
                Map.of("usage_record_id", usageId));
        String model = usage.model();

        long tokensCovered = 0;
        long overageTokens = 0;
        if (!usage.byok() && totalTokens > 0) {
            tokensCovered = r == null ? totalTokens : live ? Math.min(totalTokens, r.tokens()) : 0;
            overageTokens = totalTokens - tokensCovered;
        }
        long tokensUsed = posting.add(Meter.TOKENS, EntryType.USAGE, tokensCovered, before.tokensUsed(), model);
        posting.add(Meter.TOKENS, EntryType.OVERAGE, overageTokens, tokensUsed, model + " beyond the reservation");

        posting.add(Meter.CONVERSATIONS, EntryType.USAGE, slot.used(), before.conversationsUsed(),
                usage.conversationId() == null ? "Conversation" : "Conversation " + usage.conversationId());

        long credits = usage.byok() ? 0 : r != null ? r.credits() : plan.creditsPerRequest();
        posting.add(Meter.CREDITS, EntryType.USAGE, -credits, before.credits(), "Request on " + model);

        Money charged = Money.ZERO;
        boolean chargesBalance = !usage.byok() && (live && r.amount().isPositive() || plan.chargesBalance());
        if (chargesBalance && cost.isPositive()) {
            Money covered = r == null ? cost : live ? cost.min(r.amount()) : Money.ZERO;
            long balance = posting.add(Meter.BALANCE, EntryType.USAGE, -covered.micros(), before.balanceMicros(),
                    model);
            posting.add(Meter.BALANCE, EntryType.OVERAGE, -cost.minus(covered).micros(), balance,
                    model + " beyond the reservation");
            charged = cost;
        }

        // The conversation meters move as the slot decided; a call without a conversation id held its own.
        var released = new Hold(live ? r.tokens() : 0, -slot.reserved(), live ? r.credits() : 0,
                live ? r.amount() : Money.ZERO);
        var after = before.settle(tokensCovered + overageTokens, slot.used(), credits, charged, released);
        return new Settlement(after, posting.entries(), cost, totalTokens, overageTokens);
    }

    /** The entries of one settlement, each with the meter's value after it. */
    private record Posting(String accountId, String reference, String actor, Map<String, Object> metadata,
            List<NewEntry> entries) {

        Posting(String accountId, String reference, String actor, Map<String, Object> metadata) {
            this(accountId, reference, actor, metadata, new ArrayList<>());
        }

        /** Appends an entry moving {@code meter} by {@code amount} unless it is zero; returns the value after. */
        long add(Meter meter, EntryType type, long amount, long value, String description) {
            if (amount == 0) {
                return value;
            }
            long after = Math.addExact(value, amount);
            entries.add(new NewEntry(accountId, meter, type, amount, after, description, reference, actor, metadata));
            return after;
        }
    }
}
