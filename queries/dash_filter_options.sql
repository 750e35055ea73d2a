-- title: Values for the dashboard's filters
-- direct: direct_filter_options
-- description: Every user, project, agent and model in the database, and the first and last
--   local date with activity, so the sidebar offers only choices that exist. Read from
--   summary_sessions and summary_session_models.
-- params: tz
SELECT 'user' AS dimension, value FROM (SELECT DISTINCT unnest(users) AS value FROM summary_sessions)
UNION ALL
SELECT 'project', value FROM (SELECT DISTINCT unnest(projects) AS value FROM summary_sessions)
UNION ALL
SELECT 'agent', agent FROM (SELECT DISTINCT agent FROM summary_sessions)
UNION ALL
SELECT 'model', model FROM (SELECT DISTINCT model FROM summary_session_models)
UNION ALL
-- a time's local date is its 15-minute bucket's (every offset in use is a multiple of 15
-- minutes): the zone conversion runs once per bucket, not once per session
SELECT 'first_date', strftime(min(timezone(coalesce($tz, 'UTC'), b AT TIME ZONE 'UTC')::DATE), '%Y-%m-%d')
FROM (SELECT DISTINCT time_bucket(INTERVAL '15 minutes', started_at) AS b FROM summary_sessions)
UNION ALL
SELECT 'last_date', strftime(max(timezone(coalesce($tz, 'UTC'), b AT TIME ZONE 'UTC')::DATE), '%Y-%m-%d')
FROM (SELECT DISTINCT time_bucket(INTERVAL '15 minutes', ended_at) AS b FROM summary_sessions)
ORDER BY dimension, value
