-- title: (over the event tables) Activity per week
-- description: Per local week (starting Monday): sessions with activity, active users, messages,
--   failed tool results and cost. Sessions are chosen by their user, project and agent (and,
--   with a model filter, by having used that model); cost is filtered per API response,
--   like the Cost page.
--   The direct form of dash_weekly_activity.sql, read while the summary tables are not current,
--   and the reference the tests hold the summary-backed form to.
-- params: tz, since, until (local dates, inclusive), user_name, project, agent, model
WITH chosen AS (
    SELECT agent, session_id, user_name
    FROM sessions s
    WHERE ($agent IS NULL OR agent = $agent)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($model IS NULL OR EXISTS (SELECT 1 FROM usage u
                                     WHERE u.agent = s.agent AND u.session_id = s.session_id AND u.model = $model))
),
activity AS (
    SELECT m.agent, m.session_id, m.user_name,
           timezone(coalesce($tz, 'UTC'), m.ts AT TIME ZONE 'UTC')::DATE AS day
    FROM messages m SEMI JOIN chosen c ON m.agent = c.agent AND m.session_id = c.session_id
    WHERE m.ts IS NOT NULL
),
failures AS (
    SELECT timezone(coalesce($tz, 'UTC'), t.ts AT TIME ZONE 'UTC')::DATE AS day
    FROM tool_results t SEMI JOIN chosen c ON t.agent = c.agent AND t.session_id = c.session_id
    WHERE t.ts IS NOT NULL AND (t.is_error OR coalesce(t.exit_code, 0) <> 0)
),
spend AS (
    SELECT timezone(coalesce($tz, 'UTC'), ts AT TIME ZONE 'UTC')::DATE AS day, cost_usd
    FROM billed_usage
    WHERE ts IS NOT NULL
      AND ($agent IS NULL OR agent = $agent)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($model IS NULL OR model = $model)
),
in_range AS (
    SELECT 'activity' AS source, date_trunc('week', day)::DATE AS week, agent || ':' || session_id AS session_key,
           user_name, NULL::DOUBLE AS cost_usd
    FROM activity
    WHERE ($since IS NULL OR day >= $since::DATE) AND ($until IS NULL OR day <= $until::DATE)
    UNION ALL
    SELECT 'failure', date_trunc('week', day)::DATE, NULL, NULL, NULL
    FROM failures
    WHERE ($since IS NULL OR day >= $since::DATE) AND ($until IS NULL OR day <= $until::DATE)
    UNION ALL
    SELECT 'spend', date_trunc('week', day)::DATE, NULL, NULL, cost_usd
    FROM spend
    WHERE ($since IS NULL OR day >= $since::DATE) AND ($until IS NULL OR day <= $until::DATE)
)
SELECT week,
       count(DISTINCT session_key)                                  AS sessions,
       count(DISTINCT user_name)                                    AS active_users,
       count(*) FILTER (WHERE source = 'activity')                  AS messages,
       count(*) FILTER (WHERE source = 'failure')                   AS failures,
       coalesce(sum(cost_usd), 0)                                   AS cost_usd,
       count(*) FILTER (WHERE source = 'spend' AND cost_usd IS NULL) AS unpriced_responses
FROM in_range
GROUP BY week
ORDER BY week
