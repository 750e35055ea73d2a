-- title: Guard decisions by rule
-- description: Per rule and decision of the live guard in the period (UTC dates of the
--   decision, inclusive, NULL = open), for the report: how many, in how many sessions, and the
--   wait budget never spent (seconds the stopped raises would have waited).
-- params: since, until, user_name, project, agent
SELECT g.rule, g.decision, count(*) AS decisions, count(DISTINCT g.session_id) AS sessions,
       coalesce(sum(g.budget_s) FILTER (WHERE g.decision IN ('deny', 'ask')), 0) AS budget_saved_s
FROM guard_decisions g
LEFT JOIN sessions s ON s.agent = g.agent AND s.session_id = g.session_id
WHERE ($since IS NULL OR g.ts::DATE >= $since::DATE)
  AND ($until IS NULL OR g.ts::DATE <= $until::DATE)
  AND ($user_name IS NULL OR s.user_name = $user_name)
  AND ($project IS NULL OR s.project = $project)
  AND ($agent IS NULL OR g.agent = $agent)
GROUP BY g.rule, g.decision
ORDER BY g.rule, g.decision
