-- title: Add one guard decision
-- description: Insert a decision read from the guard's spool unless it is already loaded
--   (the spool is re-read whole; decision_id is a hash of its line).
INSERT INTO guard_decisions
SELECT $decision_id, $agent, $session_id, $ts::TIMESTAMPTZ::TIMESTAMP, $event, $rule, $decision, $mode,
       $site, $value_s, $budget_s, $tool_name, $reason, $history, now()::TIMESTAMP
WHERE NOT EXISTS (SELECT 1 FROM guard_decisions WHERE decision_id = $decision_id)
