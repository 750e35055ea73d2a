-- title: Timeout spirals per week
-- description: Spirals started per ISO week (Monday, UTC), user and project, with the time
--   they took (wasted_s, see audit_spirals) and the wait they added (sum of the raises).
-- params: since, until (UTC dates, inclusive, NULL = open), user_name, project, agent
SELECT date_trunc('week', start_ts)::DATE AS week,
       user_name,
       project,
       count(*) AS spirals,
       sum(wasted_s) AS wasted_s,
       sum(wait_added_s) AS wait_added_s,
       count(*) FILTER (WHERE outcome = 'masked') AS masked,
       count(*) FILTER (WHERE outcome = 'fixed_by_logic') AS fixed_by_logic,
       count(*) FILTER (WHERE outcome = 'unresolved') AS unresolved
FROM audit_spirals
WHERE ($since IS NULL OR start_ts::DATE >= $since::DATE)
  AND ($until IS NULL OR start_ts::DATE <= $until::DATE)
  AND ($user_name IS NULL OR user_name = $user_name)
  AND ($project IS NULL OR project = $project)
  AND ($agent IS NULL OR agent = $agent)
GROUP BY ALL
ORDER BY week, user_name, project
