-- title: Mark a file whose rows a load transaction rewrites
-- description: The summaries find the sessions the file held (ingest.summaries).
INSERT INTO summary_dirty_files VALUES ($path)
