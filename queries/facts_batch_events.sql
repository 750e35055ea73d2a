-- title: Events of the sessions being refreshed, in session time order
-- description: Messages, tool calls and tool results of the sessions listed in the
--   registered table _fact_batch (agent, session_id), as one stream ordered by
--   (ts, source_path, line_no, seq): the order the fact extractors read a session in.
--   Only text messages keep their text (the others count for activity only).
WITH batch AS (SELECT DISTINCT agent, session_id FROM _fact_batch),
events AS (
    SELECT 'message' AS event, 0 AS event_rank, m.agent, m.session_id, m.user_name, m.project, m.git_branch,
           m.ts, m.source_path, m.line_no, m.byte_offset, m.seq,
           m.role, m.kind, CASE WHEN m.kind = 'text' THEN m.text END AS text, m.uuid,
           NULL::VARCHAR AS call_id, NULL::VARCHAR AS name, NULL::VARCHAR AS command, NULL::VARCHAR AS file_path,
           NULL::VARCHAR AS old_text, NULL::VARCHAR AS new_text, NULL::VARCHAR AS patch,
           NULL::BOOLEAN AS is_error, NULL::INTEGER AS exit_code, NULL::DOUBLE AS duration_s,
           NULL::VARCHAR AS input_json
    FROM messages m JOIN batch USING (agent, session_id)
    UNION ALL
    SELECT 'call', 1, c.agent, c.session_id, c.user_name, c.project, c.git_branch,
           c.ts, c.source_path, c.line_no, c.byte_offset, c.seq,
           NULL, NULL, NULL, c.message_uuid,
           c.call_id, c.name, c.command, c.file_path, c.old_text, c.new_text, c.patch,
           NULL, NULL, NULL,
           CASE WHEN c.old_text IS NULL AND c.new_text IS NULL AND c.patch IS NULL THEN c.input_json END
    FROM tool_calls c JOIN batch USING (agent, session_id)
    UNION ALL
    SELECT 'result', 2, r.agent, r.session_id, r.user_name, NULL, NULL,
           r.ts, r.source_path, r.line_no, r.byte_offset, r.seq,
           NULL, NULL, r.text, NULL,
           r.call_id, NULL, NULL, NULL, NULL, NULL, NULL,
           r.is_error, r.exit_code, r.duration_s, NULL
    FROM tool_results r JOIN batch USING (agent, session_id)
)
SELECT * EXCLUDE (event_rank)
FROM events
ORDER BY agent, session_id, ts, source_path, line_no, seq, event_rank
