-- Hardening: the database as the last line of defence.
--
-- 1. Invariants the code checks are written a second time as constraints, so that no code path (and
--    no hand-written SQL) can store what the API would refuse.
-- 2. A least-privilege role, tollgate_app, for the application where the deployment lets us create
--    one: it reads and writes every table but may never UPDATE, DELETE or TRUNCATE ledger entries,
--    nor touch Flyway's history. The migration user (the owner of the tables) keeps full rights;
--    the embedded database, where Tollgate connects as the superuser postgres, is unaffected.
-- 3. On Supabase, the anon and authenticated roles (the public Data API) lose every privilege on
--    Tollgate's tables: end users reach Tollgate only through its HTTP API.

-- 1. Constraints ---------------------------------------------------------------------------------------

ALTER TABLE account
    ADD CONSTRAINT account_metadata_size CHECK (octet_length(metadata::text) <= 65536);

ALTER TABLE ledger_entry
    ADD CONSTRAINT ledger_entry_metadata_size CHECK (octet_length(metadata::text) <= 65536),
    -- Counters of what was used never go below zero; credits and balance may, by real usage.
    ADD CONSTRAINT ledger_entry_usage_counters_not_negative
        CHECK (meter NOT IN ('tokens', 'conversations') OR balance_after >= 0),
    ADD CONSTRAINT ledger_entry_top_up_is_money CHECK (type <> 'top_up' OR (meter = 'balance' AND amount > 0)),
    ADD CONSTRAINT ledger_entry_add_is_positive CHECK (type NOT IN ('add', 'refund') OR amount > 0),
    ADD CONSTRAINT ledger_entry_deduct_is_negative CHECK (type <> 'deduct' OR amount < 0),
    ADD CONSTRAINT ledger_entry_adjustment_is_not_zero CHECK (type <> 'admin_adjustment' OR amount <> 0),
    ADD CONSTRAINT ledger_entry_reset_never_adds CHECK (type <> 'reset' OR amount <= 0),
    ADD CONSTRAINT ledger_entry_expiry_moves_nothing CHECK (type <> 'expiry' OR amount = 0);

ALTER TABLE reservation
    ADD CONSTRAINT reservation_id_length CHECK (char_length(id) BETWEEN 1 AND 64),
    ADD CONSTRAINT reservation_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object'),
    ADD CONSTRAINT reservation_metadata_size CHECK (octet_length(metadata::text) <= 65536),
    ADD CONSTRAINT reservation_expires_after_creation CHECK (expires_at >= created_at),
    -- A committed reservation names its usage record; no other state has one.
    ADD CONSTRAINT reservation_usage_iff_committed CHECK ((status = 'committed') = (usage_record_id IS NOT NULL));

ALTER TABLE usage_record
    ADD CONSTRAINT usage_record_id_length CHECK (char_length(id) BETWEEN 1 AND 64),
    ADD CONSTRAINT usage_record_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object'),
    ADD CONSTRAINT usage_record_metadata_size CHECK (octet_length(metadata::text) <= 65536),
    ADD CONSTRAINT usage_record_overage_within_total CHECK (overage_tokens <= total_tokens),
    ADD CONSTRAINT usage_record_billing_period_length CHECK (char_length(billing_period) BETWEEN 1 AND 32);

ALTER TABLE conversation
    ADD CONSTRAINT conversation_id_length CHECK (char_length(conversation_id) BETWEEN 1 AND 255);

ALTER TABLE threshold_crossing
    ADD CONSTRAINT threshold_crossing_known_meter
        CHECK (meter IN ('tokens', 'conversations', 'credits', 'balance'));

ALTER TABLE event
    ADD CONSTRAINT event_account_id_length CHECK (char_length(account_id) BETWEEN 1 AND 128);

ALTER TABLE idempotency_record
    ADD CONSTRAINT idempotency_record_status_is_http CHECK (response_status BETWEEN 100 AND 599),
    -- A stored response exists exactly when its status does.
    ADD CONSTRAINT idempotency_record_answered_whole CHECK ((response_status IS NULL) = (response_type IS NULL));

ALTER TABLE api_key
    ADD CONSTRAINT api_key_prefix_length CHECK (char_length(prefix) <= 16),
    ADD CONSTRAINT api_key_revoked_after_creation CHECK (revoked_at IS NULL OR revoked_at >= created_at);

-- 2. The application's role ------------------------------------------------------------------------------
-- To use it, create a login role that is a member (CREATE ROLE tollgate_runtime LOGIN PASSWORD '...'
-- IN ROLE tollgate_app), point TOLLGATE_DATABASE_USER/PASSWORD at it, and give Flyway the owner:
-- SPRING_FLYWAY_USER and SPRING_FLYWAY_PASSWORD. Tables created by later migrations are granted to
-- tollgate_app by the default privileges below.

DO
$$
DECLARE
    app_schema text := current_schema();
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tollgate_app') THEN
        BEGIN
            CREATE ROLE tollgate_app NOLOGIN;
        EXCEPTION
            WHEN insufficient_privilege THEN
                RAISE NOTICE 'tollgate_app was not created: the migration user may not create roles';
                RETURN;
        END;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO tollgate_app', app_schema);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO tollgate_app', app_schema);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO tollgate_app', app_schema);
    EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO tollgate_app', app_schema);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tollgate_app',
                   app_schema);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO tollgate_app', app_schema);
    -- The ledger is append-only: the application may add entries and read them, nothing else.
    REVOKE UPDATE, DELETE, TRUNCATE ON ledger_entry FROM tollgate_app;
    IF to_regclass(format('%I.flyway_schema_history', app_schema)) IS NOT NULL THEN
        EXECUTE format('REVOKE ALL ON %I.flyway_schema_history FROM tollgate_app', app_schema);
    END IF;
END
$$;

-- 3. Supabase's Data API roles ---------------------------------------------------------------------------

DO
$$
DECLARE
    app_schema text := current_schema();
    api_role   text;
BEGIN
    FOREACH api_role IN ARRAY ARRAY ['anon', 'authenticated']
        LOOP
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = api_role) THEN
                EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', app_schema, api_role);
                EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', app_schema, api_role);
                EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON TABLES FROM %I', app_schema,
                               api_role);
                EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON SEQUENCES FROM %I', app_schema,
                               api_role);
            END IF;
        END LOOP;
END
$$;
