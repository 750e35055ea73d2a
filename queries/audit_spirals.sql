-- title: Timeout spirals
-- description: One row per spiral: a wait or timeout at one site (the same masked command,
--   or the same line or construct of one file) raised at least 3 times after failed checks,
--   ending at least 4x its initial value. values_s is the staircase (initial value first),
--   steps the same with timestamps. outcome: masked (the check passed after only wait
--   changes), fixed_by_logic (an edit that changed more than waits came before the pass),
--   unresolved (no pass in the session). wasted_s: from the first value to the end (the
--   pass when masked, else the first failure after the last raise). prose_mentions: the
--   assistant's own sentences about waits in that span (they corroborate, never decide).
-- params: since, until (UTC dates, inclusive, NULL = open), user_name, project, agent
WITH steps AS (
    SELECT spiral_id,
           list(value_s ORDER BY step) AS values_s,
           list({'ts': ts, 'value_s': value_s} ORDER BY step) AS steps
    FROM audit_spiral_steps
    GROUP BY spiral_id
)
SELECT spiral_finding_id(s.agent, s.session_id, s.site) AS finding_id, s.spiral_id, s.session_id, s.agent, s.user_name, s.project, s.git_branch,
       s.site, s.construct, s.source, s.file_path,
       st.values_s, st.steps, s.escalations, s.initial_s, s.final_s, s.ratio, s.wait_added_s,
       s.outcome, s.start_ts, s.end_ts, s.resolved_ts, s.wasted_s,
       s.verification_signature, s.prose_mentions
FROM audit_spirals s
JOIN steps st USING (spiral_id)
WHERE ($since IS NULL OR s.start_ts::DATE >= $since::DATE)
  AND ($until IS NULL OR s.start_ts::DATE <= $until::DATE)
  AND ($user_name IS NULL OR s.user_name = $user_name)
  AND ($project IS NULL OR s.project = $project)
  AND ($agent IS NULL OR s.agent = $agent)
ORDER BY s.start_ts, s.session_id, s.site
