-- Stripe events already handled, so that a redelivered event changes nothing. A row is written in the
-- same transaction as the changes the event makes.
CREATE TABLE stripe_event (
    id          text PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 255),
    type        text        NOT NULL CHECK (char_length(type) BETWEEN 1 AND 255),
    outcome     text CHECK (outcome IN ('applied', 'ignored', 'pending')),
    account_id  text,
    received_at timestamptz NOT NULL
);
CREATE INDEX stripe_event_received ON stripe_event (received_at);

-- The latest state Stripe told us of each subscription. Stripe does not deliver events in order: a
-- subscription may be announced before the checkout that names its account, so its state waits here
-- until the account is known, and an older event never overwrites a newer state.
CREATE TABLE stripe_subscription (
    id                text PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 255),
    customer_id       text CHECK (char_length(customer_id) <= 255),
    account_id        text CHECK (char_length(account_id) <= 128),
    price_id          text CHECK (char_length(price_id) <= 255),
    status            text CHECK (char_length(status) <= 64),
    period_start      timestamptz,
    period_end        timestamptz,
    -- When Stripe created the event that carried this state (Stripe's clock, unix seconds).
    event_created     bigint      NOT NULL DEFAULT 0,
    updated_at        timestamptz NOT NULL
);
