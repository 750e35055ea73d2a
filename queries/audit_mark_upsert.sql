-- title: Set a person's mark on a finding
-- description: Writes (or replaces) the mark on one finding with a snapshot of what the audit
--   said (text, verdict, rules), so labels and precision survive detector changes.
-- params: finding_id, kind, agent, session_id, feature, text, verdict, rules, mark, note, marked_by, marked_at
INSERT OR REPLACE INTO audit_marks
    (finding_id, kind, agent, session_id, feature, text, verdict, rules, mark, note, marked_by, marked_at)
VALUES ($finding_id, $kind, $agent, $session_id, $feature, $text, $verdict, $rules, $mark, $note, $marked_by,
        $marked_at)
