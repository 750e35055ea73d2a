-- title: Merge the marks a bundle carries
-- description: Inserts the registered table _new_audit_marks into audit_marks; where both
--   hold a mark on the same finding, the later one (marked_at) wins, so loading a bundle
--   twice, or an older bundle after a newer mark, changes nothing.
-- params: none
INSERT OR REPLACE INTO audit_marks
    (finding_id, kind, agent, session_id, feature, text, verdict, rules, mark, note, marked_by, marked_at)
SELECT n.finding_id, n.kind, n.agent, n.session_id, n.feature, coalesce(n.text, m.text), n.verdict, n.rules,
       n.mark, n.note, n.marked_by, n.marked_at
FROM _new_audit_marks n
LEFT JOIN audit_marks m USING (finding_id)
WHERE m.finding_id IS NULL OR n.marked_at > m.marked_at
