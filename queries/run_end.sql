-- title: Record the end of an ingest run
UPDATE ingest_runs
SET finished_at = $finished_at, files_read = $files_read, problems = $problems, status = $status
WHERE run_id = $run_id
