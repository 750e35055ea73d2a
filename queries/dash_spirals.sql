-- title: Timeout spirals with the transcript line they start on
-- description: The spirals of audit_spirals (same definitions and filters: UTC dates of the
--   spiral's start), with the file and line where the site's first value was set, so the
--   dashboard can link each spiral to its place in the transcript. Longest wasted time first,
--   at most `limit` of them (NULL = all; ties in spiral_id order); the first lines are looked
--   up for those alone.
-- params: since, until (UTC dates, inclusive, NULL = open), user_name, project, agent, limit (NULL = all)
WITH chosen AS (
    SELECT *
    FROM audit_spirals
    WHERE ($since IS NULL OR start_ts::DATE >= $since::DATE)
      AND ($until IS NULL OR start_ts::DATE <= $until::DATE)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($agent IS NULL OR agent = $agent)
    ORDER BY wasted_s DESC NULLS LAST, start_ts, spiral_id
    LIMIT $limit
),
first_lines AS (
    SELECT s.spiral_id, arg_min(w.source_path, w.ord) AS source_path, arg_min(w.line_no, w.ord) AS line_no
    FROM chosen s
    JOIN fact_waits w
      ON w.agent = s.agent AND w.session_id = s.session_id AND w.site_key = s.site AND w.ord >= s.start_ord
    GROUP BY s.spiral_id
)
SELECT s.spiral_id, s.agent, s.session_id, s.user_name, s.project, s.git_branch, s.site, s.construct, s.source,
       s.file_path, s.kind, s.escalations, s.initial_s, s.final_s, s.ratio, s.wait_added_s, s.outcome,
       s.start_ts, s.end_ts, s.resolved_ts, s.wasted_s, s.verification_signature, s.prose_mentions,
       l.source_path, l.line_no
FROM chosen s
LEFT JOIN first_lines l USING (spiral_id)
ORDER BY s.wasted_s DESC NULLS LAST, s.start_ts, s.spiral_id
