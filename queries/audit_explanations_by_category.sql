-- title: Explanations by verdict and category
-- description: How often each kind of cause was blamed after failures: explanations,
--   sessions, how many were refuted by the next fix, the mean exotic score.
-- params: since, until (UTC dates, inclusive, NULL = open), user_name, project, agent
SELECT verdict,
       category,
       count(*) AS explanations,
       count(DISTINCT agent || '/' || session_id) AS sessions,
       count(*) FILTER (WHERE refuted) AS refuted,
       avg(score) AS mean_score
FROM fact_explanations
WHERE ($since IS NULL OR ts::DATE >= $since::DATE)
  AND ($until IS NULL OR ts::DATE <= $until::DATE)
  AND ($user_name IS NULL OR user_name = $user_name)
  AND ($project IS NULL OR project = $project)
  AND ($agent IS NULL OR agent = $agent)
GROUP BY verdict, category
ORDER BY CASE verdict WHEN 'exotic' THEN 0 WHEN 'legit' THEN 1 ELSE 2 END, explanations DESC, category
