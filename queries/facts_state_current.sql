-- title: Whether the last facts refresh saw every ingest run there is
-- description: True when the last complete facts refresh (facts_state, migration 021) ran with
--   this extractor version and no ingest run was recorded, started or removed since: then no
--   session's facts are stale or orphaned, and the full check over the events is skipped.
-- params: extractor_version (VARCHAR: the rules-and-extractor fingerprint)
SELECT coalesce(s.extractor_version = $extractor_version
                AND s.runs = r.runs
                AND s.last_run_started IS NOT DISTINCT FROM r.last_started, FALSE) AS current
FROM facts_state s, (SELECT count(*) AS runs, max(started_at) AS last_started FROM ingest_runs) r
