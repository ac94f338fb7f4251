-- Usage of one account over [:from, :to), summed per UTC day or per model (:grouping 'day' or 'model'):
-- the whole UTC hours in [:fromHour, :toHour) from the usage_hourly rollup (V8), the partial hours at
-- either end from the records themselves (index V7).
WITH parts AS (
    SELECT hour AS at, provider, model, requests, input_tokens, output_tokens, cached_input_tokens,
           total_tokens, cost_micros
      FROM usage_hourly
     WHERE account_id = :accountId AND hour >= :fromHour AND hour < :toHour
     UNION ALL
    SELECT created_at, provider, model, 1, input_tokens, output_tokens, cached_input_tokens,
           total_tokens, cost_micros
      FROM usage_record
     WHERE account_id = :accountId AND created_at >= :from AND created_at < :fromHour
     UNION ALL
    SELECT created_at, provider, model, 1, input_tokens, output_tokens, cached_input_tokens,
           total_tokens, cost_micros
      FROM usage_record
     WHERE account_id = :accountId AND created_at >= :toHour AND created_at < :to
)
-- AT TIME ZONE gives the UTC wall time, so the day does not depend on the session's TimeZone.
SELECT CASE CAST(:grouping AS text)
            WHEN 'day' THEN to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD')
            ELSE provider || '/' || model
       END AS key,
       sum(requests) AS requests, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
       sum(cached_input_tokens) AS cached_input_tokens, sum(total_tokens) AS total_tokens,
       sum(cost_micros) AS cost_micros
  FROM parts
 GROUP BY 1
 ORDER BY 1
