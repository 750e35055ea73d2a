-- title: One row per feature and its 80% cliff (derived view audit_compute_features)
-- description: Its sessions, T80 (the earliest moment after which completion stays at or above
--   $completion_mark), wall-clock time before T80 (from the first session's start) and after it
--   (to the last edit), fix attempts in all and past T80, and the cliff: at least
--   $cliff_time_ratio times as much time after T80 as before it, with at least $cliff_min_fixes
--   fix attempts past T80. Working time (active_seconds_*: gaps between events up to 15
--   minutes) is given too; the cliff uses wall-clock time, as a feature that drags on for weeks
--   is the cliff even when each session is short. Materialized as audit_features.
CREATE OR REPLACE VIEW audit_compute_features AS
WITH session_features AS (
    SELECT * FROM audit_session_features WHERE feature IS NOT NULL
),
completion AS (
    SELECT * FROM audit_completion
),
members AS (
    SELECT feature,
           list(session_id ORDER BY started_at, session_id) AS sessions,
           list(DISTINCT agent ORDER BY agent) AS agents,
           list(DISTINCT user_name ORDER BY user_name) AS users,
           first(repository ORDER BY started_at, session_id) AS repository,
           first(git_branch ORDER BY started_at, session_id) AS git_branch,
           first(project ORDER BY started_at, session_id) AS project,
           min(started_at) AS started_at,
           bool_or(by_rule) AS by_rule
    FROM session_features
    GROUP BY feature
),
marks AS (
    SELECT feature,
           max(ts) FILTER (WHERE completion < $completion_mark) AS last_below,
           max(ts) AS last_line_ts,
           any_value(final_lines) AS final_lines
    FROM completion
    GROUP BY feature
),
t80 AS (
    SELECT c.feature, min(c.ts) AS t80
    FROM completion c
    JOIN marks m USING (feature)
    WHERE c.completion >= $completion_mark AND (m.last_below IS NULL OR c.ts > m.last_below)
    GROUP BY c.feature
),
edits AS (
    SELECT f.feature, max(e.ts) AS last_edit_ts, count(DISTINCT e.call_id) AS edit_calls
    FROM fact_edits e
    JOIN session_features f USING (agent, session_id)
    GROUP BY f.feature
),
fixes AS (
    SELECT p.feature,
           count(*) AS patches_total,
           count(*) FILTER (WHERE p.start_ts > t.t80) AS patches_after_80,
           count(*) FILTER (WHERE p.start_ts > t.t80 AND p.is_local) AS local_patches_after_80,
           count(*) FILTER (WHERE p.is_local) AS local_patches,
           count(*) FILTER (WHERE p.broke_something) AS regressions
    FROM audit_patches p
    LEFT JOIN t80 t USING (feature)
    WHERE p.feature IS NOT NULL
    GROUP BY p.feature
),
activity AS (
    -- working time: stretches of activity of the feature's sessions, split at T80
    SELECT f.feature,
           sum(greatest(date_diff('millisecond', a.span_start, least(a.span_end, t.t80)), 0)) / 1000.0
               AS active_seconds_before_80,
           sum(greatest(date_diff('millisecond', greatest(a.span_start, t.t80), a.span_end), 0)) / 1000.0
               AS active_seconds_after_80
    FROM fact_active_spans a
    JOIN session_features f USING (agent, session_id)
    JOIN t80 t USING (feature)
    GROUP BY f.feature
),
timed AS (
    SELECT m.*, t.t80, k.final_lines, e.last_edit_ts, coalesce(e.edit_calls, 0) AS edit_calls,
           coalesce(x.patches_total, 0) AS patches_total,
           coalesce(x.patches_after_80, 0) AS patches_after_80,
           coalesce(x.local_patches, 0) AS local_patches,
           coalesce(x.local_patches_after_80, 0) AS local_patches_after_80,
           coalesce(x.regressions, 0) AS regressions,
           greatest(date_diff('millisecond', m.started_at, t.t80), 0) / 1000.0 AS seconds_before_80,
           greatest(date_diff('millisecond', t.t80, e.last_edit_ts), 0) / 1000.0 AS seconds_after_80,
           a.active_seconds_before_80, a.active_seconds_after_80
    FROM members m
    LEFT JOIN t80 t USING (feature)
    LEFT JOIN marks k USING (feature)
    LEFT JOIN edits e USING (feature)
    LEFT JOIN fixes x USING (feature)
    LEFT JOIN activity a USING (feature)
)
SELECT *,
       CASE WHEN patches_total > 0 THEN local_patches / patches_total END AS local_share,
       coalesce(t80 IS NOT NULL AND seconds_after_80 >= $cliff_time_ratio * seconds_before_80 AND patches_after_80 >= $cliff_min_fixes, false)
           AS cliff
FROM timed;
