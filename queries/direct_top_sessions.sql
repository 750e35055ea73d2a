-- title: (over the event tables) The most expensive sessions
-- description: Sessions by the cost of their billed responses that match the filters (per
--   response, like the Cost page), most expensive first, with who ran them and where.
--   The direct form of dash_top_sessions.sql, read while the summary tables are not current,
--   and the reference the tests hold the summary-backed form to.
-- params: tz, since, until, user_name, project, agent, model, limit
WITH spend AS (
    SELECT agent, session_id,
           any_value(user_name)                          AS user_name,
           any_value(project) FILTER (WHERE project IS NOT NULL) AS project,
           sum(cost_usd)                                 AS cost_usd,
           count(*)                                      AS responses,
           count(*) FILTER (WHERE cost_usd IS NULL)      AS unpriced_responses,
           sum(total_tokens)::BIGINT                     AS total_tokens,
           string_agg(DISTINCT model, ', ' ORDER BY model) AS models,
           min(ts)                                       AS first_response,
           max(ts)                                       AS last_response
    FROM billed_usage
    WHERE ($agent IS NULL OR agent = $agent)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($model IS NULL OR model = $model)
      AND ($since IS NULL OR timezone(coalesce($tz, 'UTC'), ts AT TIME ZONE 'UTC')::DATE >= $since::DATE)
      AND ($until IS NULL OR timezone(coalesce($tz, 'UTC'), ts AT TIME ZONE 'UTC')::DATE <= $until::DATE)
    GROUP BY agent, session_id
    -- ranked to a billionth of a dollar: sums of the same costs added in another order differ in
    -- their last bits, and must not reorder sessions of equal cost
    ORDER BY round(sum(cost_usd), 9) DESC NULLS LAST, agent, session_id
    LIMIT coalesce($limit, 20)
),
titles AS (
    SELECT agent, session_id, any_value(title) FILTER (WHERE title IS NOT NULL) AS title
    FROM messages m SEMI JOIN spend s USING (agent, session_id)
    GROUP BY agent, session_id
)
SELECT spend.*, titles.title
FROM spend LEFT JOIN titles USING (agent, session_id)
ORDER BY round(spend.cost_usd, 9) DESC NULLS LAST, agent, session_id
