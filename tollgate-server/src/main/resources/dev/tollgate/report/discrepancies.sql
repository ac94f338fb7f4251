-- Accounts whose cached meters disagree with their ledger (used and held values: the sum of the entries)
-- or with their pending reservations and open conversation slots (reserved values); of one account, or of
-- all when :accountId is NULL.
WITH ledger AS (
    SELECT account_id,
           coalesce(sum(amount) FILTER (WHERE meter = 'tokens'), 0) AS tokens,
           coalesce(sum(amount) FILTER (WHERE meter = 'conversations'), 0) AS conversations,
           coalesce(sum(amount) FILTER (WHERE meter = 'credits'), 0) AS credits,
           coalesce(sum(amount) FILTER (WHERE meter = 'balance'), 0) AS balance
      FROM ledger_entry
     WHERE CAST(:accountId AS text) IS NULL OR account_id = CAST(:accountId AS text)
     GROUP BY account_id
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
