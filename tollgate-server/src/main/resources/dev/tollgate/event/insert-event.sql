-- Appends one event to the outbox; the event module's trigger wakes the dispatchers. Run by EventStore, and by
-- the bench's raw target.
INSERT INTO event (account_id, type, data, created_at)
VALUES (:accountId, :type, CAST(:data AS jsonb), :at)
RETURNING id
