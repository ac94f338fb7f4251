-- The budget engine: accounts, the plan catalog, subscriptions, the meters of each account (one
-- budget row per account so that a reservation is one conditional UPDATE of one row), the
-- append-only ledger, reservations, usage records and the event outbox.

CREATE TABLE plan (
    code                     text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    name                     text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    price_micros             bigint      NOT NULL DEFAULT 0 CHECK (price_micros >= 0),
    currency                 text        NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    period                   text        NOT NULL CHECK (period ~ '^P[0-9]{1,4}[DWMY]$'),
    trial_days               int         NOT NULL DEFAULT 0 CHECK (trial_days BETWEEN 0 AND 3650),
    tokens_per_period        bigint      CHECK (tokens_per_period >= 0),
    conversations_per_period bigint      CHECK (conversations_per_period >= 0),
    credits_per_request      bigint      NOT NULL DEFAULT 0 CHECK (credits_per_request >= 0),
    charges_balance          boolean     NOT NULL DEFAULT false,
    stripe_price_id          text UNIQUE CHECK (char_length(stripe_price_id) <= 255),
    sort_order               int         NOT NULL DEFAULT 0,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
);

INSERT INTO plan (code, name, price_micros, period, trial_days, tokens_per_period, conversations_per_period,
                  credits_per_request, charges_balance, sort_order)
VALUES ('trial',    'Trial',            0, 'P7D',  7,    6000, NULL, 0, false, 10),
       ('free',     'Free',             0, 'P1M',  0,   50000,    5, 0, false, 20),
       ('credits',  'Credits',          0, 'P1M',  0,    NULL, NULL, 1, false, 30),
       ('payg',     'Pay as you go',    0, 'P1M',  0,    NULL, NULL, 0, true,  40),
       ('starter',  'Starter',    9000000, 'P1M',  0,  100000,  100, 0, false, 50),
       ('lite',     'Lite',      15000000, 'P30D', 0,  200000, NULL, 0, false, 60),
       ('pro',      'Pro',       30000000, 'P30D', 0,  500000, NULL, 0, false, 70),
       ('business', 'Business', 200000000, 'P30D', 0, 4000000, NULL, 0, false, 80);

CREATE TABLE account (
    id         text PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 128),
    email      text CHECK (char_length(email) <= 320),
    metadata   jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(metadata) = 'object'),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX account_email ON account (lower(email));
CREATE INDEX account_created ON account (created_at, id);

-- The account's current plan. Periods are anchored at started_at: period k ends at
-- started_at + k * plan.period (so Jan 31 + 1 month is Feb 28/29, and + 2 months is Mar 31).
CREATE TABLE subscription (
    account_id                 text PRIMARY KEY REFERENCES account (id),
    plan_code                  text        NOT NULL REFERENCES plan (code),
    status                     text        NOT NULL
        CHECK (status IN ('trialing', 'active', 'past_due', 'canceled', 'expired')),
    started_at                 timestamptz NOT NULL,
    trial_ends_at              timestamptz,
    period_start               timestamptz NOT NULL,
    period_end                 timestamptz NOT NULL,
    tokens_per_period_override bigint CHECK (tokens_per_period_override >= 0),
    stripe_customer_id         text CHECK (char_length(stripe_customer_id) <= 255),
    stripe_subscription_id     text CHECK (char_length(stripe_subscription_id) <= 255),
    updated_at                 timestamptz NOT NULL,
    CHECK (period_end > period_start)
);
CREATE INDEX subscription_period_end ON subscription (period_end);
CREATE INDEX subscription_plan ON subscription (plan_code);
CREATE INDEX subscription_stripe_customer ON subscription (stripe_customer_id);
CREATE INDEX subscription_stripe_subscription ON subscription (stripe_subscription_id);

-- Every meter of one account. tokens and conversations count what was used this period; credits
-- and balance hold what is left (and may go below zero only by usage that really happened).
-- *_reserved holds what pending reservations have set aside.
CREATE TABLE budget (
    account_id              text PRIMARY KEY REFERENCES account (id),
    period_start            timestamptz NOT NULL,
    tokens_used             bigint      NOT NULL DEFAULT 0 CHECK (tokens_used >= 0),
    tokens_reserved         bigint      NOT NULL DEFAULT 0 CHECK (tokens_reserved >= 0),
    conversations_used      bigint      NOT NULL DEFAULT 0 CHECK (conversations_used >= 0),
    conversations_reserved  bigint      NOT NULL DEFAULT 0 CHECK (conversations_reserved >= 0),
    credits                 bigint      NOT NULL DEFAULT 0,
    credits_reserved        bigint      NOT NULL DEFAULT 0 CHECK (credits_reserved >= 0),
    balance_micros          bigint      NOT NULL DEFAULT 0,
    balance_reserved_micros bigint      NOT NULL DEFAULT 0 CHECK (balance_reserved_micros >= 0),
    updated_at              timestamptz NOT NULL
);

