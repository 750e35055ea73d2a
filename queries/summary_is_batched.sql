-- title: Whether the summary refresh runs in several committed batches
-- description: True when summary_batches split the changed sessions into more than one batch;
--   the summaries are then marked not current until the last batch is committed.
SELECT count(DISTINCT batch) > 1 FROM _summary_batches
