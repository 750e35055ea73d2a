-- title: The 80% cliff, per feature
-- description: For the cliff page: per feature its sessions, t80, hours before and after it,
--   fix attempts in all and past t80, the share of local fixes (<= 2 files, <= 30 lines),
--   regressions and the cliff flag (>= 2x time after t80 than before, >= 10 fixes past t80).
--   Cliffs first. See audit_features for the definitions.
-- params: since, until (UTC dates: features active in the period), user_name, project, agent
WITH activity AS (
    SELECT feature,
           bool_or(($user_name IS NULL OR user_name = $user_name)
                   AND ($project IS NULL OR project = $project)
                   AND ($agent IS NULL OR agent = $agent)) AS matches,
           min(started_at) AS first_start,
           max(ended_at) AS last_end,
           count(*) AS session_count
    FROM audit_session_features
    WHERE feature IS NOT NULL
    GROUP BY feature
)
SELECT f.feature, f.repository, f.git_branch, a.session_count AS sessions, f.users, f.agents,
       f.started_at, f.t80, f.last_edit_ts,
       f.seconds_before_80 / 3600.0 AS hours_before_80,
       f.seconds_after_80 / 3600.0 AS hours_after_80,
       f.patches_total, f.patches_after_80, f.local_share, f.regressions, f.cliff
FROM audit_features f
JOIN activity a USING (feature)
WHERE a.matches
  AND ($since IS NULL OR a.last_end::DATE >= $since::DATE)
  AND ($until IS NULL OR a.first_start::DATE <= $until::DATE)
ORDER BY f.cliff DESC, f.patches_after_80 DESC, f.feature
