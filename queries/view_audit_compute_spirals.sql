-- title: Timeout spirals (derived view audit_compute_spirals)
-- description: One row per spiral: a site whose value escalated at least
--   $spiral_min_escalations times to at least $spiral_min_ratio x its initial value, in one
--   session or across the sessions of one feature (audit_wait_steps). The spiral belongs to the
--   session of its first raise (agent, session_id, start_ord); ``sessions`` lists every session
--   it spans, and wasted_s leaves out the time between them. Outcome: the first pass of the
--   failing check (same check_key) after the last escalation decides — masked when only wait
--   changes came before it, fixed_by_logic when an edit that changed more than waits did,
--   unresolved when no pass followed in the feature's sessions. Materialized as audit_spirals.
CREATE OR REPLACE VIEW audit_compute_spirals AS
WITH escalations AS (
    SELECT *,
           -- Where the staircase starts: the value it raised, else the failure it answered, else
           -- itself, in the escalation's own session (a value set in an earlier session of the
           -- feature is the staircase's first step, not the start of the time it wasted).
           CASE WHEN previous_pos // 4294967296 = pos // 4294967296
                    THEN {'pos': previous_pos, 'agent': previous_agent, 'session_id': previous_session_id,
                          'ord': previous_ord, 'ts': previous_ts}
                WHEN last_failure_pos // 4294967296 = pos // 4294967296
                    THEN {'pos': last_failure_pos, 'agent': last_failure_agent, 'session_id': last_failure_session_id,
                          'ord': last_failure_ord, 'ts': last_failure_ts}
                ELSE {'pos': pos, 'agent': agent, 'session_id': session_id, 'ord': ord, 'ts': ts}
           END AS origin
    FROM audit_wait_steps
    WHERE is_escalation
),
chains AS (
    SELECT scope, site, chain_session_no,
           count(*)                                  AS escalations,
           min(pos)                                  AS first_pos,
           max(pos)                                  AS last_pos,
           arg_max(ord, pos)                         AS last_ord,
           arg_min(previous_s, pos)                  AS initial_s,
           arg_max(seconds, pos)                     AS final_s,
           sum(seconds - previous_s)                 AS wait_added_s,
           arg_min(origin, pos)                      AS origin,
           arg_max(ts, pos)                          AS last_escalation_ts,
           arg_max(anchor_signature, pos)            AS anchor_signature,
           arg_max(anchor_check, pos)                AS anchor_check,
           arg_min(construct, pos)                   AS construct,
           arg_min(source, pos)                      AS source,
           arg_min(file_path, pos)                   AS file_path,
           arg_min(kind, pos)                        AS kind,
           arg_min(user_name, pos)                   AS user_name,
           arg_min(project, pos)                     AS project,
           arg_min(git_branch, pos)                  AS git_branch
    FROM escalations
    GROUP BY scope, site, chain_session_no
),
spirals AS (
    -- Two waits raised by the same calls (a loop's sleep and its total budget, a timeout and
    -- its poll interval) are one spiral: keep the wait that bounds the whole wait.
    SELECT * EXCLUDE (origin),
           origin.agent AS agent, origin.session_id AS session_id, origin.pos AS start_pos,
           origin.ord AS start_ord, origin.ts AS start_ts
    FROM chains
    WHERE escalations >= $spiral_min_escalations AND initial_s > 0 AND final_s / initial_s >= $spiral_min_ratio
    QUALIFY row_number() OVER (
        PARTITION BY scope, first_pos, last_pos
        ORDER BY CASE WHEN construct IN ('retry loop', 'probe budget') THEN 0
                      WHEN kind = 'timeout' THEN 1 WHEN kind = 'wait' THEN 2 ELSE 3 END, site) = 1
),
passes AS (
    SELECT s.scope, s.site, s.chain_session_no,
           min(c.result_pos) AS pass_pos,
           arg_min(c.result_ts, c.result_pos) AS pass_ts
    FROM spirals s
    JOIN audit_check_runs c
      ON c.scope = s.scope AND c.check_key = s.anchor_check AND NOT c.failed AND c.result_pos > s.last_pos
    GROUP BY s.scope, s.site, s.chain_session_no
),
later_failures AS (
    SELECT s.scope, s.site, s.chain_session_no,
           arg_min(f.result_ts, f.result_pos) AS failure_ts
    FROM spirals s
    JOIN audit_failed_checks f
      ON f.scope = s.scope AND f.check_key = s.anchor_check AND f.result_pos > s.last_pos
    GROUP BY s.scope, s.site, s.chain_session_no
),
placed_edits AS (
    SELECT o.scope, o.session_no * 4294967296 + e.ord AS pos
    FROM fact_edits e
    JOIN audit_session_order o USING (agent, session_id)
    WHERE NOT e.wait_only AND e.op IS DISTINCT FROM 'format'  -- a formatter's rewrite fixes no logic
),
logic_edits AS (
    SELECT s.scope, s.site, s.chain_session_no, count(e.pos) AS logic_edits
    FROM spirals s
    LEFT JOIN passes p USING (scope, site, chain_session_no)
    LEFT JOIN placed_edits e
           ON e.scope = s.scope AND e.pos > s.last_pos AND e.pos < coalesce(p.pass_pos, 9223372036854775807)
    GROUP BY s.scope, s.site, s.chain_session_no
),
outcomes AS (
    SELECT s.*, p.pass_pos, p.pass_ts, l.logic_edits,
           CASE WHEN p.pass_pos IS NULL THEN 'unresolved'
                WHEN l.logic_edits > 0 THEN 'fixed_by_logic'
                ELSE 'masked' END AS outcome,
           CASE WHEN p.pass_pos IS NOT NULL AND l.logic_edits = 0 THEN p.pass_ts
                ELSE coalesce(f.failure_ts, s.last_escalation_ts) END AS end_ts
    FROM spirals s
    LEFT JOIN passes p USING (scope, site, chain_session_no)
    LEFT JOIN logic_edits l USING (scope, site, chain_session_no)
    LEFT JOIN later_failures f USING (scope, site, chain_session_no)
),
placed_prose AS (
    SELECT o.scope, o.session_no * 4294967296 + w.ord AS pos
    FROM fact_waits w
    JOIN audit_session_order o USING (agent, session_id)
    WHERE w.source = 'prose'
),
prose AS (
    SELECT o.scope, o.site, o.chain_session_no, count(w.pos) AS prose_mentions
    FROM outcomes o
    LEFT JOIN placed_prose w
           ON w.scope = o.scope AND w.pos >= o.start_pos AND w.pos <= coalesce(o.pass_pos, o.last_pos)
    GROUP BY o.scope, o.site, o.chain_session_no
),
spanned AS (
    -- the sessions the staircase runs through, from its start to its pass (or last raise)
    SELECT o.scope, o.site, o.chain_session_no,
           list(so.session_id ORDER BY so.session_no) AS sessions,
           list({'started_at': so.started_at, 'ended_at': so.ended_at} ORDER BY so.session_no) AS spans
    FROM outcomes o
    JOIN audit_session_order so
      ON so.scope = o.scope
     AND so.session_no BETWEEN o.start_pos // 4294967296 AND coalesce(o.pass_pos, o.last_pos) // 4294967296
    GROUP BY o.scope, o.site, o.chain_session_no
),
idle AS (
    -- the time between consecutive sessions of the staircase: nobody waited on the site then
    SELECT o.scope, o.site, o.chain_session_no,
           coalesce(sum(greatest(date_diff('millisecond', greatest(gap.idle_from, o.start_ts),
                                           least(gap.idle_to, o.end_ts)), 0))
                        FILTER (WHERE gap.idle_from IS NOT NULL AND gap.idle_to IS NOT NULL), 0) / 1000.0 AS idle_s
    FROM outcomes o
    JOIN spanned sp USING (scope, site, chain_session_no)
    LEFT JOIN LATERAL (
        SELECT sp.spans[i].ended_at AS idle_from, sp.spans[i + 1].started_at AS idle_to
        FROM range(1, len(sp.spans)) AS r(i)
    ) gap ON true
    GROUP BY o.scope, o.site, o.chain_session_no
),
named AS (
    -- the spiral is named (site, spiral_id, finding id) by the chain's first wait in the session
    -- it starts in, as if that session were alone: a staircase that continues into later
    -- sessions keeps the name it had
    SELECT o.scope, o.site, o.chain_session_no, arg_min(w.site_key, w.fact_no) AS own_site
    FROM outcomes o
    JOIN audit_wait_steps w
      ON w.scope = o.scope AND w.site = o.site AND w.chain_session_no = o.chain_session_no
     AND w.pos // 4294967296 = o.start_pos // 4294967296
    GROUP BY o.scope, o.site, o.chain_session_no
)
SELECT md5(o.agent || '/' || o.session_id || '/' || coalesce(n.own_site, o.site)) AS spiral_id,
       o.agent, o.session_id, o.user_name, o.project, o.git_branch,
       coalesce(n.own_site, o.site) AS site, o.construct, o.source, o.kind, o.file_path,
       o.escalations, o.initial_s, o.final_s, o.final_s / o.initial_s AS ratio, o.wait_added_s,
       o.start_ts, o.end_ts, date_diff('millisecond', o.start_ts, o.end_ts) / 1000.0 - i.idle_s AS wasted_s,
       o.outcome, o.pass_ts AS resolved_ts, o.anchor_signature AS verification_signature,
       o.anchor_check AS verification_check,
       p.prose_mentions, o.start_ord, o.last_ord,
       o.scope, o.site AS chain_site, o.chain_session_no, sp.sessions, o.start_pos, o.last_pos
FROM outcomes o
JOIN prose p USING (scope, site, chain_session_no)
JOIN spanned sp USING (scope, site, chain_session_no)
JOIN idle i USING (scope, site, chain_session_no)
LEFT JOIN named n USING (scope, site, chain_session_no);
