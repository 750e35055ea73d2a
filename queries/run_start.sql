-- title: Record the start of an ingest run
INSERT INTO ingest_runs (run_id, started_at, user_name, tool_version, price_source, paths, status)
VALUES ($run_id, $started_at, $user_name, $tool_version, $price_source, $paths, 'running')
