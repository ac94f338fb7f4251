-- Service API keys. Only a SHA-256 hash of each secret is stored; the secret is shown once.
CREATE TABLE api_key (
    id          text PRIMARY KEY,
    name        text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    role        text        NOT NULL CHECK (role IN ('admin', 'service', 'read')),
    secret_hash text        NOT NULL UNIQUE CHECK (char_length(secret_hash) = 64),
    prefix      text        NOT NULL,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);

-- One row per (caller, Idempotency-Key): claimed, worked and answered in one transaction.
CREATE TABLE idempotency_record (
    scope           text        NOT NULL,
    idempotency_key text        NOT NULL CHECK (char_length(idempotency_key) BETWEEN 1 AND 255),
    request_hash    text        NOT NULL,
    response_status int,
    response_type   text,
    response_body   text,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX idempotency_record_created_at ON idempotency_record (created_at);
