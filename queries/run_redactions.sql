-- title: Record the secrets a run redacted
-- description: One row per kind of secret replaced by ingest/redact.py during the run.
-- params: run_id, kind, count
INSERT INTO ingest_redactions (run_id, kind, count) VALUES ($run_id, $kind, $count)
