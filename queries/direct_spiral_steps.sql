-- title: (the reference form) Timeout spiral staircases
-- description: Every value each spiral's site took, in order: step 0 is the initial value,
--   then one row per change up to the last escalation (is_escalation: raised after a failed
--   check). For the staircase chart. The plain form of audit_spiral_steps.sql (every spiral):
--   the reference the tests hold it to.
-- params: since, until (UTC dates of the spiral's start), user_name, project, agent, spiral_id
SELECT st.spiral_id, st.session_id, st.agent, st.user_name, st.project, st.step, st.ts, st.value_s,
       st.is_escalation, st.source, st.raw
FROM audit_spiral_steps st
JOIN audit_spirals s USING (spiral_id)
WHERE ($since IS NULL OR s.start_ts::DATE >= $since::DATE)
  AND ($until IS NULL OR s.start_ts::DATE <= $until::DATE)
  AND ($user_name IS NULL OR s.user_name = $user_name)
  AND ($project IS NULL OR s.project = $project)
  AND ($agent IS NULL OR s.agent = $agent)
  AND ($spiral_id IS NULL OR st.spiral_id = $spiral_id)
ORDER BY s.start_ts, st.spiral_id, st.step
