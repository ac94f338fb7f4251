package dev.tollgate.ledger;

import dev.tollgate.event.EventType;
import dev.tollgate.event.Events;
import dev.tollgate.platform.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * The two ends of a reservation that give its reserve back: release (the caller's) and expiry (the
 * clock's). A second release, or a release after expiry, is an idempotent replay that returns the
 * reservation as it is: the caller wanted the reserve back, and it is back. A release after a commit is
 * {@code reservation_already_committed}.
 */
@Service
class Releases {

    private final ReservationStore reservations;
    private final BudgetStore budgets;
    private final EntryStore entries;
    private final ConversationSlots conversations;
    private final Events events;
    private final Clock clock;

    Releases(ReservationStore reservations, BudgetStore budgets, EntryStore entries, ConversationSlots conversations,
            Events events, Clock clock) {
        this.reservations = reservations;
        this.budgets = budgets;
        this.entries = entries;
        this.conversations = conversations;
        this.events = events;
        this.clock = clock;
    }

    Reservation release(String reservationId, String actor) {
        var reservation = reservations.reservation(reservationId, true)
                .orElseThrow(() -> LedgerProblem.reservationNotFound(reservationId));
        return switch (reservation) {
            case Reservation.Released released -> released;
            case Reservation.Expired expired -> expired;
            case Reservation.Committed committed -> throw new ProblemException(
                    LedgerProblem.RESERVATION_ALREADY_COMMITTED,
                    "Reservation " + reservationId + " was already committed and cannot be released.");
            case Reservation.Pending pending -> {
                Instant now = clock.instant();
                giveBack(List.of(pending), now, actor, p -> p.release(now));
                // Read back as stored, so that it answers exactly as every later read of it will.
                yield reservations.reservation(pending.accountId(), reservationId).orElseThrow();
            }
        };
    }

    /** Expires pending reservations past their TTL (of one account, or of all when null). */
    int expireDue(@Nullable String accountId, int limit) {
        Instant now = clock.instant();
        var due = reservations.lockExpired(now, accountId, limit);
        if (!due.isEmpty()) {
            giveBack(due, now, "system", p -> p.expire(now));
        }
        return due.size();
    }

    /** Gives back what pending reservations set aside, account by account, and resolves them with {@code end}. */
    private void giveBack(List<Reservation.Pending> ended, Instant now, String actor,
            Function<Reservation.Pending, Reservation> end) {
        Map<String, List<Reservation.Pending>> byAccount = ended.stream()
                .collect(Collectors.groupingBy(Reservation::accountId, LinkedHashMap::new, Collectors.toList()));
        for (var account : byAccount.entrySet()) {
            Budget b = budgets.budget(account.getKey(), true).orElseThrow();
            Hold released = Hold.NONE;
            var expiries = new ArrayList<NewEntry>();
            for (var r : account.getValue()) {
                // A named conversation's slot is freed by its row, only when no other call of it is open.
                long conversationsFreed = r.conversationId() == null ? r.conversations()
                        : -conversations.callEnded(r).reserved();
                released = released.plus(new Hold(r.tokens(), conversationsFreed, r.credits(), r.amount()));
                var resolved = end.apply(r);
                if (resolved instanceof Reservation.Expired) {
                    expiries.addAll(expiryEntries(r, b, actor));
                }
                reservations.resolve(resolved);
                var data = new LinkedHashMap<String, Object>();
                data.put("reservation_id", r.id());
                data.put("tokens", r.tokens());
                data.put("conversations", r.conversations());
                data.put("credits", r.credits());
                data.put("amount_usd", r.amount().format());
                data.put("actor", actor);
                events.append(r.accountId(), resolved instanceof Reservation.Expired
                        ? EventType.RESERVATION_EXPIRED : EventType.RESERVATION_RELEASED, data);
            }
            budgets.saveBudget(b.release(released), now);
            entries.append(expiries, now);
        }
    }

    /**
     * An expiry moves no meter value (the reserve was never spent), so its entries carry amount 0 and
     * record in their metadata what the expired reservation had set aside: the audit trail shows every
     * reservation's end.
     */
    private static List<NewEntry> expiryEntries(Reservation r, Budget b, String actor) {
        var expiries = new ArrayList<NewEntry>();
        record Held(Meter meter, long reserved, long value) {}
        for (var held : List.of(new Held(Meter.TOKENS, r.tokens(), b.tokensUsed()),
                new Held(Meter.CONVERSATIONS, r.conversations(), b.conversationsUsed()),
                new Held(Meter.CREDITS, r.credits(), b.credits()),
                new Held(Meter.BALANCE, r.amountMicros(), b.balanceMicros()))) {
            if (held.reserved() > 0) {
                expiries.add(new NewEntry(r.accountId(), held.meter(), EntryType.EXPIRY, 0, held.value(),
                        "Reservation expired unused", r.id(), actor, Map.of("reserved", held.reserved())));
            }
        }
        return expiries;
    }
}
