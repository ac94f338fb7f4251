-- The admission rule, once: why a request may not reserve, or NULL when it may. The reserve statement
-- uses it twice with the same arguments: as the condition of its conditional UPDATE (re-checked by
-- PostgreSQL against the latest budget row, so racing requests cannot both take the last tokens) and,
-- when nothing was updated, to say why. Checks in the documented order; the first that applies wins.
-- Two answers are not denials but chores for the caller before it asks again: 'subscription_due'
-- (a trial or period has ended and the subscription must be brought up to date) and 'period_due'
-- (the budget row is still in an earlier period).
CREATE FUNCTION admission_refusal(
    status text, trial_ends_at timestamptz, plan_is_trial boolean, period_end timestamptz,
    budget_in_period boolean, now timestamptz,
    tokens_used bigint, tokens_reserved bigint, tokens_limit bigint, tokens_needed bigint,
    conversations_used bigint, conversations_reserved bigint, conversations_limit bigint,
    conversations_needed bigint,
    credits bigint, credits_reserved bigint, credits_needed bigint,
    balance bigint, balance_reserved bigint, amount_needed bigint)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN plan_is_trial AND trial_ends_at IS NOT NULL
             AND (status = 'expired' OR status = 'trialing' AND trial_ends_at <= now) THEN 'trial_expired'
        WHEN status NOT IN ('trialing', 'active') THEN 'subscription_inactive'
        WHEN status = 'trialing' AND trial_ends_at IS NOT NULL AND trial_ends_at <= now THEN 'subscription_due'
        WHEN period_end <= now THEN 'subscription_due'
        WHEN NOT budget_in_period THEN 'period_due'
        WHEN conversations_needed > 0
             AND conversations_used + conversations_reserved + conversations_needed > conversations_limit
            THEN 'conversation_limit_reached'
        WHEN tokens_needed > 0 AND tokens_used + tokens_reserved >= tokens_limit THEN 'limit_exceeded'
        WHEN tokens_needed > 0 AND tokens_used + tokens_reserved + tokens_needed > tokens_limit
            THEN 'insufficient_tokens'
        WHEN credits_needed > 0 AND credits - credits_reserved < credits_needed THEN 'insufficient_credits'
        WHEN amount_needed > 0 AND balance - balance_reserved < amount_needed THEN 'insufficient_balance'
    END
$$;
