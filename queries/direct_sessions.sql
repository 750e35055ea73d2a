-- title: (over the event tables) Sessions matching the filters
-- description: One row per session active in the date range (local dates, inclusive) whose
--   user, project and agent match, and that used the model when one is given; `search` matches
--   the session id, title, project, branch, user or agent (case-insensitive substring).
--   Newest first, at most `limit` rows (their counts and cost computed for those rows only);
--   `matching` counts them all.
--   The direct form of dash_sessions.sql, read while the summary tables are not current,
--   and the reference the tests hold the summary-backed form to.
-- params: tz, since, until, user_name, project, agent, model, search, limit
WITH chosen AS (
    SELECT *
    FROM sessions s
    WHERE ($agent IS NULL OR agent = $agent)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($since IS NULL OR timezone(coalesce($tz, 'UTC'), ended_at AT TIME ZONE 'UTC')::DATE >= $since::DATE)
      AND ($until IS NULL OR timezone(coalesce($tz, 'UTC'), started_at AT TIME ZONE 'UTC')::DATE <= $until::DATE)
      AND ($search IS NULL OR contains(lower(concat_ws(' ', session_id, title, project, git_branch, user_name, agent)),
                                       lower($search)))
      AND ($model IS NULL OR EXISTS (SELECT 1 FROM usage u
                                     WHERE u.agent = s.agent AND u.session_id = s.session_id AND u.model = $model))
),
shown AS (
    SELECT *, count(*) OVER () AS matching
    FROM chosen
    ORDER BY started_at DESC NULLS LAST, agent, session_id
    LIMIT coalesce($limit, 500)
),
spend AS (
    SELECT agent, session_id, sum(cost_usd) AS cost_usd, count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced_responses,
           string_agg(DISTINCT model, ', ' ORDER BY model) AS models
    FROM billed_usage b SEMI JOIN shown s USING (agent, session_id)
    GROUP BY agent, session_id
),
calls AS (
    SELECT agent, session_id, count(*) AS tool_calls
    FROM tool_calls t SEMI JOIN shown s USING (agent, session_id)
    GROUP BY agent, session_id
),
failed AS (
    SELECT agent, session_id, count(*) AS failures
    FROM tool_results r SEMI JOIN shown s USING (agent, session_id)
    WHERE r.is_error OR coalesce(r.exit_code, 0) <> 0
    GROUP BY agent, session_id
)
SELECT c.agent, c.session_id, c.user_name, c.project, c.git_branch, c.title, c.started_at, c.ended_at,
       date_diff('second', c.started_at, c.ended_at) / 60.0 AS minutes,
       c.messages,
       coalesce(calls.tool_calls, 0)  AS tool_calls,
       coalesce(failed.failures, 0)   AS failures,
       spend.cost_usd,
       coalesce(spend.unpriced_responses, 0) AS unpriced_responses,
       spend.models,
       c.matching
FROM shown c
LEFT JOIN spend USING (agent, session_id)
LEFT JOIN calls USING (agent, session_id)
LEFT JOIN failed USING (agent, session_id)
ORDER BY c.started_at DESC NULLS LAST, c.agent, c.session_id
