-- title: The rows of one table that belong to the sessions being exported
-- description: Every row of $table (an event or fact table: each has agent and session_id)
--   whose session is in the registered table _bundle_sessions (agent, session_id).
-- params: table
SELECT t.*
FROM query_table($table) t
SEMI JOIN _bundle_sessions s ON t.agent = s.agent AND t.session_id = s.session_id
