-- title: Record that the facts are current as of the ingest runs stored now
-- description: Written at the end of a facts refresh that recomputed every stale session and
--   dropped every orphaned one (queries/facts_state_current.sql reads it back).
-- params: extractor_version (VARCHAR)
UPDATE facts_state
SET extractor_version = $extractor_version,
    runs = (SELECT count(*) FROM ingest_runs),
    last_run_started = (SELECT max(started_at) FROM ingest_runs)
