-- title: Live guard decisions for the dashboard
-- description: The guard's decisions of one rule ($rule: spiral | exotic), with the person and
--   project of the session when it is ingested, under the shared filters (UTC dates of the
--   decision, inclusive). budget_s is the wait a stopped raise would have spent.
-- params: rule, since, until (UTC dates, inclusive, NULL = open), user_name, project, agent
SELECT g.ts, g.agent, g.session_id, s.user_name, s.project, g.rule, g.decision, g.mode,
       g.site, g.value_s, g.budget_s, g.reason
FROM guard_decisions g
LEFT JOIN sessions s ON s.agent = g.agent AND s.session_id = g.session_id
WHERE g.rule = $rule
  AND ($since IS NULL OR g.ts::DATE >= $since::DATE)
  AND ($until IS NULL OR g.ts::DATE <= $until::DATE)
  AND ($user_name IS NULL OR s.user_name = $user_name)
  AND ($project IS NULL OR s.project = $project)
  AND ($agent IS NULL OR g.agent = $agent)
ORDER BY g.ts DESC
