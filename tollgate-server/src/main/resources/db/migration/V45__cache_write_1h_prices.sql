-- One-hour prompt-cache writes, priced apart from five-minute ones. Anthropic bills a cache write with the
-- one-hour TTL (cache_control ttl "1h") at 2 times the input price, against 1.25 times for the default
-- five minutes, and reports the two apart in usage.cache_creation (ephemeral_1h_input_tokens,
-- ephemeral_5m_input_tokens). Until now every write was billed at the five-minute price, so an account that
-- cached for an hour was under-charged.
--
-- model_price gains the price of a one-hour cache-write token; NULL means the (five-minute) cache-write price,
-- so that a price inserted by hand without it charges what it did before. Anthropic's models get 2 times their
-- input price. No recorded cost changes: usage recorded before this migration has no one-hour writes.
-- usage_record gains the count, a part of cache_write_input_tokens.
ALTER TABLE model_price ADD COLUMN cache_write_1h_micros_per_million bigint
    CHECK (cache_write_1h_micros_per_million BETWEEN 0 AND 10000000000);
UPDATE model_price
   SET cache_write_1h_micros_per_million = input_micros_per_million * 2
 WHERE provider = 'anthropic';

ALTER TABLE usage_record ADD COLUMN cache_write_1h_input_tokens bigint NOT NULL DEFAULT 0
    CHECK (cache_write_1h_input_tokens >= 0 AND cache_write_1h_input_tokens <= cache_write_input_tokens);
