-- title: The staircase of each spiral (derived view audit_compute_spiral_steps)
-- description: The initial value, then every value the site took from the first escalation
--   to the last, in whichever of the feature's sessions it was set (session_id per step).
--   Reads audit_spirals. Materialized as audit_spiral_steps.
CREATE OR REPLACE VIEW audit_compute_spiral_steps AS
WITH steps AS (
    SELECT s.spiral_id, w.agent, w.session_id, s.user_name, s.project,
           w.ts, w.pos::DOUBLE AS pos, w.seconds AS value_s, w.previous_s, w.is_escalation, w.source, w.raw
    FROM audit_spirals s
    JOIN audit_wait_steps w
      ON w.scope = s.scope AND w.site = s.chain_site AND w.chain_session_no = s.chain_session_no
     AND w.pos BETWEEN s.start_pos AND s.last_pos
    WHERE w.pos > s.start_pos OR w.is_escalation
),
changes AS (
    SELECT * FROM steps WHERE previous_s IS NULL OR value_s <> previous_s
),
initial AS (
    SELECT s.spiral_id, s.agent, s.session_id, s.user_name, s.project, s.start_ts AS ts, s.start_pos - 0.5 AS pos,
           s.initial_s AS value_s, NULL::DOUBLE AS previous_s, false AS is_escalation, NULL AS source, NULL AS raw
    FROM audit_spirals s
)
SELECT spiral_id, agent, session_id, user_name, project,
       (row_number() OVER (PARTITION BY spiral_id ORDER BY pos) - 1)::INTEGER AS step,
       ts, value_s, is_escalation, source, raw
FROM (SELECT * FROM initial UNION ALL BY NAME SELECT * FROM changes);
