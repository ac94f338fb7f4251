-- Ledger totals recorded up to the start of each UTC day, not only of each month. Reconciliation reads the
-- recorded totals plus the entries after an account's cut; with month totals alone that was up to a month of a
-- busy account's entries (36,000 of them, 51 ms, at 10,000,000 usage records over 90 days). MonthTotals now
-- records every closed day into ledger_month_total (the sums still go to each entry's month), a month at a
-- time, and marks a month in ledger_month once its last day is recorded.
--
-- ledger_recorded holds how far that goes: every entry created before `through` has been summed (or arrived
-- later and is read live by its id). One row; a node records [through, to) only by moving `through` from the
-- value it read, in the same transaction, so two nodes never record a range twice. A global table (a Citus
-- reference table). NULL until the first run, which starts at the day of the oldest entry.
CREATE TABLE ledger_recorded (
    only_row boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
    through  timestamptz
);

-- A database that has recorded months already goes on after the last of them.
INSERT INTO ledger_recorded (through)
SELECT (max(month) + interval '1 month')::timestamp AT TIME ZONE 'UTC' FROM ledger_month;
