-- title: The next batch of sessions for the summary refresh
-- description: Moves the sessions of the lowest batch left in _summary_batches
--   (queries/summary_batches.sql) into _summary_changed, which queries/summary_refresh.sql reads
--   and drops; returns how many sessions it moved (0: the refresh is done).
CREATE OR REPLACE TEMP TABLE _summary_changed AS
SELECT agent, session_id FROM _summary_batches
WHERE batch = (SELECT min(batch) FROM _summary_batches);
DELETE FROM _summary_batches WHERE batch = (SELECT min(batch) FROM _summary_batches);
SELECT count(*) FROM _summary_changed;
