-- title: Sessions with facts but no stored events any more
-- description: Their transcript was rewritten without them; their facts are deleted.
SELECT f.agent, f.session_id
FROM fact_sessions f
WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.agent = f.agent AND m.session_id = f.session_id)
  AND NOT EXISTS (SELECT 1 FROM tool_calls c WHERE c.agent = f.agent AND c.session_id = f.session_id)
  AND NOT EXISTS (SELECT 1 FROM tool_results r WHERE r.agent = f.agent AND r.session_id = f.session_id)
ORDER BY f.agent, f.session_id
