-- title: Add to the secrets a run redacted
-- description: Adds a count of one kind of secret to the run's row in ingest_redactions.
--   Written in the same transaction as the rows the secrets were redacted from, so a run
--   that is killed keeps the counts of everything it committed.
-- params: run_id, kind, count
INSERT INTO ingest_redactions (run_id, kind, count) VALUES ($run_id, $kind, $count)
ON CONFLICT (run_id, kind) DO UPDATE SET count = ingest_redactions.count + excluded.count
