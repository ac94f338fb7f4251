-- Column statistics only where a query filters, joins, groups or orders by the column.
--
-- While the append-heavy tables are young, autovacuum analyzes them about once a minute (each time they
-- have grown by a tenth), and the round went mostly into statistics no plan uses: sorting and comparing
-- tens of thousands of JSON payloads, response bodies, hashes, amounts and model names. On a 2-core
-- machine it took a core for over a second, and the requests of that second waited for it (the bench
-- found a third of spread's slowest reservations inside it). ANALYZE samples 300 rows per unit of the
-- largest statistics target of the table, so the kept columns still get the default sample.
ALTER TABLE event
    ALTER COLUMN data SET STATISTICS 0,
    ALTER COLUMN created_at SET STATISTICS 0;

ALTER TABLE idempotency_record
    ALTER COLUMN request_hash SET STATISTICS 0,
    ALTER COLUMN response_status SET STATISTICS 0,
    ALTER COLUMN response_type SET STATISTICS 0,
    ALTER COLUMN response_body SET STATISTICS 0;

ALTER TABLE reservation
    ALTER COLUMN provider SET STATISTICS 0,
    ALTER COLUMN model SET STATISTICS 0,
    ALTER COLUMN byok SET STATISTICS 0,
    ALTER COLUMN tokens SET STATISTICS 0,
    ALTER COLUMN conversations SET STATISTICS 0,
    ALTER COLUMN credits SET STATISTICS 0,
    ALTER COLUMN amount_micros SET STATISTICS 0,
    ALTER COLUMN input_tokens_estimated SET STATISTICS 0,
    ALTER COLUMN max_output_tokens SET STATISTICS 0,
    ALTER COLUMN job_type SET STATISTICS 0,
    ALTER COLUMN job_id SET STATISTICS 0,
    ALTER COLUMN conversation_id SET STATISTICS 0,
    ALTER COLUMN metadata SET STATISTICS 0,
    ALTER COLUMN period_start SET STATISTICS 0,
    ALTER COLUMN resolved_at SET STATISTICS 0,
    ALTER COLUMN usage_record_id SET STATISTICS 0;

ALTER TABLE ledger_entry
    ALTER COLUMN amount SET STATISTICS 0,
    ALTER COLUMN balance_after SET STATISTICS 0,
    ALTER COLUMN description SET STATISTICS 0,
    ALTER COLUMN actor SET STATISTICS 0,
    ALTER COLUMN metadata SET STATISTICS 0,
    ALTER COLUMN created_at SET STATISTICS 0;

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
