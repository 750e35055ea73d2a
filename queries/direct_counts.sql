-- title: (over the event tables) How much the database holds
-- description: Messages and sessions stored, whatever the filters: zero means nothing was ingested yet.
--   The direct form of dash_counts.sql, read while the summary tables are not current.
SELECT (SELECT count(*) FROM messages)                                        AS messages,
       (SELECT count(*) FROM (SELECT DISTINCT agent, session_id FROM messages)) AS sessions
