-- title: Guard decisions by rule
-- description: Per rule and decision between $since and $until (UTC timestamps, NULL for
--   open): how many, in how many sessions, and the wait budget never spent (seconds the
--   stopped raises would have waited).
SELECT rule, decision, count(*) AS decisions, count(DISTINCT session_id) AS sessions,
       coalesce(sum(budget_s) FILTER (WHERE decision IN ('deny', 'ask')), 0) AS budget_saved_s
FROM guard_decisions
WHERE ($since IS NULL OR ts >= $since) AND ($until IS NULL OR ts < $until)
GROUP BY rule, decision
ORDER BY rule, decision
