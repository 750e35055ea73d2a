-- title: The most expensive sessions
-- direct: direct_top_sessions
-- description: Sessions by the cost of their billed responses that match the filters (per
--   response, like the Cost page), most expensive first, with who ran them and where.
--   Read from the summary tables.
-- params: tz, since, until, user_name, project, agent, model, limit
WITH spend AS (
    SELECT agent, session_id,
           any_value(user_name)                          AS user_name,
           any_value(project) FILTER (WHERE project IS NOT NULL) AS project,
           sum(cost_usd)                                 AS cost_usd,
           sum(responses)::BIGINT                        AS responses,
           sum(unpriced_rows)::BIGINT                    AS unpriced_responses,
           sum(total_tokens)::BIGINT                     AS total_tokens,
           string_agg(DISTINCT model, ', ' ORDER BY model) AS models,
           min(first_ts)                                 AS first_response,
           max(last_ts)                                  AS last_response
    FROM summary_usage
    WHERE ($agent IS NULL OR agent = $agent)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($model IS NULL OR model = $model)
      AND ($since IS NULL OR timezone(coalesce($tz, 'UTC'), bucket AT TIME ZONE 'UTC')::DATE >= $since::DATE)
      AND ($until IS NULL OR timezone(coalesce($tz, 'UTC'), bucket AT TIME ZONE 'UTC')::DATE <= $until::DATE)
    GROUP BY agent, session_id
    ORDER BY cost_usd DESC NULLS LAST, agent, session_id
    LIMIT coalesce($limit, 20)
)
SELECT spend.*, s.title
FROM spend LEFT JOIN summary_sessions s USING (agent, session_id)
ORDER BY cost_usd DESC NULLS LAST, agent, session_id
