-- title: Timeout spiral staircases
-- description: Every value each spiral's site took, in order: step 0 is the initial value,
--   then one row per change up to the last escalation (is_escalation: raised after a failed
--   check). For the staircase chart. With `spirals`, only the steps of the first that many
--   spirals in dash_spirals' order (longest wasted time first): the ones the Spirals page charts.
-- params: since, until (UTC dates of the spiral's start), user_name, project, agent, spiral_id, spirals (INTEGER, NULL = all)
WITH chosen AS (
    SELECT spiral_id, start_ts
    FROM audit_spirals s
    WHERE ($since IS NULL OR s.start_ts::DATE >= $since::DATE)
      AND ($until IS NULL OR s.start_ts::DATE <= $until::DATE)
      AND ($user_name IS NULL OR s.user_name = $user_name)
      AND ($project IS NULL OR s.project = $project)
      AND ($agent IS NULL OR s.agent = $agent)
      AND ($spiral_id IS NULL OR s.spiral_id = $spiral_id)
    ORDER BY s.wasted_s DESC NULLS LAST, s.start_ts, s.spiral_id
    LIMIT $spirals
)
SELECT st.spiral_id, st.session_id, st.agent, st.user_name, st.project, st.step, st.ts, st.value_s,
       st.is_escalation, st.source, st.raw
FROM audit_spiral_steps st
JOIN chosen s USING (spiral_id)
ORDER BY s.start_ts, st.spiral_id, st.step
