-- title: One session as it happened
-- description: Messages, tool calls and tool results of a session in transcript order, each
--   with the file and line it was read from. Long texts are cut to 4,000 characters
--   (`text_chars` keeps the full length). A tool result is a failure when it is an error or
--   exits non-zero; a call that changes a file (an edit or a patch) is marked `is_patch`.
--   Each file is read in line order; a session's files (sub-agents) follow their first timestamp.
-- params: agent, session_id
WITH events AS (
    SELECT 'message' AS event, source_path, line_no, seq, 0 AS event_order, ts, role, kind, model,
           text, NULL AS tool, NULL AS command, NULL AS file_path, NULL AS call_id,
           NULL::BOOLEAN AS is_error, NULL::INTEGER AS exit_code, NULL::DOUBLE AS duration_s, FALSE AS is_patch
    FROM messages
    WHERE agent = $agent AND session_id = $session_id
    UNION ALL
    SELECT 'tool_call', source_path, line_no, seq, 1, ts, 'assistant', 'tool_call', NULL,
           coalesce(patch, new_text, input_json), name, command, file_path, call_id,
           NULL, NULL, NULL, (patch IS NOT NULL OR new_text IS NOT NULL)
    FROM tool_calls
    WHERE agent = $agent AND session_id = $session_id
    UNION ALL
    SELECT 'tool_result', source_path, line_no, seq, 2, ts, 'tool', 'tool_result', NULL,
           text, NULL, NULL, NULL, call_id, is_error OR coalesce(exit_code, 0) <> 0, exit_code, duration_s, FALSE
    FROM tool_results
    WHERE agent = $agent AND session_id = $session_id
)
SELECT event, source_path, line_no, seq, ts, role, kind, model,
       left(text, 4000) AS text, length(text) AS text_chars,
       tool, command, file_path, call_id, is_error, exit_code, duration_s, is_patch
FROM events
ORDER BY min(ts) OVER (PARTITION BY source_path) NULLS LAST, source_path, line_no, event_order, seq
