-- title: The worst audit findings of a period
-- description: Up to `limit` findings of each kind, worst first, with the transcript line to
--   open: the timeout spirals that took longest; the exotic explanations the next fix refuted
--   (then by how exotic they read); the cliff features with the most fixes past t80, linked to
--   their first such fix. UTC dates, inclusive: when the spiral started, the sentence was
--   written, the feature was patched.
-- params: since, until, user_name, project, agent, limit
WITH spirals AS (
    SELECT 'spiral' AS kind, s.agent, s.session_id, s.user_name, s.project, s.wasted_s AS severity,
           s.kind AS wait_kind, s.escalations, s.initial_s, s.final_s, s.outcome, s.site,
           NULL AS text, NULL AS category, NULL::BOOLEAN AS refuted,
           NULL AS feature, NULL::BIGINT AS patches_after_80, NULL::DOUBLE AS hours_before_80,
           NULL::DOUBLE AS hours_after_80, s.start_ord
    FROM audit_spirals s
    WHERE ($since IS NULL OR s.start_ts::DATE >= $since::DATE)
      AND ($until IS NULL OR s.start_ts::DATE <= $until::DATE)
      AND ($user_name IS NULL OR s.user_name = $user_name)
      AND ($project IS NULL OR s.project = $project)
      AND ($agent IS NULL OR s.agent = $agent)
    ORDER BY s.wasted_s DESC NULLS LAST, s.spiral_id
    LIMIT $limit
),
spiral_lines AS (
    SELECT s.agent, s.session_id, s.start_ord, arg_min(w.line_no, w.ord) AS line_no
    FROM spirals s
    JOIN fact_waits w ON w.agent = s.agent AND w.session_id = s.session_id AND w.site_key = s.site
                     AND w.ord >= s.start_ord
    GROUP BY ALL
),
exotic AS (
    SELECT 'exotic' AS kind, e.agent, e.session_id, e.user_name, e.project,
           e.score + CASE WHEN e.refuted THEN 1 ELSE 0 END AS severity, e.text, e.category, e.refuted, e.line_no
    FROM fact_explanations e
    WHERE e.verdict = 'exotic'
      AND ($since IS NULL OR e.ts::DATE >= $since::DATE)
      AND ($until IS NULL OR e.ts::DATE <= $until::DATE)
      AND ($user_name IS NULL OR e.user_name = $user_name)
      AND ($project IS NULL OR e.project = $project)
      AND ($agent IS NULL OR e.agent = $agent)
    ORDER BY severity DESC, e.ts, e.session_id
    LIMIT $limit
),
late_fixes AS (
    SELECT p.feature, p.agent, p.session_id, p.start_ts, p.call_ids[1] AS call_id, p.user_name, p.project
    FROM audit_patches p
    JOIN audit_features f USING (feature)
    WHERE f.cliff AND p.start_ts > f.t80
      AND ($since IS NULL OR p.start_ts::DATE >= $since::DATE)
      AND ($until IS NULL OR p.start_ts::DATE <= $until::DATE)
      AND ($user_name IS NULL OR p.user_name = $user_name)
      AND ($project IS NULL OR p.project = $project)
      AND ($agent IS NULL OR p.agent = $agent)
),
cliffs AS (
    SELECT 'cliff' AS kind, first.agent, first.session_id, first.user_name, first.project,
           f.patches_after_80 AS severity, f.feature, f.patches_after_80,
           f.seconds_before_80 / 3600.0 AS hours_before_80, f.seconds_after_80 / 3600.0 AS hours_after_80,
           first.call_id
    FROM audit_features f
    JOIN (SELECT feature, arg_min(late_fixes, start_ts) AS first FROM late_fixes GROUP BY feature) USING (feature)
    ORDER BY f.patches_after_80 DESC, f.feature
    LIMIT $limit
)
SELECT s.kind, s.agent, s.session_id, s.user_name, s.project, s.severity, s.wait_kind, s.escalations,
       s.initial_s, s.final_s, s.outcome, s.site, NULL AS text, NULL AS category, NULL::BOOLEAN AS refuted,
       NULL AS feature, NULL::BIGINT AS patches_after_80, NULL::DOUBLE AS hours_before_80,
       NULL::DOUBLE AS hours_after_80, l.line_no
FROM spirals s LEFT JOIN spiral_lines l USING (agent, session_id, start_ord)
UNION ALL BY NAME
SELECT kind, agent, session_id, user_name, project, severity, text, category, refuted, line_no
FROM exotic
UNION ALL BY NAME
SELECT c.kind, c.agent, c.session_id, c.user_name, c.project, c.severity, c.feature, c.patches_after_80,
       c.hours_before_80, c.hours_after_80, t.line_no
FROM cliffs c
LEFT JOIN tool_calls t ON t.agent = c.agent AND t.session_id = c.session_id AND t.call_id = c.call_id
ORDER BY kind, severity DESC
