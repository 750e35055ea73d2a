-- title: Drop the problems a file holds from a resume offset on (all of them from offset 0)
-- description: Part of a load transaction: the rows are read again from the offset.
DELETE FROM problems WHERE source_path = $path AND ($offset = 0 OR byte_offset >= $offset)
