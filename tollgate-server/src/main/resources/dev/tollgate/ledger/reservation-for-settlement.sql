-- A commit's reads in one round trip: the reservation, locked; and, when it may still be settled and its
-- account's subscription needs no refresh at :now, that subscription (through the plan module's view
-- subscription_terms, V28) and the budget row, locked. The budget is locked after the reservation, as
-- everywhere else; when the subscription is due, nothing but the reservation is locked, so that the
-- refresh can lock the subscription before the budget.
WITH r AS (
    SELECT id, account_id, status, provider, model, byok, tokens, conversations, credits, amount_micros,
           input_tokens_estimated, max_output_tokens, job_type, job_id, conversation_id, metadata,
           period_start, created_at, expires_at, resolved_at, usage_record_id
      FROM reservation
     WHERE id = :id
       FOR UPDATE
),
s AS (
    SELECT account_id, plan_code, status, started_at, trial_ends_at, period_start, period_end,
           tokens_per_period_override, stripe_customer_id, stripe_subscription_id
      FROM subscription_terms
     WHERE account_id = (SELECT account_id FROM r)
       AND (SELECT status FROM r) IN ('pending', 'expired')
       AND NOT subscription_due(status, period_end, trial_ends_at, :now)
),
b AS (
    SELECT account_id, period_start, tokens_used, tokens_reserved, conversations_used, conversations_reserved,
           credits, credits_reserved, balance_micros, balance_reserved_micros
      FROM budget
     WHERE account_id = (SELECT account_id FROM s)
       FOR UPDATE
)
SELECT r.*,
       s.account_id AS s_account_id, s.plan_code AS s_plan_code, s.status AS s_status,
       s.started_at AS s_started_at, s.trial_ends_at AS s_trial_ends_at, s.period_start AS s_period_start,
       s.period_end AS s_period_end, s.tokens_per_period_override AS s_tokens_per_period_override,
       s.stripe_customer_id AS s_stripe_customer_id, s.stripe_subscription_id AS s_stripe_subscription_id,
       b.account_id AS b_account_id, b.period_start AS b_period_start, b.tokens_used AS b_tokens_used,
       b.tokens_reserved AS b_tokens_reserved, b.conversations_used AS b_conversations_used,
       b.conversations_reserved AS b_conversations_reserved, b.credits AS b_credits,
       b.credits_reserved AS b_credits_reserved, b.balance_micros AS b_balance_micros,
       b.balance_reserved_micros AS b_balance_reserved_micros
  FROM r
  LEFT JOIN s ON true
  LEFT JOIN b ON true
