-- Prompt-cache writes, priced apart. Anthropic bills the input tokens it writes to its prompt cache
-- (usage.cache_creation_input_tokens) above the plain input price: 1.25 times it for the default 5-minute
-- cache. Until now those tokens were billed as plain input, so a caching account was under-charged.
--
-- model_price gains the price of a cache-write token; NULL means the plain input price, so that a price
-- inserted by hand without it charges what it did before. Anthropic's models get 1.25 times their input price
-- (rounded up to the micro-USD). No recorded cost changes: usage recorded before this migration has no
-- cache-write tokens. usage_record gains the count, part of input_tokens as
-- cached_input_tokens is; the two parts together never exceed it.
ALTER TABLE model_price ADD COLUMN cache_write_micros_per_million bigint
    CHECK (cache_write_micros_per_million BETWEEN 0 AND 10000000000);
UPDATE model_price
   SET cache_write_micros_per_million = (input_micros_per_million * 5 + 3) / 4
 WHERE provider = 'anthropic';

ALTER TABLE usage_record ADD COLUMN cache_write_input_tokens bigint NOT NULL DEFAULT 0
    CHECK (cache_write_input_tokens >= 0 AND cached_input_tokens + cache_write_input_tokens <= input_tokens);