CREATE TABLE ledger_entry (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id    text        NOT NULL REFERENCES account (id),
    meter         text        NOT NULL CHECK (meter IN ('tokens', 'conversations', 'credits', 'balance')),
    type          text        NOT NULL CHECK (type IN ('grant', 'usage', 'overage', 'refund', 'add', 'deduct',
                                                       'admin_adjustment', 'top_up', 'reset', 'expiry')),
    amount        bigint      NOT NULL,
    balance_after bigint      NOT NULL,
    description   text CHECK (char_length(description) <= 1000),
    reference     text CHECK (char_length(reference) <= 255),
    actor         text        NOT NULL CHECK (char_length(actor) BETWEEN 1 AND 200),
    metadata      jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(metadata) = 'object'),
    created_at    timestamptz NOT NULL
);
CREATE INDEX ledger_entry_account ON ledger_entry (account_id, id DESC);
CREATE INDEX ledger_entry_account_meter ON ledger_entry (account_id, meter, id DESC);

-- The ledger is append-only at the database level: no role, not even the owner, updates or deletes
-- an entry. Corrections are new entries.
CREATE FUNCTION ledger_entry_is_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only: % is not allowed', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER ledger_entry_no_update_or_delete
    BEFORE UPDATE OR DELETE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_is_append_only();
CREATE TRIGGER ledger_entry_no_truncate
    BEFORE TRUNCATE ON ledger_entry
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_is_append_only();

CREATE TABLE reservation (
    id                     text PRIMARY KEY,
    account_id             text        NOT NULL REFERENCES account (id),
    status                 text        NOT NULL CHECK (status IN ('pending', 'committed', 'released', 'expired')),
    provider               text        NOT NULL CHECK (char_length(provider) BETWEEN 1 AND 64),
    model                  text        NOT NULL CHECK (char_length(model) BETWEEN 1 AND 128),
    byok                   boolean     NOT NULL,
    tokens                 bigint      NOT NULL CHECK (tokens >= 0),
    conversations          bigint      NOT NULL CHECK (conversations IN (0, 1)),
    credits                bigint      NOT NULL CHECK (credits >= 0),
    amount_micros          bigint      NOT NULL CHECK (amount_micros >= 0),
    input_tokens_estimated bigint      NOT NULL CHECK (input_tokens_estimated >= 0),
    max_output_tokens      bigint      NOT NULL CHECK (max_output_tokens >= 0),
    job_type               text CHECK (char_length(job_type) <= 128),
    job_id                 text CHECK (char_length(job_id) <= 255),
    conversation_id        text CHECK (char_length(conversation_id) <= 255),
    metadata               jsonb       NOT NULL DEFAULT '{}'::jsonb,
    period_start           timestamptz NOT NULL,
    created_at             timestamptz NOT NULL,
    expires_at             timestamptz NOT NULL,
    resolved_at            timestamptz,
    usage_record_id        text,
    CHECK ((status = 'pending') = (resolved_at IS NULL))
);
CREATE INDEX reservation_pending_expiry ON reservation (expires_at) WHERE status = 'pending';
CREATE INDEX reservation_account ON reservation (account_id, created_at DESC);

CREATE TABLE usage_record (
    id                  text PRIMARY KEY,
    account_id          text        NOT NULL REFERENCES account (id),
    reservation_id      text UNIQUE REFERENCES reservation (id),
    provider            text        NOT NULL CHECK (char_length(provider) BETWEEN 1 AND 64),
    model               text        NOT NULL CHECK (char_length(model) BETWEEN 1 AND 128),
    input_tokens        bigint      NOT NULL CHECK (input_tokens >= 0),
    output_tokens       bigint      NOT NULL CHECK (output_tokens >= 0),
    cached_input_tokens bigint      NOT NULL CHECK (cached_input_tokens >= 0 AND cached_input_tokens <= input_tokens),
    total_tokens        bigint      NOT NULL CHECK (total_tokens = input_tokens + output_tokens),
    cost_micros         bigint      NOT NULL CHECK (cost_micros >= 0),
    priced              boolean     NOT NULL,
    byok                boolean     NOT NULL,
    overage_tokens      bigint      NOT NULL DEFAULT 0 CHECK (overage_tokens >= 0),
    job_type            text CHECK (char_length(job_type) <= 128),
    job_id              text CHECK (char_length(job_id) <= 255),
    conversation_id     text CHECK (char_length(conversation_id) <= 255),
    duration_ms         bigint CHECK (duration_ms >= 0),
    metadata            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    billing_period      text        NOT NULL,
    created_at          timestamptz NOT NULL
);
CREATE INDEX usage_record_account_time ON usage_record (account_id, created_at DESC, id DESC);

-- Conversations seen in a period, so that only the first request of a conversation counts.
CREATE TABLE conversation (
    account_id      text        NOT NULL REFERENCES account (id),
    period_start    timestamptz NOT NULL,
    conversation_id text        NOT NULL,
    reservation_id  text,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (account_id, period_start, conversation_id)
);

-- A threshold is announced once per meter and period, whatever retries or restarts happen.
CREATE TABLE threshold_crossing (
    account_id        text        NOT NULL REFERENCES account (id),
    meter             text        NOT NULL,
    period_start      timestamptz NOT NULL,
    threshold_percent int         NOT NULL CHECK (threshold_percent BETWEEN 1 AND 100),
    created_at        timestamptz NOT NULL,
    PRIMARY KEY (account_id, meter, period_start, threshold_percent)
);

-- Everything that happened to an account, written in the same transaction as the change (outbox).
CREATE TABLE event (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id text        NOT NULL,
    type       text        NOT NULL CHECK (char_length(type) BETWEEN 1 AND 64),
    data       jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    created_at timestamptz NOT NULL
);
CREATE INDEX event_account ON event (account_id, id);
