-- title: (the reference form) The check runs inside each timeout spiral
-- description: Every run of a spiral's verification command (the check whose failures the
--   waits were raised after) from the spiral's start to its end, in each session it spans
--   (a spiral continues across the sessions of a feature), with whether it failed: the
--   attempts drawn on the staircase. Filters as in audit_spirals (UTC start dates).
--   The plain form of dash_spiral_runs.sql (a spiral's sessions matched with list_contains,
--   every spiral): the reference the tests hold the faster form to.
-- params: since, until (UTC dates, inclusive, NULL = open), user_name, project, agent
SELECT s.spiral_id, coalesce(c.result_ts, c.ts) AS ts, c.failed, c.exit_code, c.duration_s,
       c.source_path, c.line_no
FROM audit_spirals s
JOIN fact_commands c
  ON list_contains(s.sessions, c.session_id) AND c.signature = s.verification_signature
 AND c.failed IS NOT NULL AND coalesce(c.result_ts, c.ts) <= s.end_ts
 AND (c.session_id <> s.session_id OR (c.agent = s.agent AND c.ord >= s.start_ord))
WHERE ($since IS NULL OR s.start_ts::DATE >= $since::DATE)
  AND ($until IS NULL OR s.start_ts::DATE <= $until::DATE)
  AND ($user_name IS NULL OR s.user_name = $user_name)
  AND ($project IS NULL OR s.project = $project)
  AND ($agent IS NULL OR s.agent = $agent)
ORDER BY s.spiral_id, ts
