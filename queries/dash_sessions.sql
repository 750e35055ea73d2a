-- title: Sessions matching the filters
-- direct: direct_sessions
-- description: One row per session active in the date range (local dates, inclusive) whose
--   user, project and agent match, and that used the model when one is given; `search` matches
--   the session id, title, project, branch, user or agent (case-insensitive substring).
--   Newest first, at most `limit` rows; `matching` counts them all. Read from summary_sessions.
-- params: tz, since, until, user_name, project, agent, model, search, limit
WITH chosen AS (
    SELECT *
    FROM summary_sessions s
    WHERE ($agent IS NULL OR agent = $agent)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($since IS NULL OR timezone(coalesce($tz, 'UTC'), ended_at AT TIME ZONE 'UTC')::DATE >= $since::DATE)
      AND ($until IS NULL OR timezone(coalesce($tz, 'UTC'), started_at AT TIME ZONE 'UTC')::DATE <= $until::DATE)
      AND ($search IS NULL OR contains(lower(concat_ws(' ', session_id, title, project, git_branch, user_name, agent)),
                                       lower($search)))
      AND ($model IS NULL OR EXISTS (SELECT 1 FROM summary_session_models u
                                     WHERE u.agent = s.agent AND u.session_id = s.session_id AND u.model = $model))
),
shown AS (
    SELECT *, count(*) OVER () AS matching
    FROM chosen
    ORDER BY started_at DESC NULLS LAST, agent, session_id
    LIMIT coalesce($limit, 500)
)
SELECT c.agent, c.session_id, c.user_name, c.project, c.git_branch, c.title, c.started_at, c.ended_at,
       date_diff('second', c.started_at, c.ended_at) / 60.0 AS minutes,
       c.messages,
       c.tool_calls,
       c.failures,
       c.cost_usd,
       c.unpriced_responses,
       c.billed_models AS models,
       c.matching
FROM shown c
ORDER BY c.started_at DESC NULLS LAST, c.agent, c.session_id
