-- Autovacuum analyzes the append-heavy tables about once a minute while they are young, and most of
-- that round went into statistics nobody uses: sorting and comparing tens of thousands of JSON
-- payloads, response bodies and hashes that no query filters, joins or orders on. On a small machine
-- the round took a core for over a second and showed in the latency of the requests it overlapped.
-- Statistics stay on every column a query reads by (ids, accounts, times, types, status, reference).
ALTER TABLE event ALTER COLUMN data SET STATISTICS 0;

ALTER TABLE idempotency_record
    ALTER COLUMN request_hash SET STATISTICS 0,
    ALTER COLUMN response_status SET STATISTICS 0,
    ALTER COLUMN response_type SET STATISTICS 0,
    ALTER COLUMN response_body SET STATISTICS 0;

ALTER TABLE reservation ALTER COLUMN metadata SET STATISTICS 0;

ALTER TABLE ledger_entry
    ALTER COLUMN description SET STATISTICS 0,
    ALTER COLUMN metadata SET STATISTICS 0;

ALTER TABLE usage_record ALTER COLUMN metadata SET STATISTICS 0;
