-- What the plan module publishes to the ledger's statements, so that no statement outside the plan
-- module names the subscription or plan tables. Both are owned by the plan module and change with it.

-- An account's subscription with the terms of its plan that admission and settlement read. A plain
-- view of one join: PostgreSQL inlines it, so the reserve statement's plan is the same as before.
CREATE VIEW subscription_terms AS
SELECT s.account_id, s.plan_code, s.status, s.started_at, s.trial_ends_at, s.period_start, s.period_end,
       s.tokens_per_period_override, s.stripe_customer_id, s.stripe_subscription_id,
       p.trial_days > 0 AS plan_is_trial,
       COALESCE(s.tokens_per_period_override, p.tokens_per_period) AS tokens_limit,
       p.conversations_per_period AS conversations_limit,
       p.credits_per_request,
       p.charges_balance
  FROM subscription s
  JOIN plan p ON p.code = s.plan_code;

-- Whether a subscription's trial or period is over at now, so that it must be brought up to date
-- (under its row lock, by the plan module) before it is used: the SQL of Subscriptions.isDue.
CREATE FUNCTION subscription_due(status text, period_end timestamptz, trial_ends_at timestamptz,
                                 now timestamptz)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT status IN ('trialing', 'active')
           AND (period_end <= now OR (status = 'trialing' AND COALESCE(trial_ends_at <= now, false)))
$$;
