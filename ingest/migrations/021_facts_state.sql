-- 021_facts_state: what the last complete facts refresh saw, so "is any session's audit facts
-- behind?" is answered from two small tables instead of every stored event. A refresh that
-- recomputed every stale session records the extractor version and the ingest runs it saw
-- (their number and the latest start); while those still match, no session can be stale (rows
-- only come in, or go, in an ingest run) and the full check (queries/facts_stale_sessions.sql,
-- queries/facts_orphan_sessions.sql) is skipped. NULLs: never recorded, so the full check runs.
CREATE TABLE facts_state (
    extractor_version VARCHAR,
    runs              BIGINT,
    last_run_started  TIMESTAMP
);
INSERT INTO facts_state VALUES (NULL, NULL, NULL);
