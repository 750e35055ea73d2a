-- title: How much the database holds
-- direct: direct_counts
-- description: Messages and sessions stored, whatever the filters: zero means nothing was ingested yet.
--   Sessions are the rows of summary_sessions (one per session with a message), not a scan of
--   every message.
SELECT (SELECT count(*) FROM messages)        AS messages,
       (SELECT count(*) FROM summary_sessions) AS sessions
