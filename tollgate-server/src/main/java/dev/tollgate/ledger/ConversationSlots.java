package dev.tollgate.ledger;

import static dev.tollgate.platform.Sql.ts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The slots of named conversations. A conversation takes one slot of its period with its first
 * reservation (the reserve statement inserts its row, open) and keeps it while any of its calls is
 * pending; its first commit finishes it; when its last pending call is released or expires before any
 * commit, the row goes and the slot is free again. Calls without a conversation id each take a slot of
 * their own, held on the reservation, not here.
 *
 * <p>Every method runs with the account's budget row locked by the caller, which serialises all
 * changes to one account's conversations; the reserve statement runs under the same lock.
 */
@Component
class ConversationSlots {

    /** What a change did to the budget's conversation meters. */
    record Change(long used, long reserved) {
        static final Change NONE = new Change(0, 0);

        Change plus(Change other) {
            return new Change(used + other.used, reserved + other.reserved);
        }
    }

    private final JdbcClient jdbc;

    ConversationSlots(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A pending call of the conversation ended unused (released or expired). */
    Change callEnded(Reservation reservation) {
        if (reservation.conversationId() == null) {
            return Change.NONE;
        }
        return endCall(reservation.accountId(), reservation.periodStart(), reservation.conversationId(), false)
                .orElse(Change.NONE);
    }

    /**
     * Usage of the conversation is committed in {@code currentPeriod}: the call {@code live} (when it was
     * still pending) stops being open, and the conversation is finished in the current period. A
     * conversation is counted when the plan limits conversations now or its call held a slot.
     */
    Change committed(String accountId, Instant currentPeriod, String conversationId, @Nullable Reservation live,
            boolean planLimitsConversations, Instant now) {
        Change change = Change.NONE;
        boolean heldSlot = false;
        if (live != null) {
            var ended = endCall(accountId, live.periodStart(), conversationId,
                    live.periodStart().equals(currentPeriod));
            heldSlot = ended.isPresent();
            change = ended.orElse(Change.NONE);
        }
        if (!planLimitsConversations && !heldSlot) {
            return change;
        }
        return change.plus(finish(accountId, currentPeriod, conversationId, now));
    }

    /**
     * One open call of the conversation ends; an open slot left without calls is freed unless
     * {@code keepSlot} (the caller is about to finish it). Empty when the conversation had no open call in
     * that period (its plan did not limit conversations when the call was reserved).
     */
    private Optional<Change> endCall(String accountId, Instant periodStart, String conversationId, boolean keepSlot) {
        var slotLeftEmpty = jdbc.sql("""
                        UPDATE conversation SET open_reservations = open_reservations - 1
                         WHERE account_id = :accountId AND period_start = :periodStart
                           AND conversation_id = :conversationId AND open_reservations > 0
                        RETURNING open_reservations, committed
                        """)
                .param("accountId", accountId)
                .param("periodStart", ts(periodStart))
                .param("conversationId", conversationId)
                .query((rs, row) -> rs.getInt("open_reservations") == 0 && !rs.getBoolean("committed"))
                .optional();
        if (slotLeftEmpty.isEmpty()) {
            return Optional.empty();
        }
        if (keepSlot || !slotLeftEmpty.get()) {
            return Optional.of(Change.NONE);
        }
        jdbc.sql("""
                        DELETE FROM conversation
                         WHERE account_id = :accountId AND period_start = :periodStart
                           AND conversation_id = :conversationId
                        """)
                .param("accountId", accountId)
                .param("periodStart", ts(periodStart))
                .param("conversationId", conversationId)
                .update();
        return Optional.of(new Change(0, -1));
    }

    /** Marks the conversation finished in the period: a new slot used, or its open slot now used. */
    private Change finish(String accountId, Instant periodStart, String conversationId, Instant now) {
        // xmax is 0 on a row this statement inserted and set on one it updated; no row: already finished.
        return jdbc.sql("""
                        INSERT INTO conversation (account_id, period_start, conversation_id, created_at,
                                                  open_reservations, committed)
                        VALUES (:accountId, :periodStart, :conversationId, :now, 0, true)
                            ON CONFLICT (account_id, period_start, conversation_id)
                            DO UPDATE SET committed = true WHERE NOT conversation.committed
                        RETURNING (xmax = 0) AS inserted
                        """)
                .param("accountId", accountId)
                .param("periodStart", ts(periodStart))
                .param("conversationId", conversationId)
                .param("now", ts(now))
                .query((rs, row) -> rs.getBoolean("inserted") ? new Change(1, 0) : new Change(1, -1))
                .optional()
                .orElse(Change.NONE);
    }

    /** The conversations holding a slot of the period that starts at {@code periodStart}, newest first. */
    List<Ledger.ConversationRow> list(String accountId, Instant periodStart, int limit) {
        return jdbc.sql("""
                        SELECT conversation_id, created_at, committed, open_reservations
                          FROM conversation
                         WHERE account_id = :accountId AND period_start = :periodStart
                         ORDER BY created_at DESC
                         LIMIT :limit
                        """)
                .param("accountId", accountId)
                .param("periodStart", ts(periodStart))
                .param("limit", limit)
                .query((rs, row) -> new Ledger.ConversationRow(rs.getString("conversation_id"),
                        rs.getTimestamp("created_at").toInstant(), rs.getBoolean("committed"),
                        rs.getInt("open_reservations")))
                .list();
    }
}
