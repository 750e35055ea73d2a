-- title: When fix attempts started, local or wide
-- description: For the ticks along the bottom of the cliff page's completion curve: each
--   distinct (start_ts, is_local) of the patches of dash_patches (same filters). Patches that
--   start at the same moment draw one tick, so one row stands for them all.
-- params: since, until (UTC dates, inclusive, NULL = open), user_name, project, agent, feature
SELECT DISTINCT p.start_ts, p.is_local
FROM audit_patches p
WHERE ($since IS NULL OR p.start_ts::DATE >= $since::DATE)
  AND ($until IS NULL OR p.start_ts::DATE <= $until::DATE)
  AND ($user_name IS NULL OR p.user_name = $user_name)
  AND ($project IS NULL OR p.project = $project)
  AND ($agent IS NULL OR p.agent = $agent)
  AND ($feature IS NULL OR p.feature = $feature)
ORDER BY p.start_ts, p.is_local
