-- title: Fix attempts (patches)
-- description: One row per fix attempt: the file-changing tool calls after a failed
--   verification (trigger_kind failed_verification) or a user's bug report (user_report), up
--   to the next verification run. files, lines, local (<= 2 files, <= 30 lines), verified (a
--   verification ran after it), followed_by_pass, broke_something (a verification that passed
--   before the patch failed after it), after_80 (started past its feature's t80).
-- params: since, until (UTC dates, inclusive, NULL = open), user_name, project, agent, feature
SELECT p.patch_id, p.session_id, p.agent, p.user_name, p.project, p.git_branch, p.feature,
       p.trigger_kind, p.trigger_ts, p.start_ts, p.end_ts, p.edit_calls, p.call_ids, p.files,
       p.files_changed, p.lines_added, p.lines_removed, p.lines_changed, p.is_local, p.wait_only,
       p.verified, p.followed_by_pass, p.broke_something,
       coalesce(p.start_ts > f.t80, false) AS after_80
FROM audit_patches p
LEFT JOIN audit_features f USING (feature)
WHERE ($since IS NULL OR p.start_ts::DATE >= $since::DATE)
  AND ($until IS NULL OR p.start_ts::DATE <= $until::DATE)
  AND ($user_name IS NULL OR p.user_name = $user_name)
  AND ($project IS NULL OR p.project = $project)
  AND ($agent IS NULL OR p.agent = $agent)
  AND ($feature IS NULL OR p.feature = $feature)
ORDER BY p.start_ts, p.session_id
