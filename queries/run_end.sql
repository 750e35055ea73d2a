-- title: Record the end of an ingest run
-- description: price_source is set when the run priced rows (NULL keeps what the start recorded).
UPDATE ingest_runs
SET finished_at = $finished_at, files_read = $files_read, problems = $problems, status = $status,
    price_source = coalesce($price_source, price_source)
WHERE run_id = $run_id
