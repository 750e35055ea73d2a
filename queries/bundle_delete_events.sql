-- title: Make room for a bundle's events
-- description: Deletes the event rows of every (file, session) the bundle being loaded holds
--   (registered table _bundle_files: source_path, agent, session_id), so the bundle's rows
--   replace them: loading a bundle twice, or a later bundle holding the same sessions, never
--   doubles a row. Run in the load's transaction, before its inserts. The files are marked for
--   the summaries (ingest.summaries), which recompute the sessions those files held.
INSERT INTO summary_dirty_files SELECT DISTINCT source_path FROM _bundle_files;  -- for ingest.summaries
DELETE FROM messages     WHERE (source_path, agent, session_id) IN (SELECT source_path, agent, session_id FROM _bundle_files);
DELETE FROM usage        WHERE (source_path, agent, session_id) IN (SELECT source_path, agent, session_id FROM _bundle_files);
DELETE FROM tool_calls   WHERE (source_path, agent, session_id) IN (SELECT source_path, agent, session_id FROM _bundle_files);
DELETE FROM tool_results WHERE (source_path, agent, session_id) IN (SELECT source_path, agent, session_id FROM _bundle_files);
