-- title: Cost per local day, user, project, agent and model
-- direct: direct_cost_cube
-- description: Billed usage (deduplicated, as in cost_rows) summed per local day and per
--   user, project, agent and model: the one scan the Cost and Team pages roll up from.
--   Filters apply per API response, like `dashcam costs`. Unpriced responses keep their
--   tokens and are counted; their cost is NULL, never $0. assumed_rows: responses whose
--   transcript named no model, priced under an assumed one. Read from summary_bucket_usage (a row per bucket and key).
-- params: tz, since, until (local dates, inclusive), user_name, project, agent, model
WITH days AS (
    -- the local day of each 15-minute bucket, converted once per bucket rather than per row
    SELECT bucket, timezone(coalesce($tz, 'UTC'), bucket AT TIME ZONE 'UTC')::DATE AS day
    FROM (SELECT DISTINCT bucket FROM summary_bucket_usage)
),
local_usage AS (
    SELECT u.*, d.day
    FROM summary_bucket_usage u LEFT JOIN days d ON d.bucket = u.bucket
    WHERE ($agent IS NULL OR agent = $agent)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($model IS NULL OR model = $model)
)
SELECT day,
       user_name,
       coalesce(project, '(unknown)')                         AS project,
       agent,
       coalesce(model, '(unknown)')                           AS model,
       sum(responses)::BIGINT                                 AS responses,
       sum(input_tokens)::BIGINT                              AS input_tokens,
       sum(output_tokens)::BIGINT                             AS output_tokens,
       sum(cache_write_tokens)::BIGINT                        AS cache_creation_tokens,
       sum(cache_read_tokens)::BIGINT                         AS cache_read_tokens,
       sum(total_tokens)::BIGINT                              AS total_tokens,
       sum(cost_usd)                                          AS cost_usd,
       sum(unpriced_rows)::BIGINT                             AS unpriced_rows,
       sum(unpriced_tokens)::BIGINT                           AS unpriced_tokens,
       sum(cache_saved_usd)                                   AS cache_saved_usd,
       coalesce(sum(responses) FILTER (WHERE estimated), 0)::BIGINT AS estimated_rows,
       sum(assumed_rows)::BIGINT                              AS assumed_rows
FROM local_usage
WHERE ($since IS NULL OR day >= $since::DATE)
  AND ($until IS NULL OR day <= $until::DATE)
GROUP BY ALL
ORDER BY day, user_name, project, agent, model
