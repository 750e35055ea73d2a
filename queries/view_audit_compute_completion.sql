-- title: The completion curve of each feature (derived view audit_compute_completion)
-- description: Replaying the lines its edits added and removed in time order, the share of
--   the lines the feature leaves at the end (its final code) that already existed after each
--   moment. A line counts once per copy in a file. Materialized as audit_completion.
CREATE OR REPLACE VIEW audit_compute_completion AS
WITH lines AS (
    SELECT f.feature, l.ts, l.session_id, l.ord, l.file_path, l.line_hash, l.delta
    FROM fact_edit_lines l
    JOIN audit_session_features f USING (agent, session_id)
    WHERE f.feature IS NOT NULL AND l.ts IS NOT NULL
),
running AS (
    SELECT *,
           sum(delta) OVER (PARTITION BY feature, file_path, line_hash ORDER BY ts, session_id, ord
                            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS count_after,
           sum(delta) OVER (PARTITION BY feature, file_path, line_hash) AS count_final
    FROM lines
),
gains AS (
    SELECT feature, ts,
           least(greatest(count_after, 0), greatest(count_final, 0))
             - least(greatest(count_after - delta, 0), greatest(count_final, 0)) AS gain
    FROM running
),
totals AS (
    SELECT feature, sum(greatest(count_final, 0)) AS final_lines
    FROM (SELECT DISTINCT feature, file_path, line_hash, count_final FROM running)
    GROUP BY feature
),
per_moment AS (
    SELECT feature, ts, sum(gain) AS gain FROM gains GROUP BY feature, ts
)
SELECT p.feature, p.ts,
       sum(p.gain) OVER (PARTITION BY p.feature ORDER BY p.ts) / t.final_lines AS completion,
       t.final_lines
FROM per_moment p
JOIN totals t USING (feature)
WHERE t.final_lines > 0;
