-- title: Features patched past their 80% mark, per week
-- description: Per ISO week (Monday, UTC): how many features got a fix attempt after their
--   t80 (the moment 80% of their final code was written), for the overview's weekly measures.
--   Filters as in audit_patches (UTC dates of the patch).
-- params: since, until (UTC dates, inclusive, NULL = open), user_name, project, agent
SELECT date_trunc('week', p.start_ts)::DATE AS week, count(DISTINCT p.feature) AS features_past_mark
FROM audit_patches p
JOIN audit_features f USING (feature)
WHERE p.start_ts > f.t80
  AND ($since IS NULL OR p.start_ts::DATE >= $since::DATE)
  AND ($until IS NULL OR p.start_ts::DATE <= $until::DATE)
  AND ($user_name IS NULL OR p.user_name = $user_name)
  AND ($project IS NULL OR p.project = $project)
  AND ($agent IS NULL OR p.agent = $agent)
GROUP BY 1
ORDER BY 1
