-- title: Record a guard problem
-- description: One line of the guard's spools that could not be understood, or an error the
--   hooks met and allowed the call after (spooled to problems.jsonl), as an ingest problem.
INSERT INTO problems
VALUES ($source_path, $line_no, $byte_offset, $agent, $reason, $raw, $user_name, $run_id, now()::TIMESTAMP)
