-- The billing page announces an account's latest denial: its newest limit_enforced event, found
-- without reading the account's other events.
CREATE INDEX event_account_denial ON event (account_id, id) WHERE type = 'limit_enforced';
