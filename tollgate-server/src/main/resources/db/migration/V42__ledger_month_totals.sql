-- Totals of closed months, so that reconciliation reads one month of entries instead of an account's whole
-- history, and so that an operator can archive a month's partitions (README "Archiving a month").
--
-- MonthTotals records a month once it is closed plus a grace of a day (node clocks differ): the marker row of
-- ledger_month first, then every account's sums per meter of the entries created in that month, in one
-- transaction. A second node doing the same waits on the marker's key and then records nothing.

-- One row per recorded month; a global table (no account), a Citus reference table.
CREATE TABLE ledger_month (
    month       date        PRIMARY KEY CHECK (extract(day FROM month) = 1),
    recorded_at timestamptz NOT NULL
);

-- The sums of an account's entries of one meter created in one month (UTC).
CREATE TABLE ledger_month_total (
    account_id text   NOT NULL REFERENCES account (id),
    month      date   NOT NULL CHECK (extract(day FROM month) = 1),
    meter      text   NOT NULL CHECK (meter IN ('tokens', 'conversations', 'credits', 'balance')),
    amount     bigint NOT NULL,
    entries    bigint NOT NULL CHECK (entries > 0),
    PRIMARY KEY (account_id, month, meter)
);

-- Where an account's recorded history ends. Every recorded entry has id <= recorded_to_id and was created
-- before recorded_through; reconciliation adds the entries with id > live_from_id that are not recorded:
-- created at or after recorded_through, or with an id above recorded_to_id (an entry that arrived after its
-- month was recorded). live_from_id is below every entry of the account not recorded, so an entry dated after
-- the month with a lower id than one dated in it (a node whose clock ran ahead) is still read.
CREATE TABLE ledger_account_cut (
    account_id       text        PRIMARY KEY REFERENCES account (id),
    recorded_through timestamptz NOT NULL,
    recorded_to_id   bigint      NOT NULL,
    live_from_id     bigint      NOT NULL,
    CHECK (live_from_id <= recorded_to_id)
);

-- What stands in the way of archiving a month: empty when the month is recorded and its recorded totals equal
-- the sums of the entries still in ledger_entry for that month (an entry that arrived after the month was
-- recorded makes them differ). Run it before detaching the month's partitions.
CREATE FUNCTION ledger_month_archive_problems(archived_month date)
    RETURNS TABLE (account_id text, meter text, recorded bigint, in_ledger bigint, problem text)
    LANGUAGE sql STABLE
AS $$
    SELECT NULL::text, NULL::text, NULL::bigint, NULL::bigint, 'month not recorded in ledger_month'
     WHERE NOT EXISTS (SELECT 1 FROM ledger_month m WHERE m.month = date_trunc('month', archived_month)::date)
    UNION ALL
    SELECT coalesce(t.account_id, e.account_id), coalesce(t.meter, e.meter), t.amount, e.amount,
           'recorded total differs from the entries'
      FROM (SELECT l.account_id, l.meter, l.amount, l.entries FROM ledger_month_total l
             WHERE l.month = date_trunc('month', archived_month)::date) t
      FULL JOIN (SELECT l.account_id, l.meter, sum(l.amount)::bigint AS amount, count(*) AS entries
                   FROM ledger_entry l
                  WHERE l.created_at >= (date_trunc('month', archived_month)::timestamp AT TIME ZONE 'UTC')
                    AND l.created_at < ((date_trunc('month', archived_month) + INTERVAL '1 month')::timestamp
                                        AT TIME ZONE 'UTC')
                  GROUP BY l.account_id, l.meter) e
        ON e.account_id = t.account_id AND e.meter = t.meter
     WHERE EXISTS (SELECT 1 FROM ledger_month m WHERE m.month = date_trunc('month', archived_month)::date)
       AND (t.amount IS DISTINCT FROM e.amount OR t.entries IS DISTINCT FROM e.entries)
$$;
