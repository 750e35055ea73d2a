-- title: The checksum of the scripts that built the store's summaries
-- description: One row (summary_state holds one); compared with the running dashcam's to
--   decide whether the summaries are current.
SELECT checksum FROM summary_state
