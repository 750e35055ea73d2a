-- title: How much the database holds
-- description: Messages and sessions stored, whatever the filters: zero means nothing was ingested yet.
SELECT (SELECT count(*) FROM messages)                                        AS messages,
       (SELECT count(*) FROM (SELECT DISTINCT agent, session_id FROM messages)) AS sessions
