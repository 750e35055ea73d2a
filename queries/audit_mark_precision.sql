-- title: The team's measured precision, per audit and per rule
-- description: From the marks people set: per audit (explanation verdicts apart: exotic,
--   legit, mundane; spiral; cliff) and per rule (the cue rules that fired, the wait
--   construct, cliff), how many findings were marked, how many right, and precision =
--   right / marked. Reads the snapshot stored with each mark, so it measures what people saw.
-- params: none
WITH marks AS (
    SELECT kind, CASE WHEN kind = 'explanation' THEN verdict ELSE kind END AS audit, mark, rules
    FROM audit_marks
),
per_audit AS (
    SELECT 'audit' AS level, kind, audit, NULL::VARCHAR AS rule,
           count(*) AS marked, count(*) FILTER (WHERE mark = 'right') AS right_marks
    FROM marks
    GROUP BY ALL
),
per_rule AS (
    SELECT 'rule' AS level, kind, audit, rule,
           count(*) AS marked, count(*) FILTER (WHERE mark = 'right') AS right_marks
    FROM (SELECT kind, audit, mark, unnest(coalesce(json_extract_string(rules, '$[*]'), [])) AS rule FROM marks)
    GROUP BY ALL
)
SELECT level, kind, audit, rule, marked, right_marks, right_marks / marked AS precision
FROM (SELECT * FROM per_audit UNION ALL SELECT * FROM per_rule)
ORDER BY level, kind, audit, rule NULLS FIRST
