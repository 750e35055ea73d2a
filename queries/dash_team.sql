-- title: Activity per user or per project
-- direct: direct_team
-- description: For each user (by = 'user') or project (by = 'project'): sessions active in the
--   date range (chosen like the Sessions page), messages, active days, tool calls and failed
--   tool results in the range, and cost (billed responses filtered per response, like the
--   Cost page). The raw counts the Team page normalizes per session, per failure, per dollar.
--   Read from the summary tables.
-- params: by (user|project), tz, since, until, user_name, project, agent, model
WITH activity_days AS (
    -- the local day of each 15-minute bucket, converted once per bucket rather than per row
    SELECT bucket, timezone(coalesce($tz, 'UTC'), bucket AT TIME ZONE 'UTC')::DATE AS day
    FROM (SELECT DISTINCT bucket FROM summary_activity)
),
usage_days AS (
    SELECT bucket, timezone(coalesce($tz, 'UTC'), bucket AT TIME ZONE 'UTC')::DATE AS day
    FROM (SELECT DISTINCT bucket FROM summary_bucket_usage)
),
chosen AS (
    SELECT agent, session_id,
           CASE $by WHEN 'project' THEN coalesce(project, '(unknown)') ELSE user_name END AS member
    FROM summary_sessions s
    WHERE ($agent IS NULL OR agent = $agent)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($since IS NULL OR timezone(coalesce($tz, 'UTC'), ended_at AT TIME ZONE 'UTC')::DATE >= $since::DATE)
      AND ($until IS NULL OR timezone(coalesce($tz, 'UTC'), started_at AT TIME ZONE 'UTC')::DATE <= $until::DATE)
      AND ($model IS NULL OR EXISTS (SELECT 1 FROM summary_session_models u
                                     WHERE u.agent = s.agent AND u.session_id = s.session_id AND u.model = $model))
),
in_range AS (
    SELECT c.member, a.messages, a.tool_calls, a.failures, d.day
    FROM summary_activity a
    JOIN chosen c ON a.agent = c.agent AND a.session_id = c.session_id
    LEFT JOIN activity_days d ON d.bucket = a.bucket
),
activity AS (
    SELECT member,
           sum(messages)::BIGINT    AS messages,
           count(DISTINCT day)      AS active_days,
           sum(tool_calls)::BIGINT  AS tool_calls,
           sum(failures)::BIGINT    AS failures
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
    FROM summary_bucket_usage u LEFT JOIN usage_days d ON d.bucket = u.bucket
    WHERE ($agent IS NULL OR agent = $agent)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($model IS NULL OR model = $model)
      AND ($since IS NULL OR d.day >= $since::DATE)
      AND ($until IS NULL OR d.day <= $until::DATE)
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
