-- title: Schema version a push is made with
-- description: The last migration of the in-memory schema the lake's tables are built from
--   (the running dashcam's), recorded with each push.
SELECT coalesce(max(version), 0) FROM main._schema_version
