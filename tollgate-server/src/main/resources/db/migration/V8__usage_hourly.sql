-- Usage per account, UTC hour, provider and model, so that a usage report (GET /v1/accounts/{id}/usage
-- ?group_by=day|model) reads one row per hour and model instead of every usage record: 30 days of a heavy
-- account are about 2,000 rows here against 16,500 records (the bench's report scenario). The report
-- adds the records of the partial hours at the ends of its window straight from usage_record.
--
-- A trigger, not the application, keeps it: it runs in the transaction of every statement that inserts
-- usage records (the commit's settle, a bulk INSERT ... SELECT, hand-written SQL), so a report never sees
-- a record without its hour or the reverse. It fires once per statement over the statement's new rows,
-- so a bulk load costs one grouped upsert, not one per row. Usage records are only ever inserted: no
-- code updates or deletes them, which is what keeps this table equal to their sum.
CREATE TABLE usage_hourly (
    account_id          text        NOT NULL REFERENCES account (id),
    hour                timestamptz NOT NULL CHECK (hour = date_trunc('hour', hour, 'UTC')),
    provider            text        NOT NULL,
    model               text        NOT NULL,
    requests            bigint      NOT NULL CHECK (requests > 0),
    input_tokens        bigint      NOT NULL CHECK (input_tokens >= 0),
    output_tokens       bigint      NOT NULL CHECK (output_tokens >= 0),
    cached_input_tokens bigint      NOT NULL CHECK (cached_input_tokens >= 0),
    total_tokens        bigint      NOT NULL CHECK (total_tokens >= 0),
    cost_micros         bigint      NOT NULL CHECK (cost_micros >= 0),
    PRIMARY KEY (account_id, hour, provider, model)
);

-- The hour is truncated in UTC whatever the session's TimeZone. Rows are upserted in key order, so two
-- statements that touch the same hours lock them in the same order and cannot deadlock each other.
-- GROUP BY makes each key appear once, as ON CONFLICT DO UPDATE requires.
CREATE FUNCTION usage_hourly_add() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO usage_hourly AS h (account_id, hour, provider, model, requests, input_tokens, output_tokens,
                                   cached_input_tokens, total_tokens, cost_micros)
    SELECT account_id, date_trunc('hour', created_at, 'UTC'), provider, model, count(*), sum(input_tokens),
           sum(output_tokens), sum(cached_input_tokens), sum(total_tokens), sum(cost_micros)
      FROM new_rows
     GROUP BY 1, 2, 3, 4
     ORDER BY 1, 2, 3, 4
        ON CONFLICT (account_id, hour, provider, model) DO UPDATE
       SET requests            = h.requests + EXCLUDED.requests,
           input_tokens        = h.input_tokens + EXCLUDED.input_tokens,
           output_tokens       = h.output_tokens + EXCLUDED.output_tokens,
           cached_input_tokens = h.cached_input_tokens + EXCLUDED.cached_input_tokens,
           total_tokens        = h.total_tokens + EXCLUDED.total_tokens,
           cost_micros         = h.cost_micros + EXCLUDED.cost_micros;
    RETURN NULL;
END;
$$;

-- CREATE TRIGGER locks usage_record against writers until this migration commits, and the backfill below
-- reads every record committed before that: nothing is counted twice or missed, even while nodes of the
-- previous version keep writing. tollgate_app may write the new table through V5's default privileges.
CREATE TRIGGER usage_record_rollup
    AFTER INSERT ON usage_record
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION usage_hourly_add();

INSERT INTO usage_hourly (account_id, hour, provider, model, requests, input_tokens, output_tokens,
                          cached_input_tokens, total_tokens, cost_micros)
SELECT account_id, date_trunc('hour', created_at, 'UTC'), provider, model, count(*), sum(input_tokens),
       sum(output_tokens), sum(cached_input_tokens), sum(total_tokens), sum(cost_micros)
  FROM usage_record
 GROUP BY 1, 2, 3, 4
 -- Written in key order, an account's history lies on few pages, which a report's range scan then reads.
 ORDER BY 1, 2, 3, 4;

-- Usage records are insert-only for the application's role too, as ledger entries are (V5): an UPDATE
-- or DELETE would put usage_hourly out of step with the records it sums.
DO
$$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tollgate_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON usage_record FROM tollgate_app;
    END IF;
END
$$;
