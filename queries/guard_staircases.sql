-- title: Wait staircases of each feature, for the live guard
-- description: Per feature (repository@branch) every wait step the audit lined up, in order,
--   with the chain it belongs to, written by `dashcam ingest` to the guard's state dir so the
--   first hook call of a feature's next session takes over the staircases its earlier sessions
--   left open, without opening the database. An edit's chain is named by its first site_key
--   (the guard finds it again by the file and the value the edit replaces); a command's by its
--   link_key. ``failed_after`` are the failed checks after the feature's last wait step.
WITH steps AS (
    SELECT substr(scope, 9) AS feature, session_id, pos, seconds, previous_s, is_escalation,
           construct, kind, source, file_path,
           CASE WHEN source = 'edit' THEN site ELSE link_key END AS link,
           site, anchor_check
    FROM audit_wait_steps
    WHERE scope LIKE 'feature %@%'
),
last_step AS (
    SELECT feature, max(pos) AS pos FROM steps GROUP BY feature
),
failed_after AS (
    SELECT l.feature, list(f.check_key ORDER BY f.result_pos) AS failed_after
    FROM last_step l
    JOIN audit_failed_checks f ON f.scope = 'feature ' || l.feature AND f.result_pos > l.pos
    GROUP BY l.feature
)
SELECT s.feature, s.session_id, s.link, s.site, s.seconds, s.previous_s, s.is_escalation, s.construct,
       s.kind, s.source, s.file_path, s.anchor_check, a.failed_after
FROM steps s
LEFT JOIN failed_after a USING (feature)
ORDER BY s.feature, s.pos
