-- title: Sessions an ingest changed
-- description: The sessions whose rows were inserted since the last refresh, and those held by
--   a file whose rows were deleted (re-read from an offset, rewritten, replaced by a bundle):
--   the ones queries/summary_refresh.sql recomputes (with those sharing a dedup key).
CREATE OR REPLACE TEMP TABLE _summary_changed AS
SELECT DISTINCT agent, session_id
FROM (SELECT agent, session_id FROM summary_dirty
      UNION ALL
      SELECT f.agent, f.session_id FROM summary_session_files f SEMI JOIN summary_dirty_files d USING (source_path));
