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
unfiltered AS (
    SELECT $since IS NULL AND $until IS NULL AND $user_name IS NULL AND $project IS NULL
           AND $agent IS NULL AND $model IS NULL AS yes
),
costs AS (
    -- each matching session's cost; with no filter that is its whole cost, kept in
    -- summary_sessions (a session has usage rows when it has a priced or an unpriced response)
    SELECT agent, session_id, sum(cost_usd) AS cost_usd
    FROM matching
    WHERE NOT (SELECT yes FROM unfiltered)
    GROUP BY agent, session_id
    UNION ALL
    SELECT agent, session_id, cost_usd
    FROM summary_sessions
    WHERE (SELECT yes FROM unfiltered) AND (cost_usd IS NOT NULL OR unpriced_responses > 0)
),
ranked AS (
    -- the costliest sessions first, then the rest of their columns for those alone
    SELECT agent, session_id, cost_usd
    FROM costs
    -- ranked to a billionth of a dollar: sums of the same costs added in another order differ in
    -- their last bits, and must not reorder sessions of equal cost
    ORDER BY round(cost_usd, 9) DESC NULLS LAST, agent, session_id
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
