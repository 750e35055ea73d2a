-- title: Sessions the local database can publish to the team lake, with a fingerprint
-- description: One row per (agent, session_id) of the local database attached as ``home``: its
--   user and a fingerprint of what the session holds (its event rows' positions and ingest runs,
--   its facts' extractor version and refresh time). A session whose fingerprint equals the one
--   the lake recorded at its last push is already there; any other is pushed again, whole.
WITH events AS (
    SELECT agent, session_id, user_name, run_id, source_path, byte_offset, seq FROM home.messages
    UNION ALL SELECT agent, session_id, user_name, run_id, source_path, byte_offset, seq FROM home.usage
    UNION ALL SELECT agent, session_id, user_name, run_id, source_path, byte_offset, seq FROM home.tool_calls
    UNION ALL SELECT agent, session_id, user_name, run_id, source_path, byte_offset, seq FROM home.tool_results
),
per_session AS (
    SELECT agent, session_id, max(user_name) AS user_name, count(*) AS events,
           sum(hash(source_path, byte_offset, seq)) AS positions,
           string_agg(DISTINCT run_id, ',' ORDER BY run_id) AS runs
    FROM events
    GROUP BY agent, session_id
)
SELECT p.agent, p.session_id, p.user_name,
       md5(concat_ws('|', p.events, p.positions, p.runs, f.extractor_version, f.refreshed_at)) AS fingerprint
FROM per_session p
LEFT JOIN home.fact_sessions f USING (agent, session_id)
ORDER BY p.agent, p.session_id
