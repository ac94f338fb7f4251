-- A signed-in operator of the admin console: which service key signed in (its name is the actor of every
-- action), with which role, and when the session was last used. Only the hash of the cookie is kept.
CREATE TABLE console_session (
    id_hash      text        PRIMARY KEY CHECK (char_length(id_hash) = 64),
    key_id       text        NOT NULL,
    key_name     text        NOT NULL,
    role         text        NOT NULL CHECK (role IN ('admin', 'read')),
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    ended_at     timestamptz
);
CREATE INDEX console_session_expiry ON console_session (expires_at);

-- Every action taken in the console, keyed by the nonce of the confirmation form that asked for it, so that
-- a double submit runs the action once and both answers show the same result. It also keeps the reason
-- the operator gave, which not every service call has a column for.
CREATE TABLE console_action (
    nonce        text        PRIMARY KEY CHECK (char_length(nonce) BETWEEN 20 AND 64),
    key_id       text        NOT NULL,
    actor        text        NOT NULL,
    action       text        NOT NULL,
    account_id   text,
    request_hash text        NOT NULL CHECK (char_length(request_hash) = 64),
    reason       text        NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 1000),
    outcome      text        CHECK (char_length(outcome) <= 2000),
    entry_id     bigint,
    created_at   timestamptz NOT NULL
);
CREATE INDEX console_action_account ON console_action (account_id, created_at DESC);
