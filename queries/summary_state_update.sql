-- title: Record which scripts built the summaries, and when
-- description: The checksum of the summary scripts (queries/summary.py) and the time of the
--   refresh; a store whose checksum differs from the running dashcam's rebuilds its summaries.
-- params: checksum (VARCHAR), built_at (TIMESTAMP)
UPDATE summary_state SET checksum = $checksum, built_at = $built_at
