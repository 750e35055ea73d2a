-- title: (over the event tables) Exotic explanations per week
-- description: Per ISO week (Monday, UTC): explanations written after failures, how many were
--   exotic, failed commands, exotic explanations per 100 failed commands, sessions started and
--   exotic explanations per session. The direct form of audit_exotic_rate.sql (sessions from
--   the sessions view), read while the summary tables are not current, and the reference the
--   tests hold the summary-backed form to.
-- params: since, until (UTC dates, inclusive, NULL = open), user_name, project, agent
WITH explained AS (
    SELECT date_trunc('week', ts)::DATE AS week, count(*) AS explanations,
           count(*) FILTER (WHERE verdict = 'exotic') AS exotic
    FROM fact_explanations
    WHERE ts IS NOT NULL
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($agent IS NULL OR agent = $agent)
    GROUP BY ALL
),
failures AS (
    SELECT date_trunc('week', ts)::DATE AS week, count(*) AS failures
    FROM fact_commands
    WHERE failed AND ts IS NOT NULL
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($agent IS NULL OR agent = $agent)
    GROUP BY ALL
),
started AS (
    SELECT date_trunc('week', started_at)::DATE AS week, count(*) AS sessions
    FROM sessions
    WHERE started_at IS NOT NULL
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($agent IS NULL OR agent = $agent)
    GROUP BY ALL
),
weeks AS (
    SELECT week FROM explained UNION SELECT week FROM failures UNION SELECT week FROM started
)
SELECT w.week,
       coalesce(e.explanations, 0) AS explanations,
       coalesce(e.exotic, 0) AS exotic,
       coalesce(f.failures, 0) AS failures,
       CASE WHEN f.failures > 0 THEN 100.0 * coalesce(e.exotic, 0) / f.failures END AS exotic_per_100_failures,
       coalesce(s.sessions, 0) AS sessions,
       CASE WHEN s.sessions > 0 THEN coalesce(e.exotic, 0) / s.sessions END AS exotic_per_session
FROM weeks w
LEFT JOIN explained e USING (week)
LEFT JOIN failures f USING (week)
LEFT JOIN started s USING (week)
WHERE ($since IS NULL OR w.week + INTERVAL 6 DAY >= $since::DATE)
  AND ($until IS NULL OR w.week <= $until::DATE)
ORDER BY w.week
