-- title: (over the event tables) Models without a price
-- description: Models seen in billed usage that the price source does not know, with their tokens.
--   Their cost is NULL (unknown), never $0. The direct form of unpriced_models.sql, read while
--   the summary tables are not current, and the reference the tests hold it to.
SELECT agent,
       coalesce(model, '(unknown)')       AS model,
       any_value(unpriced_reason)         AS reason,
       count(*)                           AS responses,
       sum(total_tokens)::BIGINT          AS total_tokens,
       min(ts)                            AS first_seen,
       max(ts)                            AS last_seen
FROM billed_usage
WHERE cost_usd IS NULL
  AND ($agent IS NULL OR agent = $agent)
  AND ($since IS NULL OR timezone(coalesce($tz, 'UTC'), ts AT TIME ZONE 'UTC')::DATE >= $since::DATE)
  AND ($until IS NULL OR timezone(coalesce($tz, 'UTC'), ts AT TIME ZONE 'UTC')::DATE <= $until::DATE)
GROUP BY agent, coalesce(model, '(unknown)')
ORDER BY total_tokens DESC
