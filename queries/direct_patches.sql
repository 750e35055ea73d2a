-- title: (the reference form) Fix attempts with the transcript line they start on
-- description: The patches of audit_patches (same definitions and filters), with the file and
--   line of each patch's first tool call, so the cliff page can link every patch to the
--   transcript. after_80: the patch started past its feature's t80. The plain form of
--   dash_patches.sql (every patch): the reference the tests hold it and dash_patch_sides to.
-- params: since, until (UTC dates, inclusive, NULL = open), user_name, project, agent, feature
WITH chosen AS (
    SELECT p.*, coalesce(p.start_ts > f.t80, false) AS after_80
    FROM audit_patches p
    LEFT JOIN audit_features f USING (feature)
    WHERE ($since IS NULL OR p.start_ts::DATE >= $since::DATE)
      AND ($until IS NULL OR p.start_ts::DATE <= $until::DATE)
      AND ($user_name IS NULL OR p.user_name = $user_name)
      AND ($project IS NULL OR p.project = $project)
      AND ($agent IS NULL OR p.agent = $agent)
      AND ($feature IS NULL OR p.feature = $feature)
)
SELECT p.patch_id, p.agent, p.session_id, p.user_name, p.project, p.feature, p.trigger_kind, p.start_ts,
       p.files, p.files_changed, p.lines_added, p.lines_removed, p.lines_changed, p.is_local, p.wait_only,
       p.verified, p.followed_by_pass, p.broke_something, p.after_80, t.source_path, t.line_no
FROM chosen p
LEFT JOIN tool_calls t ON t.agent = p.agent AND t.session_id = p.session_id AND t.call_id = p.call_ids[1]
ORDER BY p.start_ts, p.session_id
