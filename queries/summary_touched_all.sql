-- title: Every session, for a full rebuild of the summaries
-- description: Empties the summary tables and names every session with any stored event, so
--   queries/summary_refresh.sql rebuilds them all (after --rebuild, or on a store whose
--   summaries were built by other SQL or never).
DELETE FROM summary_billed;
DELETE FROM summary_usage;
DELETE FROM summary_bucket_usage;
DELETE FROM summary_activity;
DELETE FROM summary_sessions;
DELETE FROM summary_session_files;
DELETE FROM summary_session_models;
CREATE OR REPLACE TEMP TABLE _summary_changed AS
SELECT DISTINCT agent, session_id
FROM (SELECT agent, session_id FROM messages
      UNION ALL SELECT agent, session_id FROM usage
      UNION ALL SELECT agent, session_id FROM tool_calls
      UNION ALL SELECT agent, session_id FROM tool_results);
