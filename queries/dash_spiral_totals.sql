-- title: Timeout spirals, counted
-- description: The Spirals page's totals over the spirals of dash_spirals (same filters):
--   how many, the time they took (wasted_s summed, 0 when none) and how many ended masked,
--   fixed by logic or unresolved. Counted here, so the page need not load every spiral.
-- params: since, until (UTC dates, inclusive, NULL = open), user_name, project, agent
SELECT count(*)                                           AS spirals,
       coalesce(sum(wasted_s), 0)                         AS wasted_s,
       count(*) FILTER (WHERE outcome = 'masked')         AS masked,
       count(*) FILTER (WHERE outcome = 'fixed_by_logic') AS fixed_by_logic,
       count(*) FILTER (WHERE outcome = 'unresolved')     AS unresolved
FROM audit_spirals
WHERE ($since IS NULL OR start_ts::DATE >= $since::DATE)
  AND ($until IS NULL OR start_ts::DATE <= $until::DATE)
  AND ($user_name IS NULL OR user_name = $user_name)
  AND ($project IS NULL OR project = $project)
  AND ($agent IS NULL OR agent = $agent)
