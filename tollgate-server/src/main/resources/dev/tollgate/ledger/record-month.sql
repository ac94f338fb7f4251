-- Records one closed range [:from, :to) of days within a month: every account's sums per meter of its entries
-- created in it, added to the totals of that month, plus the entries created before it that arrived after their
-- own day was recorded (an id above the account's recorded_to_id), added to their own month's. The caller has
-- moved ledger_recorded from :from to :to in this transaction, so each range is recorded once.
--
-- The account's cut then says what reconciliation reads live: entries after recorded_through, or above
-- recorded_to_id, and never below live_from_id, which is placed under every entry not recorded now (the
-- previous live_from_id was under all of them, so only (live_from_id, recorded_to_id] is searched). An entry
-- dated after the range can have a lower id than one dated in it: a node whose clock ran ahead, or a history
-- loaded after the account was opened.
WITH recent AS (
    SELECT account_id, meter, id, amount, created_at
      FROM ledger_entry
     WHERE created_at >= :from AND created_at < :to
), known AS (
    SELECT account_id, recorded_to_id, live_from_id FROM ledger_account_cut
    UNION ALL
    SELECT DISTINCT r.account_id, 0, 0 FROM recent r
     WHERE NOT EXISTS (SELECT 1 FROM ledger_account_cut c WHERE c.account_id = r.account_id)
), recorded AS (
    SELECT account_id, meter, id, amount, created_at FROM recent
    UNION ALL
    SELECT e.account_id, e.meter, e.id, e.amount, e.created_at
      FROM known k
      JOIN ledger_entry e ON e.account_id = k.account_id AND e.id > k.recorded_to_id
     WHERE e.created_at < :from
), totals AS (
    INSERT INTO ledger_month_total AS t (account_id, month, meter, amount, entries)
    SELECT account_id, CAST(date_trunc('month', created_at AT TIME ZONE 'UTC') AS date), meter, sum(amount), count(*)
      FROM recorded
     GROUP BY 1, 2, 3
    ON CONFLICT (account_id, month, meter) DO UPDATE
       SET amount = t.amount + excluded.amount, entries = t.entries + excluded.entries
), cuts AS (
    SELECT r.account_id, greatest(k.recorded_to_id, r.recorded_to_id) AS recorded_to_id, k.live_from_id
      FROM (SELECT account_id, max(id) AS recorded_to_id FROM recorded GROUP BY account_id) r
      JOIN known k ON k.account_id = r.account_id
)
INSERT INTO ledger_account_cut AS c (account_id, recorded_through, recorded_to_id, live_from_id)
SELECT u.account_id, :to, u.recorded_to_id, coalesce(later.first_id - 1, u.recorded_to_id)
  FROM cuts u
  LEFT JOIN LATERAL (
        SELECT min(e.id) AS first_id
          FROM ledger_entry e
         WHERE e.account_id = u.account_id AND e.id > u.live_from_id AND e.id <= u.recorded_to_id
           AND e.created_at >= :to) later ON true
ON CONFLICT (account_id) DO UPDATE
   SET recorded_through = excluded.recorded_through,
       recorded_to_id = excluded.recorded_to_id,
       live_from_id = excluded.live_from_id
