-- title: The ingest ledger
-- description: What previous ingests consumed of each transcript file (size, mtime, offset,
--   lines, parser version, reader state), read once at the start of a run.
SELECT path, agent, size, mtime, bytes_consumed, lines_consumed, head_hash,
       parser_version, reader_state, user_name
FROM source_files
