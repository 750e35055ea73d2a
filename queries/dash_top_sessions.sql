-- title: The most expensive sessions
-- direct: direct_top_sessions
-- description: Sessions by the cost of their billed responses that match the filters (per
--   response, like the Cost page), most expensive first, with who ran them and where.
--   Read from the summary tables.
-- params: tz, since, until, user_name, project, agent, model, limit
WITH days AS (
    -- the local day of each 15-minute bucket, converted once per bucket rather than per row
    SELECT bucket, timezone(coalesce($tz, 'UTC'), bucket AT TIME ZONE 'UTC')::DATE AS day
    FROM (SELECT DISTINCT bucket FROM summary_usage)
),
matching AS NOT MATERIALIZED (
    SELECT u.*
    FROM summary_usage u LEFT JOIN days d ON d.bucket = u.bucket
    WHERE ($agent IS NULL OR agent = $agent)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($model IS NULL OR model = $model)
      AND ($since IS NULL OR d.day >= $since::DATE)
      AND ($until IS NULL OR d.day <= $until::DATE)
),
ranked AS (
    -- the costliest sessions first, then the rest of their columns for those alone (matching is
    -- not materialized: each use reads only the columns and rows it needs)
    SELECT agent, session_id, sum(cost_usd) AS cost_usd
    FROM matching
    GROUP BY agent, session_id
    -- ranked to a billionth of a dollar: sums of the same costs added in another order differ in
    -- their last bits, and must not reorder sessions of equal cost
    ORDER BY round(sum(cost_usd), 9) DESC NULLS LAST, agent, session_id
    LIMIT coalesce($limit, 20)
),
spend AS (
    SELECT agent, session_id,
           any_value(user_name)                          AS user_name,
           any_value(project) FILTER (WHERE project IS NOT NULL) AS project,
           any_value(r.cost_usd)                         AS cost_usd,
           sum(responses)::BIGINT                        AS responses,
           sum(unpriced_rows)::BIGINT                    AS unpriced_responses,
           sum(total_tokens)::BIGINT                     AS total_tokens,
           string_agg(DISTINCT model, ', ' ORDER BY model) AS models,
           min(first_ts)                                 AS first_response,
           max(last_ts)                                  AS last_response
    FROM matching m JOIN ranked r USING (agent, session_id)
    GROUP BY agent, session_id
)
SELECT spend.*, s.title
FROM spend LEFT JOIN summary_sessions s USING (agent, session_id)
ORDER BY round(spend.cost_usd, 9) DESC NULLS LAST, agent, session_id
