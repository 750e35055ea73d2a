-- title: Activity per week
-- direct: direct_weekly_activity
-- description: Per local week (starting Monday): sessions with activity, active users, messages,
--   failed tool results and cost. Sessions are chosen by their user, project and agent (and,
--   with a model filter, by having used that model); cost is filtered per API response,
--   like the Cost page. Read from the summary tables.
-- params: tz, since, until (local dates, inclusive), user_name, project, agent, model
WITH activity_days AS (
    -- the local day of each 15-minute bucket, converted once per bucket rather than per row
    SELECT bucket, timezone(coalesce($tz, 'UTC'), bucket AT TIME ZONE 'UTC')::DATE AS day
    FROM (SELECT DISTINCT bucket FROM summary_activity)
),
usage_days AS (
    SELECT bucket, timezone(coalesce($tz, 'UTC'), bucket AT TIME ZONE 'UTC')::DATE AS day
    FROM (SELECT DISTINCT bucket FROM summary_bucket_usage)
),
chosen AS (
    SELECT agent, session_id
    FROM summary_sessions s
    WHERE ($agent IS NULL OR agent = $agent)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($model IS NULL OR EXISTS (SELECT 1 FROM summary_session_models u
                                     WHERE u.agent = s.agent AND u.session_id = s.session_id AND u.model = $model))
),
activity AS (
    SELECT a.agent, a.session_id, a.user_name, a.messages, a.failures, d.day
    FROM summary_activity a SEMI JOIN chosen c ON a.agent = c.agent AND a.session_id = c.session_id
    LEFT JOIN activity_days d ON d.bucket = a.bucket
    WHERE a.bucket IS NOT NULL AND (a.messages > 0 OR a.failures > 0)
),
spend AS (
    SELECT d.day, cost_usd, unpriced_rows
    FROM summary_bucket_usage u JOIN usage_days d ON d.bucket = u.bucket
    WHERE u.bucket IS NOT NULL
      AND ($agent IS NULL OR agent = $agent)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($model IS NULL OR model = $model)
),
in_range AS (
    SELECT date_trunc('week', day)::DATE AS week,
           CASE WHEN messages > 0 THEN agent || ':' || session_id END AS session_key,
           CASE WHEN messages > 0 THEN user_name END AS user_name,
           messages, failures, NULL::DOUBLE AS cost_usd, 0 AS unpriced_rows
    FROM activity
    WHERE ($since IS NULL OR day >= $since::DATE) AND ($until IS NULL OR day <= $until::DATE)
    UNION ALL
    SELECT date_trunc('week', day)::DATE, NULL, NULL, 0, 0, cost_usd, unpriced_rows
    FROM spend
    WHERE ($since IS NULL OR day >= $since::DATE) AND ($until IS NULL OR day <= $until::DATE)
)
SELECT week,
       count(DISTINCT session_key)            AS sessions,
       count(DISTINCT user_name)              AS active_users,
       sum(messages)::BIGINT                  AS messages,
       sum(failures)::BIGINT                  AS failures,
       coalesce(sum(cost_usd), 0)             AS cost_usd,
       sum(unpriced_rows)::BIGINT             AS unpriced_responses
FROM in_range
GROUP BY week
ORDER BY week
