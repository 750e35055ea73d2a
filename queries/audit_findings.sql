-- title: Every finding a person can mark, by its stable id
-- description: Explanations after failures, timeout spirals and 80% cliffs as one list:
--   finding_id (see migration 009: derived from session, kind and position or site, so it
--   survives a rebuild, a re-ingest and a bundle round trip), kind, the session (a cliff: its
--   feature's first session), text (the sentence, the site, the feature), verdict (exotic /
--   legit / mundane, spiral, cliff), rules (JSON list: the ids of the rules that fired, from cues.rules;
--   rows written before rule ids: the cue roles;
--   the wait construct, "cliff") and the mark set on it, if any.
-- params: finding_id, kind, agent, session_id (NULL = all)
WITH explanations AS (
    SELECT explanation_finding_id(agent, session_id, ord, sentence_index) AS finding_id,
           'explanation' AS kind, agent, session_id, NULL::VARCHAR AS feature, ts, text, verdict,
           to_json(list_sort(list_distinct(CASE WHEN json_type(cues) = 'OBJECT'
               THEN coalesce(json_extract_string(cues, '$.rules[*]'), [])
               ELSE list_transform(coalesce(json_extract_string(cues, '$[*]'), []), lambda c: trim(split_part(c, ':', 1)))
               END)))::VARCHAR AS rules,
           source_path, line_no
    FROM fact_explanations
),
spirals AS (
    SELECT spiral_finding_id(agent, session_id, site), 'spiral', agent, session_id, NULL, start_ts, site,
           'spiral', to_json([construct])::VARCHAR, NULL, NULL
    FROM audit_spirals
),
feature_sessions AS (
    SELECT feature, arg_min(agent, started_at) AS agent, arg_min(session_id, started_at) AS session_id
    FROM audit_session_features
    WHERE feature IS NOT NULL
    GROUP BY feature
),
cliffs AS (
    SELECT cliff_finding_id(f.feature), 'cliff', s.agent, s.session_id, f.feature, f.t80, f.feature,
           'cliff', to_json(['cliff'])::VARCHAR, NULL, NULL
    FROM audit_features f
    LEFT JOIN feature_sessions s USING (feature)
    WHERE f.cliff
),
findings AS (
    SELECT * FROM explanations UNION ALL SELECT * FROM spirals UNION ALL SELECT * FROM cliffs
)
SELECT f.*, m.mark, m.note, m.marked_by, m.marked_at
FROM findings f
LEFT JOIN audit_marks m USING (finding_id)
WHERE ($finding_id IS NULL OR f.finding_id = $finding_id)
  AND ($kind IS NULL OR f.kind = $kind)
  AND ($agent IS NULL OR f.agent = $agent)
  AND ($session_id IS NULL OR f.session_id = $session_id)
ORDER BY f.ts, f.session_id, f.finding_id
