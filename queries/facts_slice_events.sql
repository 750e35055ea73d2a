-- title: One slice of a long session's events, in walk order
-- description: The events listed in the registered table _fact_slice_batch (ord, event, row_id:
--   their place in the session's walk order, their table, their rowid there), with the
--   columns of facts_batch_events, ordered by ord. A session of a million events is read
--   this way a slice at a time, so no query sorts all of its text at once.
SELECT 'message' AS event, m.agent, m.session_id, m.user_name, m.project, m.git_branch,
       m.ts, m.source_path, m.line_no, m.byte_offset, m.seq,
       m.role, m.kind, CASE WHEN m.kind = 'text' THEN m.text END AS text, m.uuid,
       NULL::VARCHAR AS call_id, NULL::VARCHAR AS name, NULL::VARCHAR AS command, NULL::VARCHAR AS file_path,
       NULL::VARCHAR AS old_text, NULL::VARCHAR AS new_text, NULL::VARCHAR AS patch,
       NULL::BOOLEAN AS is_error, NULL::INTEGER AS exit_code, NULL::DOUBLE AS duration_s,
       NULL::VARCHAR AS input_json, s.ord
FROM _fact_slice_batch s JOIN messages m ON s.event = 'message' AND m.rowid = s.row_id
UNION ALL
SELECT 'call', c.agent, c.session_id, c.user_name, c.project, c.git_branch,
       c.ts, c.source_path, c.line_no, c.byte_offset, c.seq,
       NULL, NULL, NULL, c.message_uuid,
       c.call_id, c.name, c.command, c.file_path, c.old_text, c.new_text, c.patch,
       NULL, NULL, NULL,
       CASE WHEN c.old_text IS NULL AND c.new_text IS NULL AND c.patch IS NULL THEN c.input_json END, s.ord
FROM _fact_slice_batch s JOIN tool_calls c ON s.event = 'call' AND c.rowid = s.row_id
UNION ALL
SELECT 'result', r.agent, r.session_id, r.user_name, NULL, NULL,
       r.ts, r.source_path, r.line_no, r.byte_offset, r.seq,
       NULL, NULL, r.text, NULL,
       r.call_id, NULL, NULL, NULL, NULL, NULL, NULL,
       r.is_error, r.exit_code, r.duration_s, NULL, s.ord
FROM _fact_slice_batch s JOIN tool_results r ON s.event = 'result' AND r.rowid = s.row_id
ORDER BY ord
