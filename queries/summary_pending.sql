-- title: Whether an ingest or a bundle load left sessions or files for the summary refresh
-- description: True when summary_dirty or summary_dirty_files holds a row: the sessions whose
--   rows were inserted and the files whose rows were deleted since the summaries were refreshed.
SELECT EXISTS (SELECT 1 FROM summary_dirty) OR EXISTS (SELECT 1 FROM summary_dirty_files)
