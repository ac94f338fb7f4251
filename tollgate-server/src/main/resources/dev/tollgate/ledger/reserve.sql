-- Admission in one statement. The rule itself is the database function admission_refusal (V11): the
-- conditional UPDATE of the one budget row approves only where it answers NULL, and PostgreSQL re-checks
-- that condition against the latest row version, so no two requests can both take the last tokens.
-- Nothing is written unless the request is admitted. The same statement records the reservation, the
-- conversation's slot and the reservation.approved event (the outbox row; the event module's trigger fans
-- it out), so an approval is one round trip. Refused, it returns the same function's answer on the row it
-- read, with the values a denial message quotes; no row when the account has no subscription or budget.
-- The subscription and its plan's terms are read through the plan module's view subscription_terms (V28).
-- Run by ReservationStore, and by the bench's raw target as the floor to compare with.
WITH need AS (
    SELECT s.account_id, s.period_start, s.period_end, s.status, s.trial_ends_at, s.plan_code,
           s.plan_is_trial, s.tokens_limit, s.conversations_limit,
           CASE WHEN :byok THEN 0 ELSE CAST(:tokens AS bigint) END AS tokens,
           CASE WHEN s.conversations_limit IS NULL OR :byok THEN 0
                WHEN CAST(:conversationId AS text) IS NULL THEN 1
                WHEN EXISTS (SELECT 1 FROM conversation c
                              WHERE c.account_id = s.account_id AND c.period_start = s.period_start
                                AND c.conversation_id = CAST(:conversationId AS text)) THEN 0
                ELSE 1 END AS conversations,
           CASE WHEN :byok THEN 0 ELSE s.credits_per_request END AS credits,
           CASE WHEN s.charges_balance AND NOT :byok THEN CAST(:amount AS bigint) ELSE 0 END AS amount
      FROM subscription_terms s
     WHERE s.account_id = :accountId
),
approved AS (
    UPDATE budget b
       SET tokens_reserved = b.tokens_reserved + n.tokens,
           conversations_reserved = b.conversations_reserved + n.conversations,
           credits_reserved = b.credits_reserved + n.credits,
           balance_reserved_micros = b.balance_reserved_micros + n.amount,
           updated_at = :now
      FROM need n
     WHERE b.account_id = n.account_id
       AND admission_refusal(n.status, n.trial_ends_at, n.plan_is_trial, n.period_end,
               b.period_start = n.period_start, :now,
               b.tokens_used, b.tokens_reserved, n.tokens_limit, n.tokens,
               b.conversations_used, b.conversations_reserved, n.conversations_limit, n.conversations,
               b.credits, b.credits_reserved, n.credits,
               b.balance_micros, b.balance_reserved_micros, n.amount) IS NULL
       AND (n.conversations_limit IS NULL OR CAST(:conversationId AS text) IS NULL OR :byok
            OR :budgetLocked)
    RETURNING b.tokens_used, b.tokens_reserved, b.conversations_used, b.conversations_reserved,
              b.credits, b.credits_reserved, b.balance_micros, b.balance_reserved_micros,
              n.tokens_limit, n.conversations_limit, n.tokens AS tokens_needed,
              n.conversations AS conversations_needed, n.credits AS credits_needed,
              n.amount AS amount_needed, n.period_start, n.period_end, n.plan_code, n.status
),
inserted AS (
    INSERT INTO reservation (id, account_id, status, provider, model, byok, tokens, conversations,
                             credits, amount_micros, input_tokens_estimated, max_output_tokens,
                             job_type, job_id, conversation_id, metadata, period_start, created_at,
                             expires_at)
    SELECT :id, :accountId, 'pending', :provider, :model, :byok, tokens_needed, conversations_needed,
           credits_needed, amount_needed, :inputTokens, :maxOutputTokens, :jobType, :jobId,
           CAST(:conversationId AS text), CAST(:metadata AS jsonb), period_start, :now, :expiresAt
      FROM approved
),
slot AS (
    INSERT INTO conversation (account_id, period_start, conversation_id, reservation_id, created_at,
                              open_reservations, committed)
    SELECT :accountId, period_start, CAST(:conversationId AS text), :id, :now, 1, false
      FROM approved
     WHERE conversations_limit IS NOT NULL AND CAST(:conversationId AS text) IS NOT NULL AND NOT :byok
        ON CONFLICT (account_id, period_start, conversation_id)
        DO UPDATE SET open_reservations = conversation.open_reservations + 1
),
approved_event AS (
    INSERT INTO event (account_id, type, data, created_at)
    SELECT :accountId, 'reservation.approved',
           jsonb_build_object('reservation_id', CAST(:id AS text), 'provider', CAST(:provider AS text),
                              'model', CAST(:model AS text), 'byok', CAST(:byok AS boolean),
                              'tokens', tokens_needed, 'conversations', conversations_needed,
                              'credits', credits_needed,
                              'amount_usd', CASE WHEN amount_needed = 0 THEN '0.000000'
                                                 ELSE CAST(:amountUsd AS text) END,
                              'job_id', CAST(:jobId AS text),
                              'expires_at', CAST(:expiresAtText AS text)),
           :now
      FROM approved
)
SELECT true AS approved, NULL AS refusal,
       tokens_used, tokens_reserved, conversations_used, conversations_reserved, credits,
       credits_reserved, balance_micros, balance_reserved_micros, tokens_limit, conversations_limit,
       tokens_needed, conversations_needed, credits_needed, amount_needed, period_start, period_end,
       plan_code, status
  FROM approved
UNION ALL
SELECT false,
       admission_refusal(n.status, n.trial_ends_at, n.plan_is_trial, n.period_end,
               b.period_start = n.period_start, :now,
               b.tokens_used, b.tokens_reserved, n.tokens_limit, n.tokens,
               b.conversations_used, b.conversations_reserved, n.conversations_limit, n.conversations,
               b.credits, b.credits_reserved, n.credits,
               b.balance_micros, b.balance_reserved_micros, n.amount),
       b.tokens_used, b.tokens_reserved, b.conversations_used, b.conversations_reserved, b.credits,
       b.credits_reserved, b.balance_micros, b.balance_reserved_micros, n.tokens_limit,
       n.conversations_limit, n.tokens, n.conversations, n.credits, n.amount, n.period_start,
       n.period_end, n.plan_code, n.status
  FROM need n
  JOIN budget b ON b.account_id = n.account_id
 WHERE NOT EXISTS (SELECT 1 FROM approved)
