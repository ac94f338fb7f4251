-- History partitioned by month: usage_record, ledger_entry and event become natively partitioned tables,
-- PARTITION BY RANGE (created_at), one partition per UTC month named <table>_YYYY_MM (usage_record_2026_12,
-- ledger_entry_2026_12, event_2026_12), plus <table>_default, which catches a row whose month has no
-- partition yet so that an insert never fails. A month of ledger or usage can then be detached and archived
-- whole (README, "History and retention"), and event retention drops whole months instead of deleting rows.
--
-- Each table is rebuilt: the old one is renamed, a partitioned one takes its name with the same columns and
-- CHECK constraints, the partitions of every month that holds rows and of the next three months are created
-- by history_partition_create (below, the function the application's HistoryPartitions calls ahead of time),
-- the rows are copied, the old table is dropped, and keys, indexes, foreign keys, triggers, privileges and
-- column statistics are made again. The identity sequences continue after the old ones, so no id is reused.
-- The tables are locked for the whole migration, so writers of a previous version wait rather than write
-- into a table being copied; on a large database that is as long as the copy and the index builds take.
--
-- Keys. A partitioned table's primary key and unique constraints must contain the partition column, so
-- every key gains created_at after the account and the id (SchemaRulesTests still holds: account_id stays
-- in each). Ids stay unique as before: random (use_...) or drawn from one identity sequence.
-- usage_record's UNIQUE (account_id, reservation_id) cannot span partitions and goes: one usage record per
-- reservation is kept by the commit, which locks the reservation row and resolves it from pending or
-- expired to committed in the statement that writes the record (settle.sql); a second commit finds it
-- committed and writes nothing (OneUsagePerReservationTests, on two nodes).
-- webhook_delivery keeps its foreign key to its event, now through the event's created_at, which the
-- delivery copies (event_created_at).

LOCK TABLE usage_record, ledger_entry, event, webhook_delivery IN ACCESS EXCLUSIVE MODE;

-- The partition of one month of a partitioned history table, created when it does not exist yet; returns
-- its name, or NULL when it existed. Rows of that month in the DEFAULT partition are moved into it in this
-- transaction: the DEFAULT partition is detached (which drops the row triggers it had from its parent, so
-- the move neither fires them nor is refused by ledger_entry's append-only trigger), the month's rows are
-- copied into a new table that is then attached as the month, and the DEFAULT partition, without them, is
-- attached again. Foreign keys that reference the table (webhook_delivery's) are dropped for the move and
-- added back, validated, before the transaction ends. Moving changes no row: same ids, same values.
--
-- Concurrent callers (two nodes, or a node and this migration) take one advisory lock, so they create each
-- partition once. The table lock that creating a partition needs is waited for at most lock_timeout: when
-- busy writers hold it, the caller fails and tries again on its next run, rather than queueing every writer
-- behind it. SECURITY DEFINER: the application's role (tollgate_app, V5) may not create tables, and it
-- calls this function only for the three tables below and month partitions of them.
CREATE FUNCTION history_partition_create(table_name text, month date) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT SET lock_timeout = '5s' AS
$$
DECLARE
    partition_name    text := table_name || '_' || to_char(month, 'YYYY_MM');
    default_name      text := table_name || '_default';
    starts_at         timestamptz := month::timestamp AT TIME ZONE 'UTC';
    ends_at           timestamptz := (month + interval '1 month')::timestamp AT TIME ZONE 'UTC';
    stranded          boolean;
    foreign_keys      text[];
    foreign_key       text;
BEGIN
    IF table_name NOT IN ('usage_record', 'ledger_entry', 'event') THEN
        RAISE EXCEPTION 'history_partition_create: % is not a history table', table_name;
    END IF;
    IF month <> date_trunc('month', month)::date THEN
        RAISE EXCEPTION 'history_partition_create: % is not the first day of a month', month;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('tollgate.history_partitions'));
    IF to_regclass(partition_name) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', table_name);
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE created_at >= $1 AND created_at < $2)', default_name)
        INTO stranded USING starts_at, ends_at;
    IF NOT stranded THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', partition_name, table_name,
                       starts_at, ends_at);
    ELSE
        SELECT coalesce(array_agg(format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname,
                                         pg_get_constraintdef(k.oid))), '{}')
          INTO foreign_keys
          FROM pg_constraint k
         WHERE k.contype = 'f' AND k.confrelid = table_name::regclass AND k.conparentid = 0;
        FOR foreign_key IN
            SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname)
              FROM pg_constraint k
             WHERE k.contype = 'f' AND k.confrelid = table_name::regclass AND k.conparentid = 0
            LOOP
                EXECUTE foreign_key;
            END LOOP;
        EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', table_name, default_name);
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)',
                       partition_name, table_name);
        EXECUTE format('INSERT INTO %I SELECT * FROM %I WHERE created_at >= $1 AND created_at < $2', partition_name,
                       default_name) USING starts_at, ends_at;
        EXECUTE format('DELETE FROM %I WHERE created_at >= $1 AND created_at < $2', default_name)
            USING starts_at, ends_at;
        EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', table_name,
                       partition_name, starts_at, ends_at);
        EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I DEFAULT', table_name, default_name);
        FOREACH foreign_key IN ARRAY foreign_keys
            LOOP
                EXECUTE foreign_key;
            END LOOP;
    END IF;
    PERFORM history_partition_secure(table_name, partition_name);
    RETURN partition_name;
