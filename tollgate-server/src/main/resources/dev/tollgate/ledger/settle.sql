-- Posts settled usage in one statement: the meters' new values, their ledger entries, the usage record,
-- its usage.committed event and, for a reservation, its resolution (with :reservationId NULL, for usage
-- without a reservation, the last UPDATE matches no row). The caller holds the budget row's lock and computed the
-- values from it (Settlement.of). Run by SettlementStore, and by the bench's raw target.
WITH budget_after AS (
    UPDATE budget
       SET period_start = :periodStart, tokens_used = :tokensUsed,
           tokens_reserved = :tokensReserved, conversations_used = :conversationsUsed,
           conversations_reserved = :conversationsReserved, credits = :credits,
           credits_reserved = :creditsReserved, balance_micros = :balance,
           balance_reserved_micros = :balanceReserved, updated_at = :now
     WHERE account_id = :budgetAccountId
),
entries AS (
    INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, description,
                              reference, actor, metadata, created_at)
    SELECT a, m, t, amt, bal, d, r, act, CAST(md AS jsonb), :now
      FROM unnest(CAST(:accounts AS text[]), CAST(:meters AS text[]), CAST(:types AS text[]),
                  CAST(:amounts AS bigint[]), CAST(:balances AS bigint[]),
                  CAST(:descriptions AS text[]), CAST(:references AS text[]),
                  CAST(:actors AS text[]), CAST(:metadata AS text[]))
           WITH ORDINALITY AS e(a, m, t, amt, bal, d, r, act, md, position)
     ORDER BY position
),
usage AS (
    INSERT INTO usage_record (id, account_id, reservation_id, provider, model, input_tokens, output_tokens,
                              cached_input_tokens, cache_write_input_tokens, cache_write_1h_input_tokens,
                              total_tokens, cost_micros, priced, byok, overage_tokens,
                              job_type, job_id, conversation_id, duration_ms, metadata, billing_period,
                              created_at)
    VALUES (:usageId, :usageAccountId, :reservationId, :provider, :model, :input, :output, :cached, :cacheWrite, :cacheWrite1h, :total,
            :cost, :priced, :byok, :overage, :jobType, :jobId, :conversationId, :durationMs,
            CAST(:usageMetadata AS jsonb), :billingPeriod, :createdAt)
),
committed AS (
    INSERT INTO event (account_id, type, data, created_at)
    VALUES (:usageAccountId, :committedType, CAST(:committedEvent AS jsonb), :now)
),
-- Only a pending or expired reservation becomes committed, and the statement answers how many did: usage
-- records are partitioned by month (V41), so no unique key holds a reservation to one record, and this
-- guarded transition of the reservation row, locked by the commit's first read, is what does.
resolved AS (
    UPDATE reservation SET status = 'committed', resolved_at = :now, usage_record_id = :usageId
     WHERE id = :reservationId AND account_id = :usageAccountId AND status IN ('pending', 'expired')
    RETURNING id
)
SELECT count(*) AS resolved FROM resolved
