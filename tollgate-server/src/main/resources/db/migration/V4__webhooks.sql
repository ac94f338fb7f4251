-- Webhook endpoints and the delivery outbox. A delivery row is written by a trigger in the same
-- transaction as its event, so no event can be missed by scanning ids that commit out of order.

CREATE TABLE webhook_endpoint (
    id          text PRIMARY KEY,
    url         text        NOT NULL CHECK (char_length(url) BETWEEN 1 AND 2048 AND url ~ '^https?://'),
    description text CHECK (char_length(description) <= 500),
    -- Empty means every event type.
    event_types text[]      NOT NULL DEFAULT '{}',
    -- Kept readable because every delivery is signed with it (Standard Webhooks, whsec_<base64>).
    secret      text        NOT NULL CHECK (secret LIKE 'whsec\_%'),
    created_at  timestamptz NOT NULL,
    -- Endpoints are deleted softly: a concurrent event insert must never fail on a vanished endpoint.
    deleted_at  timestamptz
);
CREATE INDEX webhook_endpoint_live ON webhook_endpoint (id) WHERE deleted_at IS NULL;

CREATE TABLE webhook_delivery (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id      text        NOT NULL REFERENCES webhook_endpoint (id),
    event_id         bigint      NOT NULL REFERENCES event (id),
    account_id       text        NOT NULL,
    status           text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
    attempts         int         NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL,
    -- A claim: the worker holding lease_token may attempt the delivery until leased_until.
    lease_token      uuid,
    leased_until     timestamptz,
    last_attempt_at  timestamptz,
    last_http_status int CHECK (last_http_status BETWEEN 100 AND 599),
    last_error       text CHECK (char_length(last_error) <= 500),
    completed_at     timestamptz,
    created_at       timestamptz NOT NULL,
    UNIQUE (endpoint_id, event_id),
    CHECK ((status = 'pending') = (completed_at IS NULL))
);
-- Finds the head of each (endpoint, account) queue: deliveries go out in event order.
CREATE INDEX webhook_delivery_queue ON webhook_delivery (endpoint_id, account_id, event_id) WHERE status = 'pending';
CREATE INDEX webhook_delivery_endpoint ON webhook_delivery (endpoint_id, id DESC);
CREATE INDEX webhook_delivery_completed ON webhook_delivery (completed_at) WHERE status <> 'pending';

CREATE FUNCTION event_enqueue_webhook_deliveries() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO webhook_delivery (endpoint_id, event_id, account_id, next_attempt_at, created_at)
    SELECT w.id, NEW.id, NEW.account_id, NEW.created_at, NEW.created_at
      FROM webhook_endpoint w
     WHERE w.deleted_at IS NULL
       AND (cardinality(w.event_types) = 0 OR NEW.type = ANY (w.event_types));
    RETURN NULL;
END;
$$;
-- A trigger rather than code in Events.append: events written by any statement (a ledger CTE
-- included) are enqueued, in their own transaction.
CREATE TRIGGER event_webhook_deliveries
    AFTER INSERT ON event
    FOR EACH ROW EXECUTE FUNCTION event_enqueue_webhook_deliveries();