END;
$$;

-- What a partition needs beyond what it takes from its parent. Statement triggers and privileges are not
-- inherited, and a partition can be named directly: ledger_entry's partitions refuse TRUNCATE as the table
-- does (its row trigger refusing UPDATE and DELETE is cloned to every partition by PostgreSQL), the
-- application's role may only read and insert ledger entries and usage records there too (V5, V8), and
-- Supabase's Data API roles get nothing (V5). Columns keep the statistics targets of V9, which ANALYZE of a
-- partition reads from the partition itself.
CREATE FUNCTION history_partition_secure(table_name text, partition_name text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS
$$
DECLARE
    column_name text;
    api_role    text;
BEGIN
    IF table_name = 'ledger_entry' THEN
        EXECUTE format('CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_is_append_only()', partition_name);
    END IF;
    IF table_name IN ('ledger_entry', 'usage_record') AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tollgate_app') THEN
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM tollgate_app', partition_name);
    END IF;
    FOREACH api_role IN ARRAY ARRAY ['anon', 'authenticated']
        LOOP
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = api_role) THEN
                EXECUTE format('REVOKE ALL ON %I FROM %I', partition_name, api_role);
            END IF;
        END LOOP;
    FOR column_name IN
        SELECT a.attname FROM pg_attribute a
         WHERE a.attrelid = table_name::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attstattarget = 0
        LOOP
            EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET STATISTICS 0', partition_name, column_name);
        END LOOP;
END;
$$;

-- Drops one month partition of event, which event retention (EventRetention) does for months wholly older
-- than tollgate.events.retention. Only event: the ledger and usage records are never dropped by Tollgate,
-- an operator detaches and archives their months. DETACH refuses while a delivery still references an event
-- of the month, so the caller deletes those deliveries first, in the same transaction.
CREATE FUNCTION history_partition_drop(table_name text, month date) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT SET lock_timeout = '5s' AS
$$
DECLARE
    partition_name text := table_name || '_' || to_char(month, 'YYYY_MM');
BEGIN
    IF table_name <> 'event' THEN
        RAISE EXCEPTION 'history_partition_drop: only event partitions are dropped, not %', table_name;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('tollgate.history_partitions'));
    IF to_regclass(partition_name) IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', table_name, partition_name);
    EXECUTE format('DROP TABLE %I', partition_name);
    RETURN partition_name;
END;
$$;

-- Only the migration user and the application's role call them.
REVOKE EXECUTE ON FUNCTION history_partition_create(text, date), history_partition_secure(text, text),
    history_partition_drop(text, date) FROM PUBLIC;
DO
$$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tollgate_app') THEN
        GRANT EXECUTE ON FUNCTION history_partition_create(text, date), history_partition_drop(text, date)
            TO tollgate_app;
    END IF;
END
$$;

-- The partitions of every month from the oldest row of the old table to three months from now, and DEFAULT.
CREATE FUNCTION pg_temp.history_partitions_for(table_name text, old_table text) RETURNS void
    LANGUAGE plpgsql AS
$$
DECLARE
    oldest timestamptz;
    month  date;
