-- title: Feature completion curves
-- description: For each feature, after every moment its edits changed code: the share of
--   the feature's final code that already existed (0..1). The feature's t80 is repeated on
--   every row for drawing the mark.
-- params: since, until (UTC dates: features active in the period), user_name, project, agent, feature
WITH activity AS (
    SELECT feature,
           bool_or(($user_name IS NULL OR user_name = $user_name)
                   AND ($project IS NULL OR project = $project)
                   AND ($agent IS NULL OR agent = $agent)) AS matches,
           min(started_at) AS first_start,
           max(ended_at) AS last_end
    FROM audit_session_features
    WHERE feature IS NOT NULL
    GROUP BY feature
)
SELECT c.feature, c.ts, c.completion, f.t80
FROM audit_completion c
JOIN audit_features f USING (feature)
JOIN activity a USING (feature)
WHERE a.matches
  AND ($feature IS NULL OR c.feature = $feature)
  AND ($since IS NULL OR a.last_end::DATE >= $since::DATE)
  AND ($until IS NULL OR a.first_start::DATE <= $until::DATE)
ORDER BY c.feature, c.ts
