-- A conversation holds one slot of its period from its first reservation on. Until one of its calls
-- is committed the slot is open (counted in budget.conversations_reserved); once committed it is
-- finished (counted in budget.conversations_used). An open slot whose last pending call is released
-- or expires is deleted, which frees it.
ALTER TABLE conversation
    ADD COLUMN open_reservations integer NOT NULL DEFAULT 0 CHECK (open_reservations >= 0),
    ADD COLUMN committed         boolean NOT NULL DEFAULT true;
ALTER TABLE conversation ALTER COLUMN committed DROP DEFAULT;

-- Pending calls of named conversations from before this migration become open slots, one per
-- conversation however many calls it has.
INSERT INTO conversation (account_id, period_start, conversation_id, reservation_id, created_at,
                          open_reservations, committed)
SELECT account_id, period_start, conversation_id, min(id), min(created_at), count(*), false
  FROM reservation
 WHERE status = 'pending' AND conversation_id IS NOT NULL AND conversations = 1
 GROUP BY account_id, period_start, conversation_id
    ON CONFLICT (account_id, period_start, conversation_id)
    DO UPDATE SET open_reservations = conversation.open_reservations + EXCLUDED.open_reservations;

UPDATE budget b
   SET conversations_reserved =
           (SELECT count(*) FROM reservation r
             WHERE r.account_id = b.account_id AND r.status = 'pending'
               AND r.conversation_id IS NULL AND r.conversations = 1)
         + (SELECT count(*) FROM conversation c WHERE c.account_id = b.account_id AND NOT c.committed);