BEGIN
    EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', table_name || '_default', table_name);
    PERFORM history_partition_secure(table_name, table_name || '_default');
    EXECUTE format('SELECT min(created_at) FROM %I', old_table) INTO oldest;
    month := (date_trunc('month', least(coalesce(oldest, now()), now()), 'UTC') AT TIME ZONE 'UTC')::date;
    WHILE month <= (date_trunc('month', now() + interval '3 months', 'UTC') AT TIME ZONE 'UTC')::date
        LOOP
            PERFORM history_partition_create(table_name, month);
            month := (month + interval '1 month')::date;
        END LOOP;
END;
$$;

-- The next id of a rebuilt table's identity: after the old sequence's last value and the highest id.
CREATE FUNCTION pg_temp.identity_after(old_table text, old_sequence text) RETURNS bigint
    LANGUAGE plpgsql AS
$$
DECLARE
    next_id bigint;
BEGIN
    EXECUTE format('SELECT greatest((SELECT coalesce(max(id), 0) FROM %I), (SELECT last_value FROM %I)) + 1',
                   old_table, old_sequence) INTO next_id;
    RETURN next_id;
END;
$$;

-- usage_record -----------------------------------------------------------------------------------------

ALTER TABLE usage_record RENAME TO usage_record_v40;
CREATE TABLE usage_record (LIKE usage_record_v40 INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)
    PARTITION BY RANGE (created_at);
ALTER TABLE usage_record
    ALTER COLUMN input_tokens SET STATISTICS 0,
    ALTER COLUMN output_tokens SET STATISTICS 0,
    ALTER COLUMN cached_input_tokens SET STATISTICS 0,
    ALTER COLUMN total_tokens SET STATISTICS 0,
    ALTER COLUMN cost_micros SET STATISTICS 0,
    ALTER COLUMN priced SET STATISTICS 0,
    ALTER COLUMN byok SET STATISTICS 0,
    ALTER COLUMN overage_tokens SET STATISTICS 0,
    ALTER COLUMN job_type SET STATISTICS 0,
    ALTER COLUMN job_id SET STATISTICS 0,
    ALTER COLUMN conversation_id SET STATISTICS 0,
    ALTER COLUMN duration_ms SET STATISTICS 0,
    ALTER COLUMN metadata SET STATISTICS 0,
    ALTER COLUMN billing_period SET STATISTICS 0;
SELECT pg_temp.history_partitions_for('usage_record', 'usage_record_v40');
-- Without the rollup trigger yet: usage_hourly already counts these records.
INSERT INTO usage_record SELECT * FROM usage_record_v40;
DROP TABLE usage_record_v40;

ALTER TABLE usage_record
    ADD CONSTRAINT usage_record_pkey PRIMARY KEY (id, account_id, created_at),
    ADD CONSTRAINT usage_record_account_id_fkey FOREIGN KEY (account_id) REFERENCES account (id),
    ADD CONSTRAINT usage_record_reservation_fkey FOREIGN KEY (account_id, reservation_id)
        REFERENCES reservation (account_id, id);
CREATE INDEX usage_record_account_time ON usage_record (account_id, created_at DESC, id DESC);
CREATE INDEX usage_record_account_report ON usage_record (account_id, created_at)
    INCLUDE (provider, model, input_tokens, output_tokens, cached_input_tokens, total_tokens, cost_micros);
CREATE TRIGGER usage_record_rollup
    AFTER INSERT ON usage_record
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION usage_hourly_add();

-- ledger_entry -----------------------------------------------------------------------------------------

ALTER TABLE ledger_entry RENAME TO ledger_entry_v40;
CREATE TABLE ledger_entry (LIKE ledger_entry_v40 INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)
    PARTITION BY RANGE (created_at);
ALTER TABLE ledger_entry
    ALTER COLUMN amount SET STATISTICS 0,
    ALTER COLUMN balance_after SET STATISTICS 0,
    ALTER COLUMN description SET STATISTICS 0,
    ALTER COLUMN actor SET STATISTICS 0,
    ALTER COLUMN metadata SET STATISTICS 0,
    ALTER COLUMN created_at SET STATISTICS 0;
