-- title: Where each session stands in the work it continues (derived view audit_session_order)
-- description: A wait site's steps continue across the sessions of one feature (a resumed
--   session, the next day's session on the branch), so the spiral views order facts by
--   ``scope`` (the feature, else the session alone) and ``session_no`` (the session's rank in
--   its scope by start time). A session that starts before an earlier session of its feature
--   has ended runs beside it, not after it (two agents on one branch at once): it is a scope of
--   its own. ``pos`` in the views below is session_no * 2^32 + ord: an ordinal that runs on from
--   one session of a feature into the next.
CREATE OR REPLACE VIEW audit_session_order AS
WITH featured AS (
    SELECT s.agent, s.session_id, f.feature, f.started_at, f.ended_at
    FROM fact_sessions s
    LEFT JOIN audit_session_features f USING (agent, session_id)
),
placed AS (
    SELECT *,
           coalesce(started_at < max(ended_at) OVER (
               PARTITION BY feature ORDER BY started_at, agent, session_id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS beside_earlier
    FROM featured
),
scoped AS (
    SELECT agent, session_id, started_at, ended_at,
           CASE WHEN feature IS NOT NULL AND NOT beside_earlier THEN 'feature ' || feature
                ELSE 'session ' || agent || '/' || session_id END AS scope
    FROM placed
)
SELECT agent, session_id, scope, started_at, ended_at,
       row_number() OVER (PARTITION BY scope ORDER BY started_at NULLS LAST, agent, session_id)::BIGINT AS session_no
FROM scoped;
