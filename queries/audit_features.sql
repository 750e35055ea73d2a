-- title: Features and their 80% mark
-- description: One row per feature (sessions grouped by repository and branch, trunk
--   sessions only when chained by resume links, features.toml rules first). t80: the
--   earliest moment after which the share of the feature's final code already written stays
--   >= 80%. seconds_before_80: from the first session's start to t80; seconds_after_80: from
--   t80 to the last edit; active_seconds_*: the same split of working time (activity with
--   gaps up to 15 minutes). patches: fix attempts (edits after a failed verification or a bug
--   report, up to the next verification run); local: <= 2 files and <= 30 lines changed;
--   regressions: patches after which a verification that passed before failed. cliff: at
--   least twice as much time after t80 as before it and at least 10 patches past t80.
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
SELECT CASE WHEN f.cliff THEN cliff_finding_id(f.feature) END AS finding_id, f.feature, f.repository, f.git_branch, f.sessions, f.agents, f.users, f.by_rule,
       f.started_at, f.t80, f.last_edit_ts, f.final_lines, f.edit_calls,
       f.seconds_before_80, f.seconds_after_80, f.active_seconds_before_80, f.active_seconds_after_80,
       CASE WHEN f.seconds_before_80 > 0 THEN f.seconds_after_80 / f.seconds_before_80 END AS after_over_before,
       f.patches_total, f.patches_after_80, f.local_patches, f.local_patches_after_80, f.local_share,
       f.regressions, f.cliff
FROM audit_features f
JOIN activity a USING (feature)
WHERE a.matches
  AND ($feature IS NULL OR f.feature = $feature)
  AND ($since IS NULL OR a.last_end::DATE >= $since::DATE)
  AND ($until IS NULL OR a.first_start::DATE <= $until::DATE)
ORDER BY f.cliff DESC, f.feature
