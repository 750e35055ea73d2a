-- title: (over the event tables) Activity per user or per project
-- description: For each user (by = 'user') or project (by = 'project'): sessions active in the
--   date range (chosen like the Sessions page), messages, active days, tool calls and failed
--   tool results in the range, and cost (billed responses filtered per response, like the
--   Cost page). The raw counts the Team page normalizes per session, per failure, per dollar.
--   The direct form of dash_team.sql, read while the summary tables are not current,
--   and the reference the tests hold the summary-backed form to.
-- params: by (user|project), tz, since, until, user_name, project, agent, model
WITH chosen AS (
    SELECT agent, session_id,
           CASE $by WHEN 'project' THEN coalesce(project, '(unknown)') ELSE user_name END AS member
    FROM sessions s
    WHERE ($agent IS NULL OR agent = $agent)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($since IS NULL OR timezone(coalesce($tz, 'UTC'), ended_at AT TIME ZONE 'UTC')::DATE >= $since::DATE)
      AND ($until IS NULL OR timezone(coalesce($tz, 'UTC'), started_at AT TIME ZONE 'UTC')::DATE <= $until::DATE)
      AND ($model IS NULL OR EXISTS (SELECT 1 FROM usage u
                                     WHERE u.agent = s.agent AND u.session_id = s.session_id AND u.model = $model))
),
in_range AS (
    SELECT c.member, e.kind, timezone(coalesce($tz, 'UTC'), e.ts AT TIME ZONE 'UTC')::DATE AS day
    FROM (SELECT agent, session_id, ts, 'message' AS kind FROM messages
          UNION ALL
          SELECT agent, session_id, ts, 'call' FROM tool_calls
          UNION ALL
          SELECT agent, session_id, ts, 'failure' FROM tool_results WHERE is_error OR coalesce(exit_code, 0) <> 0) e
    JOIN chosen c ON e.agent = c.agent AND e.session_id = c.session_id
),
activity AS (
    SELECT member,
           count(*) FILTER (WHERE kind = 'message')    AS messages,
           count(DISTINCT day)                          AS active_days,
           count(*) FILTER (WHERE kind = 'call')       AS tool_calls,
           count(*) FILTER (WHERE kind = 'failure')    AS failures
    FROM in_range
    WHERE ($since IS NULL OR day >= $since::DATE) AND ($until IS NULL OR day <= $until::DATE)
    GROUP BY member
),
sessions_per_member AS (
    SELECT member, count(*) AS sessions FROM chosen GROUP BY member
),
spend AS (
    SELECT CASE $by WHEN 'project' THEN coalesce(project, '(unknown)') ELSE user_name END AS member,
           sum(cost_usd) AS cost_usd
    FROM billed_usage
    WHERE ($agent IS NULL OR agent = $agent)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($model IS NULL OR model = $model)
      AND ($since IS NULL OR timezone(coalesce($tz, 'UTC'), ts AT TIME ZONE 'UTC')::DATE >= $since::DATE)
      AND ($until IS NULL OR timezone(coalesce($tz, 'UTC'), ts AT TIME ZONE 'UTC')::DATE <= $until::DATE)
    GROUP BY 1
)
SELECT member,
       coalesce(s.sessions, 0)      AS sessions,
       coalesce(a.messages, 0)      AS messages,
       coalesce(a.active_days, 0)   AS active_days,
       coalesce(a.tool_calls, 0)    AS tool_calls,
       coalesce(a.failures, 0)      AS failures,
       coalesce(p.cost_usd, 0)      AS cost_usd
FROM sessions_per_member s
FULL JOIN activity a USING (member)
FULL JOIN spend p USING (member)
ORDER BY member
