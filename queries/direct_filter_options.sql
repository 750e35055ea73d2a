-- title: (over the event tables) Values for the dashboard's filters
-- description: Every user, project, agent and model in the database, and the first and last
--   local date with activity, so the sidebar offers only choices that exist.
--   The direct form of dash_filter_options.sql, read while the summary tables are not current,
--   and the reference the tests hold the summary-backed form to.
-- params: tz
SELECT 'user' AS dimension, user_name AS value FROM (SELECT DISTINCT user_name FROM messages)
UNION ALL
SELECT 'project', project FROM (SELECT DISTINCT project FROM messages WHERE project IS NOT NULL)
UNION ALL
SELECT 'agent', agent FROM (SELECT DISTINCT agent FROM messages)
UNION ALL
SELECT 'model', model FROM (SELECT DISTINCT model FROM usage WHERE model IS NOT NULL)
UNION ALL
SELECT 'first_date', strftime(min(timezone(coalesce($tz, 'UTC'), ts AT TIME ZONE 'UTC')), '%Y-%m-%d') FROM messages
UNION ALL
SELECT 'last_date', strftime(max(timezone(coalesce($tz, 'UTC'), ts AT TIME ZONE 'UTC')), '%Y-%m-%d') FROM messages
ORDER BY dimension, value
