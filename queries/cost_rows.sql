-- title: Tokens and cost per period and model
-- direct: direct_cost_rows
-- description: Billed usage (deduplicated) grouped by a local-time period (day, week, month)
--   or by session, then by an optional dimension (user, project, model) and by model.
--   Token fields follow ccusage: input excludes cache reads and writes. Unpriced rows keep
--   their tokens and are counted, never priced at $0.
-- params: tz, period (day|week|month|session), week_start (ISO weekday 1=Monday … 7=Sunday),
--   since, until (local dates, inclusive, NULL = open), agent, user_name, project, by (user|project|model|NULL),
--   exclude_estimated (leave out tokens estimated with tiktoken where the format had no usage).
--   A fast-mode Claude response is reported under "<model>-fast", as ccusage names it.
--   assumed_rows: responses whose transcript named no model, priced under an assumed one.
WITH source AS (
    -- per session only for the session report; else per bucket and key, sessions summed
    SELECT bucket, agent, session_id, user_name, project, model, speed, estimated, responses,
           input_tokens, output_tokens, cache_write_tokens, cache_read_tokens, total_tokens, cost_usd,
           unpriced_rows, assumed_rows, last_ts
    FROM summary_usage
    WHERE $period = 'session'
    UNION ALL
    SELECT bucket, agent, NULL, user_name, project, model, speed, estimated, responses,
           input_tokens, output_tokens, cache_write_tokens, cache_read_tokens, total_tokens, cost_usd,
           unpriced_rows, assumed_rows, last_ts
    FROM summary_bucket_usage
    WHERE $period IS DISTINCT FROM 'session'
),
buckets AS (
    -- billed usage is summed per 15-minute bucket (summary_usage, summary_bucket_usage): the local day
    -- of a bucket is the local day of every response in it; converted once per bucket
    SELECT bucket,
           local_ts::DATE AS local_day,
           CASE $period
               WHEN 'day' THEN strftime(local_ts, '%Y-%m-%d')
               WHEN 'month' THEN strftime(local_ts, '%Y-%m')
               WHEN 'week' THEN strftime(local_ts::DATE - CAST((isodow(local_ts) - $week_start + 7) % 7 AS INTEGER), '%Y-%m-%d')
           END AS bucket_period
    FROM (SELECT bucket, timezone($tz, bucket AT TIME ZONE 'UTC') AS local_ts
          FROM (SELECT DISTINCT bucket FROM source))
),
local_usage AS (
    SELECT u.*, b.local_day, b.bucket_period
    FROM source u LEFT JOIN buckets b ON b.bucket = u.bucket
    WHERE ($agent IS NULL OR agent = $agent)
      AND (NOT coalesce($exclude_estimated, FALSE) OR NOT estimated)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
),
keyed AS (
    SELECT *,
           -- A response with no recorded time (a Gemini CLI checkpoint) gets its own period.
           coalesce(CASE WHEN $period IN ('day', 'month', 'week') THEN bucket_period ELSE session_id END,
                    '(no time)') AS period_key,
           coalesce(model, '(unknown)') || CASE WHEN speed = 'fast' THEN '-fast' ELSE '' END AS model_name,
           CASE $by
               WHEN 'user' THEN user_name
               WHEN 'project' THEN coalesce(project, '(unknown)')
               WHEN 'model' THEN coalesce(model, '(unknown)')
           END AS dimension
    FROM local_usage
    WHERE ($since IS NULL OR local_day >= $since::DATE)
      AND ($until IS NULL OR local_day <= $until::DATE)
)
SELECT period_key,
       dimension,
       model_name                                      AS model,
       sum(input_tokens)::BIGINT                       AS input_tokens,
       sum(output_tokens)::BIGINT                      AS output_tokens,
       sum(cache_write_tokens)::BIGINT                 AS cache_creation_tokens,
       sum(cache_read_tokens)::BIGINT                  AS cache_read_tokens,
       sum(total_tokens)::BIGINT                       AS total_tokens,
       sum(cost_usd)                                   AS cost_usd,
       sum(unpriced_rows)::BIGINT                      AS unpriced_rows,
       coalesce(sum(responses) FILTER (WHERE estimated), 0)::BIGINT AS estimated_rows,
       sum(assumed_rows)::BIGINT                       AS assumed_rows,
       coalesce(sum(total_tokens) FILTER (WHERE estimated), 0)::BIGINT AS estimated_tokens,
       max(last_ts)                                    AS last_activity,
       min(agent)                                      AS agent,    -- min, not any_value: the same
       min(project)                                    AS project,  -- answer whatever the order
       min(user_name)                                  AS user_name -- rows were ingested in
FROM keyed
GROUP BY period_key, dimension, model_name
ORDER BY period_key, dimension NULLS FIRST, model_name
