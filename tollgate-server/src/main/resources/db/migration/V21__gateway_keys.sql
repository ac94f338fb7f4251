-- Gateway keys (tgv_...): an account's own credential for the OpenAI- and Anthropic-compatible gateway,
-- sent where the provider's SDK sends its API key. Only the SHA-256 of the secret is kept.
CREATE TABLE gateway_key (
    id          text        NOT NULL,
    account_id  text        NOT NULL REFERENCES account (id),
    name        text        CHECK (char_length(name) BETWEEN 1 AND 200),
    secret_hash text        NOT NULL CHECK (char_length(secret_hash) = 64),
    prefix      text        NOT NULL,
    -- The models this key may call; empty means any model the catalog prices.
    models      text[]      NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz,
    revoked_at  timestamptz,
    CHECK (expires_at IS NULL OR expires_at > created_at),
    CHECK (revoked_at IS NULL OR revoked_at >= created_at),
    -- Keys carry account_id so that the table can be distributed by account (README, Scaling out); the
    -- id and the hash lead, since a key is found by either before its account is known.
    PRIMARY KEY (id, account_id),
    UNIQUE (secret_hash, account_id)
);
CREATE INDEX gateway_key_account ON gateway_key (account_id, id);
