-- title: Models without a price
-- direct: direct_unpriced_models
-- description: Models seen in billed usage that the price source does not know, with their tokens.
--   Their cost is NULL (unknown), never $0. Only the unpriced lines are read, and a line is
--   billed when it has no dedup key or is its key's billed line in summary_billed.
WITH unpriced AS (
    SELECT *,
           input_tokens + output_tokens + cache_read_tokens
             + cache_write_5m_tokens + cache_write_1h_tokens
             + CASE WHEN reasoning_in_output THEN 0 ELSE reasoning_tokens END AS total_tokens
    FROM usage
    WHERE cost_usd IS NULL
      AND ($agent IS NULL OR agent = $agent)
      AND ($since IS NULL OR timezone(coalesce($tz, 'UTC'), ts AT TIME ZONE 'UTC')::DATE >= $since::DATE)
      AND ($until IS NULL OR timezone(coalesce($tz, 'UTC'), ts AT TIME ZONE 'UTC')::DATE <= $until::DATE)
),
billed AS (
    SELECT u.*
    FROM unpriced u
    LEFT JOIN (SELECT b.* FROM summary_billed b SEMI JOIN unpriced k USING (agent, dedup_key)) w
      ON w.agent = u.agent AND w.dedup_key = u.dedup_key AND w.source_path = u.source_path
     AND w.byte_offset = u.byte_offset AND w.seq = u.seq
    WHERE u.dedup_key IS NULL OR w.dedup_key IS NOT NULL
)
SELECT agent,
       coalesce(model, '(unknown)')       AS model,
       any_value(unpriced_reason)         AS reason,
       count(*)                           AS responses,
       sum(total_tokens)::BIGINT          AS total_tokens,
       min(ts)                            AS first_seen,
       max(ts)                            AS last_seen
FROM billed
GROUP BY agent, coalesce(model, '(unknown)')
ORDER BY total_tokens DESC
