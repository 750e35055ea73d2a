-- title: Sessions a shared bundle holds
-- description: Every session with an event (message, API response, tool call or result) on a
--   day of the range, counting the day both in the given time zone and in UTC (costs group by
--   local day, the audits by UTC day: either view of the range finds all its sessions in the
--   bundle), plus the other sessions of the features those sessions work on (a feature's 80%
--   mark and fix attempts are measured over all its sessions). Sessions are taken whole, so
--   their audits read the same wherever the bundle is loaded.
-- params: since, until (dates, inclusive, NULL = open), tz, user_name
WITH events AS (
    SELECT agent, session_id, user_name, ts FROM messages
    UNION ALL SELECT agent, session_id, user_name, ts FROM usage
    UNION ALL SELECT agent, session_id, user_name, ts FROM tool_calls
    UNION ALL SELECT agent, session_id, user_name, ts FROM tool_results
),
dated AS (
    SELECT agent, session_id, ts::DATE AS utc_day,
           timezone(coalesce($tz, 'UTC'), ts AT TIME ZONE 'UTC')::DATE AS local_day
    FROM events
    WHERE ts IS NOT NULL AND ($user_name IS NULL OR user_name = $user_name)
),
in_range AS (
    SELECT DISTINCT agent, session_id
    FROM dated
    WHERE (($since IS NULL OR utc_day >= $since::DATE) AND ($until IS NULL OR utc_day <= $until::DATE))
       OR (($since IS NULL OR local_day >= $since::DATE) AND ($until IS NULL OR local_day <= $until::DATE))
),
feature_mates AS (
    SELECT mate.agent, mate.session_id
    FROM audit_session_features chosen
    JOIN in_range USING (agent, session_id)
    JOIN audit_session_features mate ON mate.feature = chosen.feature
    WHERE chosen.feature IS NOT NULL AND ($user_name IS NULL OR mate.user_name = $user_name)
)
SELECT agent, session_id FROM in_range
UNION
SELECT agent, session_id FROM feature_mates
ORDER BY agent, session_id
