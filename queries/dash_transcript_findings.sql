-- title: What the audit found in one session, line by line
-- description: Wait values (set by a command or an edit, or stated in prose) and causal
--   explanations written after a failure, each with the transcript line it came from, so the
--   transcript view can mark them. Reads the fact tables built at ingest.
-- params: agent, session_id
SELECT source_path, line_no, seq, 'wait' AS finding, source, kind, construct, raw, seconds, old_seconds, once,
       NULL AS text, NULL AS verdict, NULL AS category, NULL::BOOLEAN AS refuted
FROM fact_waits
WHERE agent = $agent AND session_id = $session_id
UNION ALL
SELECT source_path, line_no, seq, 'explanation', 'prose', NULL, NULL, NULL, NULL, NULL, NULL,
       text, verdict, category, refuted
FROM fact_explanations
WHERE agent = $agent AND session_id = $session_id
ORDER BY source_path, line_no, seq
