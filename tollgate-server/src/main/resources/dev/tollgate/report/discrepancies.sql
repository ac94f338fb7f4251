-- Accounts whose cached meters disagree with their ledger (used and held values: the sum of the entries, read as
-- the recorded totals of closed days plus the entries after them)
-- or with their pending reservations and open conversation slots (reserved values); of one account, or of
-- all when :accountId is NULL.
WITH recorded AS (
    -- The totals ledger.MonthTotals recorded (V42, by day since V44): closed days, perhaps archived since.
    SELECT account_id,
           sum(amount) FILTER (WHERE meter = 'tokens') AS tokens,
           sum(amount) FILTER (WHERE meter = 'conversations') AS conversations,
           sum(amount) FILTER (WHERE meter = 'credits') AS credits,
           sum(amount) FILTER (WHERE meter = 'balance') AS balance
      FROM ledger_month_total
     WHERE CAST(:accountId AS text) IS NULL OR account_id = CAST(:accountId AS text)
     GROUP BY account_id
), live AS (
    -- The entries not in those totals: above the account's recorded_to_id, or at most that but dated after its
    -- cut (arrived after their month was recorded). An account never recorded has no cut and every entry is
    -- live. Two disjoint reads, so that each is one index range (account_id, id): the first from
    -- recorded_to_id on, the second between live_from_id and recorded_to_id in only the partitions of months
    -- from the cut on (pruned while running, per account), where an OR of the two would read every entry
    -- above live_from_id.
    SELECT b.account_id, e.tokens, e.conversations, e.credits, e.balance
      FROM budget b
      LEFT JOIN ledger_account_cut c ON c.account_id = b.account_id
     CROSS JOIN LATERAL (
           SELECT sum(l.amount) FILTER (WHERE l.meter = 'tokens') AS tokens,
                  sum(l.amount) FILTER (WHERE l.meter = 'conversations') AS conversations,
                  sum(l.amount) FILTER (WHERE l.meter = 'credits') AS credits,
                  sum(l.amount) FILTER (WHERE l.meter = 'balance') AS balance
             FROM (SELECT meter, amount
                     FROM ledger_entry
                    WHERE account_id = b.account_id AND id > coalesce(c.recorded_to_id, 0)
                    UNION ALL
                   SELECT meter, amount
                     FROM ledger_entry
                    WHERE account_id = b.account_id AND id > c.live_from_id AND id <= c.recorded_to_id
                      AND created_at >= c.recorded_through) l) e
     WHERE CAST(:accountId AS text) IS NULL OR b.account_id = CAST(:accountId AS text)
), ledger AS (
    SELECT coalesce(r.account_id, v.account_id) AS account_id,
           coalesce(r.tokens, 0) + coalesce(v.tokens, 0) AS tokens,
           coalesce(r.conversations, 0) + coalesce(v.conversations, 0) AS conversations,
           coalesce(r.credits, 0) + coalesce(v.credits, 0) AS credits,
           coalesce(r.balance, 0) + coalesce(v.balance, 0) AS balance
      FROM recorded r
      FULL JOIN live v ON v.account_id = r.account_id
), pending AS (
    SELECT account_id, sum(tokens) AS tokens,
           sum(conversations) FILTER (WHERE conversation_id IS NULL) AS conversations,
           sum(credits) AS credits, sum(amount_micros) AS balance
      FROM reservation
     WHERE status = 'pending'
       AND (CAST(:accountId AS text) IS NULL OR account_id = CAST(:accountId AS text))
     GROUP BY account_id
), open_conversations AS (
    SELECT account_id, count(*) AS conversations
      FROM conversation
     WHERE NOT committed
       AND (CAST(:accountId AS text) IS NULL OR account_id = CAST(:accountId AS text))
     GROUP BY account_id
)
SELECT b.account_id,
       b.tokens_used, coalesce(l.tokens, 0) AS ledger_tokens,
       b.conversations_used, coalesce(l.conversations, 0) AS ledger_conversations,
       b.credits, coalesce(l.credits, 0) AS ledger_credits,
       b.balance_micros, coalesce(l.balance, 0) AS ledger_balance,
       b.tokens_reserved, coalesce(p.tokens, 0) AS pending_tokens,
       b.conversations_reserved,
       coalesce(p.conversations, 0) + coalesce(o.conversations, 0) AS pending_conversations,
       b.credits_reserved, coalesce(p.credits, 0) AS pending_credits,
       b.balance_reserved_micros, coalesce(p.balance, 0) AS pending_balance
  FROM budget b
  LEFT JOIN ledger l ON l.account_id = b.account_id
  LEFT JOIN pending p ON p.account_id = b.account_id
  LEFT JOIN open_conversations o ON o.account_id = b.account_id
 WHERE (CAST(:accountId AS text) IS NULL OR b.account_id = CAST(:accountId AS text))
   AND (b.tokens_used <> coalesce(l.tokens, 0)
        OR b.conversations_used <> coalesce(l.conversations, 0)
        OR b.credits <> coalesce(l.credits, 0)
        OR b.balance_micros <> coalesce(l.balance, 0)
        OR b.tokens_reserved <> coalesce(p.tokens, 0)
        OR b.conversations_reserved <> coalesce(p.conversations, 0) + coalesce(o.conversations, 0)
        OR b.credits_reserved <> coalesce(p.credits, 0)
        OR b.balance_reserved_micros <> coalesce(p.balance, 0))
 ORDER BY b.account_id
 LIMIT :limit
