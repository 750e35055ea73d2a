-- title: The marks as labelled data
-- description: One row per mark: the session, the text marked (sentence, site or feature),
--   what the audit said (verdict), the person's mark and note, the rules behind the finding.
--   The text is today's when the finding still exists (a bundle without text carries none),
--   else the snapshot taken with the mark.
-- params: none
SELECT m.finding_id, m.kind, m.agent, m.session_id, m.feature,
       coalesce(m.text, f.text) AS text, m.verdict, m.mark,
       m.note, m.rules, m.marked_by, m.marked_at
FROM audit_marks m
LEFT JOIN fact_explanations f
       ON m.kind = 'explanation'
      AND explanation_finding_id(f.agent, f.session_id, f.ord, f.sentence_index) = m.finding_id
ORDER BY m.marked_at, m.finding_id
