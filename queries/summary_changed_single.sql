-- title: Whether the summary refresh has at most one session to rebuild
-- description: True when _summary_changed (made by summary_touched) holds one row or none: a warm
--   ingest's usual case, refreshed as one batch with no counting of its rows.
SELECT count(*) <= 1 FROM _summary_changed
