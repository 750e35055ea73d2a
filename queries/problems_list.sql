-- title: Recorded ingest problems
-- description: Lines that could not be understood, newest first, with where to find them.
--   Raw bytes that are not UTF-8 are shown as their escaped form.
SELECT source_path, line_no, byte_offset, agent, reason,
       substr(coalesce(try(decode(raw)), raw::VARCHAR), 1, 200) AS raw_preview,
       user_name, recorded_at
FROM problems
ORDER BY recorded_at DESC, source_path, line_no
LIMIT $limit
