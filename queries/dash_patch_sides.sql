-- title: Fix attempts before and after the 80% mark, counted
-- description: For the cliff page's comparison: the patches of dash_patches (same filters),
--   counted on each side of their feature's t80 (after_80): all, local, wide and those that
--   broke a check that passed before. One row per side that has patches; counted here, so the
--   page need not load every patch of a feature to count them.
-- params: since, until (UTC dates, inclusive, NULL = open), user_name, project, agent, feature
SELECT coalesce(p.start_ts > f.t80, false)         AS after_80,
       count(*)                                    AS fixes,
       count(*) FILTER (WHERE p.is_local)          AS local,
       count(*) FILTER (WHERE NOT p.is_local)      AS wide,
       count(*) FILTER (WHERE p.broke_something)   AS regressions
FROM audit_patches p
LEFT JOIN audit_features f USING (feature)
WHERE ($since IS NULL OR p.start_ts::DATE >= $since::DATE)
  AND ($until IS NULL OR p.start_ts::DATE <= $until::DATE)
  AND ($user_name IS NULL OR p.user_name = $user_name)
  AND ($project IS NULL OR p.project = $project)
  AND ($agent IS NULL OR p.agent = $agent)
  AND ($feature IS NULL OR p.feature = $feature)
GROUP BY 1
ORDER BY 1
