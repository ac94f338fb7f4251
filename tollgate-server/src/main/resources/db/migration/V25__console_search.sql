-- What the admin console's overview and account search read at 100,000 accounts and 1,000,000 usage
-- records (the bench's console scenario; figures in BENCHMARKS.md).
--
-- The search finds a part of an id or an email anywhere in it (ILIKE '%text%'), which no b-tree can
-- serve: a lower(email) index answers prefixes only, so a search walked every account and ran two ILIKEs
-- on each (160 ms at 100,000 accounts). Trigram GIN indexes answer a substring of three characters or
-- more from the index. pg_trgm ships with PostgreSQL (contrib; in the embedded binaries too) and is a
-- trusted extension, so the database owner that runs the migrations may create it without superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX account_email_trigram ON account USING gin (email gin_trgm_ops);
CREATE INDEX account_id_trigram ON account USING gin (id gin_trgm_ops);

-- Denials by reason over the last 24 hours: only limit_enforced events, by time, so the overview reads the
-- last day's denials instead of every denial ever recorded.
CREATE INDEX event_denial_time ON event (created_at) WHERE type = 'limit_enforced';

-- Usage of every account by model for today: the rollup's key starts with the account, so without this the
-- overview read the whole rollup (one row per account, hour and model) to sum one day. Only the hour is
-- indexed, which a rollup upsert never changes, so the commit's update of its hour stays a HOT update.
CREATE INDEX usage_hourly_hour ON usage_hourly (hour);

-- Accounts by plan and status, and the search's plan and status filters, from one index (an index-only
-- scan once vacuumed). It starts with plan_code, so it also serves every lookup subscription_plan served.
CREATE INDEX subscription_plan_status ON subscription (plan_code, status);
DROP INDEX subscription_plan;
