-- title: Record what was consumed of a transcript file
INSERT INTO source_files (path, agent, size, mtime, bytes_consumed, lines_consumed, head_hash,
                          parser_version, reader_state, user_name, last_run_id, updated_at)
VALUES ($path, $agent, $size, $mtime, $bytes_consumed, $lines_consumed, $head_hash,
        $parser_version, $reader_state, $user_name, $run_id, $updated_at)
