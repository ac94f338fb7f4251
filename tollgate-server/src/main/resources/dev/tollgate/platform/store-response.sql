-- Stores the answer to an idempotent request under its key, for a retry to be answered the same. A key that is
-- already stored keeps its first answer (the request that lost the race answers from it). Run by Idempotency,
-- and by the bench's raw target.
INSERT INTO idempotency_record (scope, idempotency_key, request_hash, response_status,
                                response_type, response_body, created_at)
VALUES (:scope, :key, :hash, :status, :type, :body, :now)
ON CONFLICT (scope, idempotency_key) DO NOTHING
