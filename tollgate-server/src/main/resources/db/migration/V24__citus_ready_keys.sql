-- Keys that let the schema be distributed by account on Citus (README, "Scaling out").
--
-- Citus spreads a distributed table over shards by one column, here account_id (account.id for the
-- account table itself), and enforces a primary key, unique constraint or foreign key only inside one
-- shard. So every key of an account's table must contain account_id, and a foreign key between two
-- such tables must pair account_id with account_id, which keeps both rows in the same shard. Foreign
-- keys to global tables (plan, webhook_endpoint), which become reference tables copied to every node,
-- are allowed and stay. SchemaRulesTests reads the catalog and fails when a migration breaks a rule.
--
-- Where a row is found by its public id alone (a reservation committed as POST /v1/reservations/{id}/
-- commit, a usage record or event by id, a portal link by its token), the key starts with that id and
-- ends with account_id: the one index then serves both the lookup and the rule, and no index is added.
-- Ids stay unique as before: they are random (rsv_..., use_...) or drawn from one identity sequence.
--
-- Each replaced key is rebuilt under the table's lock, so on a large database this migration holds
-- writers for as long as the index builds take.

-- These foreign keys rest on the keys replaced below, so they are recreated after them.
ALTER TABLE usage_record DROP CONSTRAINT usage_record_reservation_id_fkey;
ALTER TABLE webhook_delivery DROP CONSTRAINT webhook_delivery_event_id_fkey;

ALTER TABLE reservation
    DROP CONSTRAINT reservation_pkey,
    ADD CONSTRAINT reservation_pkey PRIMARY KEY (id, account_id);

-- A reservation has at most one usage record, now within its account; the record names a reservation
-- of its own account (MATCH SIMPLE: usage recorded without a reservation has no reservation_id).
ALTER TABLE usage_record
    DROP CONSTRAINT usage_record_pkey,
    ADD CONSTRAINT usage_record_pkey PRIMARY KEY (id, account_id),
    DROP CONSTRAINT usage_record_reservation_id_key,
    ADD CONSTRAINT usage_record_account_id_reservation_id_key UNIQUE (account_id, reservation_id),
    ADD CONSTRAINT usage_record_reservation_fkey FOREIGN KEY (account_id, reservation_id)
        REFERENCES reservation (account_id, id);

-- The ledger is read per account, newest first: the new key (scanned backwards) is the index
-- ledger_entry_account was, so that one goes. The append-only triggers and the privileges of V5 are
-- untouched: they belong to the table, not to its key.
ALTER TABLE ledger_entry
    DROP CONSTRAINT ledger_entry_pkey,
    ADD CONSTRAINT ledger_entry_pkey PRIMARY KEY (account_id, id);
DROP INDEX ledger_entry_account;

-- Events are read per account by event_account (account_id, id), and by id across accounts by the
-- live streams' feed (newest id, ids after a cursor), which the key serves.
ALTER TABLE event
    DROP CONSTRAINT event_pkey,
    ADD CONSTRAINT event_pkey PRIMARY KEY (id, account_id);

-- A delivery belongs to the account of its event; one delivery per endpoint and event, as before.
ALTER TABLE webhook_delivery
    DROP CONSTRAINT webhook_delivery_pkey,
    ADD CONSTRAINT webhook_delivery_pkey PRIMARY KEY (id, account_id),
    DROP CONSTRAINT webhook_delivery_endpoint_id_event_id_key,
    ADD CONSTRAINT webhook_delivery_endpoint_id_event_id_key UNIQUE (endpoint_id, event_id, account_id),
    ADD CONSTRAINT webhook_delivery_event_fkey FOREIGN KEY (account_id, event_id) REFERENCES event (account_id, id);

-- A portal link or session is found by the hash of the secret the browser presents, before its account
-- is known; the hash leads the key so that lookup stays one index probe.
ALTER TABLE portal_link
    DROP CONSTRAINT portal_link_pkey,
    ADD CONSTRAINT portal_link_pkey PRIMARY KEY (token_hash, account_id),
    DROP CONSTRAINT portal_link_id_key,
    ADD CONSTRAINT portal_link_id_key UNIQUE (id, account_id);

ALTER TABLE portal_session
    DROP CONSTRAINT portal_session_pkey,
    ADD CONSTRAINT portal_session_pkey PRIMARY KEY (id_hash, account_id);
