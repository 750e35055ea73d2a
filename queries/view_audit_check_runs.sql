-- title: Every command run placed in its scope (derived view audit_check_runs)
-- description: fact_commands with the scope of its session and its position there (``pos``
--   for the call, ``result_pos`` for its result; see audit_session_order), so a spiral's
--   failures and its pass are looked for in every session of its feature.
CREATE OR REPLACE VIEW audit_check_runs AS
SELECT c.*, o.scope,
       o.session_no * 4294967296 + c.ord AS pos,
       o.session_no * 4294967296 + c.result_ord AS result_pos
FROM fact_commands c
JOIN audit_session_order o USING (agent, session_id);
