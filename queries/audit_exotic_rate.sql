-- title: Exotic explanations per week
-- direct: direct_exotic_rate
-- description: Per ISO week (Monday, UTC): explanations written after failures, how many were
--   exotic, failed commands, exotic explanations per 100 failed commands, sessions started and
--   exotic explanations per session. Sessions are read from summary_sessions (the sessions
--   view aggregates every message).
-- params: since, until (UTC dates, inclusive, NULL = open), user_name, project, agent
-- counted per day first, then per week: a day's week is computed once per day, not per row
WITH explained_days AS (
    SELECT ts::DATE AS day, count(*) AS explanations, count(*) FILTER (WHERE verdict = 'exotic') AS exotic
    FROM fact_explanations
    WHERE ts IS NOT NULL
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($agent IS NULL OR agent = $agent)
    GROUP BY ALL
),
explained AS (
    SELECT date_trunc('week', day)::DATE AS week, sum(explanations)::BIGINT AS explanations,
           sum(exotic)::BIGINT AS exotic
    FROM explained_days
    GROUP BY ALL
),
failure_days AS (
    SELECT ts::DATE AS day, count(*) AS failures
    FROM fact_commands
    WHERE failed AND ts IS NOT NULL
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($agent IS NULL OR agent = $agent)
    GROUP BY ALL
),
failures AS (
    SELECT date_trunc('week', day)::DATE AS week, sum(failures)::BIGINT AS failures FROM failure_days GROUP BY ALL
),
started_days AS (
    SELECT started_at::DATE AS day, count(*) AS sessions
    FROM summary_sessions
    WHERE started_at IS NOT NULL
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($agent IS NULL OR agent = $agent)
    GROUP BY ALL
),
started AS (
    SELECT date_trunc('week', day)::DATE AS week, sum(sessions)::BIGINT AS sessions FROM started_days GROUP BY ALL
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
