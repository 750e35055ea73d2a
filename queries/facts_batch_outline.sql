-- title: Outline of the sessions being refreshed: who, where, which results were errors
-- description: The light first pass of the fact refresh. The events of the sessions in the
--   registered table _fact_batch, in the order facts_batch_events reads them, with only the
--   columns the walk must know before its first event (user, project, branch; each tool
--   result's call and error flag), so the walk itself can stream the heavy text columns;
--   row_id (the event's rowid in its table) lets a very long session be read back in
--   slices (facts_slice_events) instead of one sort of all its text.
WITH batch AS (SELECT DISTINCT agent, session_id FROM _fact_batch),
events AS (
    SELECT 'message' AS event, 0 AS event_rank, m.agent, m.session_id, m.user_name, m.project, m.git_branch,
           m.ts, m.source_path, m.line_no, m.seq, NULL::VARCHAR AS call_id, NULL::BOOLEAN AS is_error,
           m.rowid AS row_id
    FROM messages m JOIN batch USING (agent, session_id)
    UNION ALL
    SELECT 'call', 1, c.agent, c.session_id, c.user_name, c.project, c.git_branch,
           c.ts, c.source_path, c.line_no, c.seq, c.call_id, NULL, c.rowid
    FROM tool_calls c JOIN batch USING (agent, session_id)
    UNION ALL
    SELECT 'result', 2, r.agent, r.session_id, r.user_name, NULL, NULL,
           r.ts, r.source_path, r.line_no, r.seq, r.call_id, r.is_error, r.rowid
    FROM tool_results r JOIN batch USING (agent, session_id)
)
SELECT event, agent, session_id, user_name, project, git_branch, call_id, is_error, row_id
FROM events
ORDER BY agent, session_id, ts, source_path, line_no, seq, event_rank
