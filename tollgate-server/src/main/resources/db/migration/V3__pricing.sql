-- The model price catalog. Each row is the price of one (provider, model) over an effective
-- interval [effective_from, effective_to); effective_to is NULL while the price is open-ended. A new
-- price closes the previous one where it starts, so the history of a model is a run of intervals
-- that never overlap. Prices are micro-USD per million tokens: $2.50 per 1M tokens = 2500000.
CREATE TABLE model_price (
    id                              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider                        text        NOT NULL CHECK (provider ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    model                           text        NOT NULL CHECK (model ~ '^[a-z0-9][a-z0-9._:-]{0,127}$'),
    -- At most $10,000 per million tokens: far above any list price, far below overflowing a cost.
    input_micros_per_million        bigint      NOT NULL
        CHECK (input_micros_per_million BETWEEN 0 AND 10000000000),
    output_micros_per_million       bigint      NOT NULL
        CHECK (output_micros_per_million BETWEEN 0 AND 10000000000),
    cached_input_micros_per_million bigint      NOT NULL
        CHECK (cached_input_micros_per_million BETWEEN 0 AND 10000000000),
    effective_from                  timestamptz NOT NULL,
    effective_to                    timestamptz CHECK (effective_to > effective_from),
    created_at                      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider, model, effective_from)
);

-- Serialises every writer of one model's prices (the API and hand-written SQL alike) so that the
-- overlap check below sees the other writer's committed rows.
CREATE FUNCTION model_price_lock(p_provider text, p_model text) RETURNS void
    LANGUAGE sql AS
$$
SELECT pg_advisory_xact_lock(hashtextextended('model_price/' || p_provider || '/' || p_model, 0));
$$;

-- Two prices of one model never overlap, so "the price at time t" has at most one answer. This is a
-- trigger rather than an exclusion constraint because that would need the btree_gist extension,
-- which not every managed PostgreSQL lets an application role install.
CREATE FUNCTION model_price_no_overlap() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM model_price_lock(NEW.provider, NEW.model);
    IF EXISTS (SELECT 1
                 FROM model_price p
                WHERE p.provider = NEW.provider
                  AND p.model = NEW.model
                  AND p.id <> NEW.id
                  AND tstzrange(p.effective_from, p.effective_to) && tstzrange(NEW.effective_from, NEW.effective_to))
    THEN
        RAISE EXCEPTION 'model_price: [%, %) of %/% overlaps another price of that model; set the old price''s effective_to first',
            NEW.effective_from, coalesce(NEW.effective_to::text, 'open'), NEW.provider, NEW.model
            USING ERRCODE = 'exclusion_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER model_price_no_overlap
    BEFORE INSERT OR UPDATE ON model_price
    FOR EACH ROW EXECUTE FUNCTION model_price_no_overlap();

-- Every node caches the catalog and reloads it on this notification, so a price changed by hand in
-- SQL takes effect everywhere without an API call. NOTIFY is delivered at commit, once per
-- transaction for identical payloads.
CREATE FUNCTION model_price_notify() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('tollgate_prices', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER model_price_notify
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON model_price
    FOR EACH STATEMENT EXECUTE FUNCTION model_price_notify();

-- Public list prices (standard tier, per million tokens) as of 2025. Cached input is the provider's
-- cache-read price; where none is published it equals the input price. Anthropic's cache writes
-- and the long-context tiers of Gemini 1.5 / 2.5 Pro and Claude Sonnet 4.x (> 200K tokens) are not
-- modelled: the base rate applies.
INSERT INTO model_price (provider, model, input_micros_per_million, cached_input_micros_per_million,
                         output_micros_per_million, effective_from)
SELECT provider, model, input_micros, cached_input_micros, output_micros, TIMESTAMPTZ '2025-01-01 00:00:00+00'
  FROM (VALUES
        --                          input       cached      output  (micro-USD per 1M tokens)
        ('openai', 'gpt-5',               1250000,    125000,   10000000),
        ('openai', 'gpt-5-mini',           250000,     25000,    2000000),
        ('openai', 'gpt-5-nano',            50000,      5000,     400000),
        ('openai', 'gpt-5-pro',          15000000,  15000000,  120000000),
        ('openai', 'gpt-5.1',             1250000,    125000,   10000000),
        ('openai', 'gpt-4.1',             2000000,    500000,    8000000),
        ('openai', 'gpt-4.1-mini',         400000,    100000,    1600000),
        ('openai', 'gpt-4.1-nano',         100000,     25000,     400000),
        ('openai', 'gpt-4o',              2500000,   1250000,   10000000),
        ('openai', 'gpt-4o-mini',          150000,     75000,     600000),
        ('openai', 'o1',                 15000000,   7500000,   60000000),
        ('openai', 'o1-mini',             1100000,    550000,    4400000),
        ('openai', 'o1-pro',            150000000, 150000000,  600000000),
        ('openai', 'o3',                  2000000,    500000,    8000000),
        ('openai', 'o3-mini',             1100000,    550000,    4400000),
        ('openai', 'o3-pro',             20000000,  20000000,   80000000),
        ('openai', 'o4-mini',             1100000,    275000,    4400000),
        ('openai', 'gpt-4-turbo',        10000000,  10000000,   30000000),
        ('openai', 'gpt-4',              30000000,  30000000,   60000000),
        ('openai', 'gpt-3.5-turbo',        500000,    500000,    1500000),
        ('anthropic', 'claude-opus-4-5',  5000000,    500000,   25000000),
        ('anthropic', 'claude-opus-4-1', 15000000,   1500000,   75000000),
        ('anthropic', 'claude-opus-4',   15000000,   1500000,   75000000),
        ('anthropic', 'claude-sonnet-4-5', 3000000,   300000,   15000000),
        ('anthropic', 'claude-sonnet-4',  3000000,    300000,   15000000),
        ('anthropic', 'claude-haiku-4-5', 1000000,    100000,    5000000),
        ('anthropic', 'claude-3-7-sonnet', 3000000,   300000,   15000000),
        ('anthropic', 'claude-3-5-sonnet', 3000000,   300000,   15000000),
        ('anthropic', 'claude-3-5-haiku',  800000,     80000,    4000000),
        ('anthropic', 'claude-3-opus',   15000000,   1500000,   75000000),
        ('anthropic', 'claude-3-haiku',    250000,     30000,    1250000),
        ('google', 'gemini-2.5-pro',      1250000,    125000,   10000000),
        ('google', 'gemini-2.5-flash',     300000,     30000,    2500000),
        ('google', 'gemini-2.5-flash-lite', 100000,    10000,     400000),
        ('google', 'gemini-2.0-flash',     100000,     25000,     400000),
        ('google', 'gemini-2.0-flash-lite', 75000,     75000,     300000),
        ('google', 'gemini-1.5-pro',      1250000,    312500,    5000000),
        ('google', 'gemini-1.5-flash',      75000,     18750,     300000),
        ('google', 'gemini-1.5-flash-8b',   37500,     10000,     150000)
       ) AS seed (provider, model, input_micros, cached_input_micros, output_micros);
