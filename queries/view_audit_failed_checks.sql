-- title: Failed runs that can justify raising a wait (derived view audit_failed_checks)
-- description: Verification commands and commands that themselves wait (``kubectl wait
--   --timeout=…``, ``sleep 30 && curl …``) that failed, with their scope and position.
CREATE OR REPLACE VIEW audit_failed_checks AS
SELECT agent, session_id, scope, ord, result_ord, result_pos, result_ts, signature, check_key
FROM audit_check_runs
WHERE failed AND (is_verification OR has_wait) AND result_ord IS NOT NULL;