SELECT pg_temp.history_partitions_for('ledger_entry', 'ledger_entry_v40');
INSERT INTO ledger_entry SELECT * FROM ledger_entry_v40;
-- The old table refuses TRUNCATE, not DROP: its rows are all in the new one now.
DO
$$
DECLARE
    next_id bigint := pg_temp.identity_after('ledger_entry_v40', 'ledger_entry_id_seq');
BEGIN
    DROP TABLE ledger_entry_v40;
    EXECUTE format('ALTER TABLE ledger_entry ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (START WITH %s)',
                   next_id);
END
$$;

ALTER TABLE ledger_entry
    ADD CONSTRAINT ledger_entry_pkey PRIMARY KEY (account_id, id, created_at),
    ADD CONSTRAINT ledger_entry_account_id_fkey FOREIGN KEY (account_id) REFERENCES account (id);
CREATE INDEX ledger_entry_account_meter ON ledger_entry (account_id, meter, id DESC);
CREATE TRIGGER ledger_entry_no_update_or_delete
    BEFORE UPDATE OR DELETE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_is_append_only();
CREATE TRIGGER ledger_entry_no_truncate
    BEFORE TRUNCATE ON ledger_entry
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_is_append_only();

-- event ------------------------------------------------------------------------------------------------

ALTER TABLE webhook_delivery ADD COLUMN event_created_at timestamptz;
UPDATE webhook_delivery d SET event_created_at = e.created_at FROM event e
 WHERE e.account_id = d.account_id AND e.id = d.event_id;
ALTER TABLE webhook_delivery
    DROP CONSTRAINT webhook_delivery_event_fkey,
    ALTER COLUMN event_created_at SET NOT NULL;

ALTER TABLE event RENAME TO event_v40;
CREATE TABLE event (LIKE event_v40 INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)
    PARTITION BY RANGE (created_at);
ALTER TABLE event
    ALTER COLUMN data SET STATISTICS 0,
    ALTER COLUMN created_at SET STATISTICS 0;
SELECT pg_temp.history_partitions_for('event', 'event_v40');
-- Without the delivery trigger yet: these events have their deliveries.
INSERT INTO event SELECT * FROM event_v40;
DO
$$
DECLARE
    next_id bigint := pg_temp.identity_after('event_v40', 'event_id_seq');
BEGIN
    DROP TABLE event_v40;
    EXECUTE format('ALTER TABLE event ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (START WITH %s)', next_id);
END
$$;

ALTER TABLE event ADD CONSTRAINT event_pkey PRIMARY KEY (id, account_id, created_at);
CREATE INDEX event_account ON event (account_id, id);
CREATE INDEX event_account_denial ON event (account_id, id) WHERE type = 'limit_enforced';
CREATE INDEX event_denial_time ON event (created_at) WHERE type = 'limit_enforced';

-- A delivery names its event's time, so that it references the event's key and finds its partition.
CREATE OR REPLACE FUNCTION event_enqueue_webhook_deliveries() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO webhook_delivery (endpoint_id, event_id, event_created_at, account_id, next_attempt_at, created_at)
    SELECT w.id, NEW.id, NEW.created_at, NEW.account_id, NEW.created_at, NEW.created_at
      FROM webhook_endpoint w
     WHERE w.deleted_at IS NULL
       AND (cardinality(w.event_types) = 0 OR NEW.type = ANY (w.event_types));
    RETURN NULL;
END;
$$;
CREATE TRIGGER event_webhook_deliveries
    AFTER INSERT ON event
    FOR EACH ROW EXECUTE FUNCTION event_enqueue_webhook_deliveries();

ALTER TABLE webhook_delivery
    ADD CONSTRAINT webhook_delivery_event_fkey FOREIGN KEY (account_id, event_id, event_created_at)
        REFERENCES event (account_id, id, created_at);

-- Privileges -------------------------------------------------------------------------------------------
-- The new tables got tollgate_app's default privileges (V5); ledger entries and usage records are
-- insert-only for it again (V5, V8), and Supabase's Data API roles get nothing.

DO
$$
DECLARE
    api_role text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tollgate_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON ledger_entry, usage_record FROM tollgate_app;
    END IF;
    FOREACH api_role IN ARRAY ARRAY ['anon', 'authenticated']
        LOOP
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = api_role) THEN
                EXECUTE format('REVOKE ALL ON usage_record, ledger_entry, event FROM %I', api_role);
            END IF;
        END LOOP;
END
$$;
