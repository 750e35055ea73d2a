-- title: Ledger entry of one transcript file
-- description: What the previous ingest consumed of the file (size, offset, parser version, reader state).
SELECT path, agent, size, mtime, bytes_consumed, lines_consumed, head_hash,
       parser_version, reader_state, user_name
FROM source_files
WHERE path = $path
