-- title: The check runs inside each timeout spiral
-- description: Every run of a spiral's verification command (the check whose failures the
--   waits were raised after) from the spiral's start to its end, in each session it spans
--   (a spiral continues across the sessions of a feature), with whether it failed: the
--   attempts drawn on the staircase. Filters as in audit_spirals (UTC start dates). With
--   `spirals`, only the runs of the first that many spirals in dash_spirals' order (longest
--   wasted time first): the ones the Spirals page charts. A spiral's session list is unnested
--   and joined on the session, so each command is matched with the spirals of its session
--   alone (list_contains in the join compared every spiral with every run of its check).
-- params: since, until (UTC dates, inclusive, NULL = open), user_name, project, agent, spirals (INTEGER, NULL = all)
WITH chosen AS (
    SELECT spiral_id, agent, session_id, start_ord, end_ts, verification_signature, sessions
    FROM audit_spirals
    WHERE ($since IS NULL OR start_ts::DATE >= $since::DATE)
      AND ($until IS NULL OR start_ts::DATE <= $until::DATE)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($agent IS NULL OR agent = $agent)
    ORDER BY wasted_s DESC NULLS LAST, start_ts, spiral_id
    LIMIT $spirals
),
spans AS (
    -- one row per session a spiral runs through (a session listed twice matches once)
    SELECT spiral_id, agent, session_id AS start_session, start_ord, end_ts, verification_signature,
           unnest(list_distinct(sessions)) AS session_id
    FROM chosen
)
SELECT s.spiral_id, coalesce(c.result_ts, c.ts) AS ts, c.failed, c.exit_code, c.duration_s,
       c.source_path, c.line_no
FROM spans s
JOIN fact_commands c
  ON c.session_id = s.session_id AND c.signature = s.verification_signature
 AND c.failed IS NOT NULL AND coalesce(c.result_ts, c.ts) <= s.end_ts
 AND (c.session_id <> s.start_session OR (c.agent = s.agent AND c.ord >= s.start_ord))
ORDER BY s.spiral_id, ts
