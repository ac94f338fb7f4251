-- Plans shown on the public pricing table: the trial and the default upgrade tiers.
ALTER TABLE plan ADD COLUMN public boolean NOT NULL DEFAULT false;
UPDATE plan SET public = true WHERE code IN ('trial', 'lite', 'pro', 'business');

-- A portal link: single use, short-lived; only the hash of its token is kept.
CREATE TABLE portal_link (
    token_hash text        PRIMARY KEY CHECK (char_length(token_hash) = 64),
    id         text        NOT NULL UNIQUE,
    account_id text        NOT NULL REFERENCES account (id),
    return_url text        CHECK (char_length(return_url) <= 2000),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX portal_link_expiry ON portal_link (expires_at);

-- A browser session on the billing page, bound to one account; only the hash of its cookie is kept.
CREATE TABLE portal_session (
    id_hash      text        PRIMARY KEY CHECK (char_length(id_hash) = 64),
    account_id   text        NOT NULL REFERENCES account (id),
    return_url   text        CHECK (char_length(return_url) <= 2000),
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    ended_at     timestamptz
);
CREATE INDEX portal_session_expiry ON portal_session (expires_at);
