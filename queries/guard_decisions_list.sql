-- title: Guard decisions
-- description: What the live guard decided, newest first: session, time (UTC), rule
--   (spiral | exotic | cliff), decision (deny | ask | block | note | allow), the site or
--   claim, and the reason it gave, with the wait it kept from being spent.
SELECT ts, agent, session_id, rule, decision, mode, site, value_s, budget_s, reason
FROM guard_decisions
WHERE ($session_id IS NULL OR session_id = $session_id)
ORDER BY ts DESC, decision_id
LIMIT coalesce($limit, 1000)
