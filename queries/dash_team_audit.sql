-- title: Audit findings per user or per project
-- description: For each user (by = 'user') or project (by = 'project'): spirals started and the
--   time they took (audit_spirals), explanations after failures and how many were exotic
--   (audit_explanations), and failed commands (the denominator of the exotic rate, as in
--   audit_exotic_rate). UTC dates, inclusive.
-- params: by (user|project), since, until, user_name, project, agent
WITH spirals AS (
    SELECT CASE $by WHEN 'project' THEN coalesce(project, '(unknown)') ELSE user_name END AS member,
           count(*) AS spirals, sum(wasted_s) / 60.0 AS spiral_wait_minutes
    FROM audit_spirals
    WHERE ($since IS NULL OR start_ts::DATE >= $since::DATE)
      AND ($until IS NULL OR start_ts::DATE <= $until::DATE)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($agent IS NULL OR agent = $agent)
    GROUP BY 1
),
explained AS (
    SELECT CASE $by WHEN 'project' THEN coalesce(project, '(unknown)') ELSE user_name END AS member,
           count(*) AS explanations, count(*) FILTER (WHERE verdict = 'exotic') AS exotic_explanations
    FROM fact_explanations
    WHERE ($since IS NULL OR ts::DATE >= $since::DATE)
      AND ($until IS NULL OR ts::DATE <= $until::DATE)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($agent IS NULL OR agent = $agent)
    GROUP BY 1
),
failed AS (
    SELECT CASE $by WHEN 'project' THEN coalesce(project, '(unknown)') ELSE user_name END AS member,
           count(*) AS failed_commands
    FROM fact_commands
    WHERE failed AND ts IS NOT NULL
      AND ($since IS NULL OR ts::DATE >= $since::DATE)
      AND ($until IS NULL OR ts::DATE <= $until::DATE)
      AND ($user_name IS NULL OR user_name = $user_name)
      AND ($project IS NULL OR project = $project)
      AND ($agent IS NULL OR agent = $agent)
    GROUP BY 1
)
SELECT member,
       coalesce(s.spirals, 0)               AS spirals,
       coalesce(s.spiral_wait_minutes, 0)   AS spiral_wait_minutes,
       coalesce(e.explanations, 0)          AS explanations,
       coalesce(e.exotic_explanations, 0)   AS exotic_explanations,
       coalesce(f.failed_commands, 0)       AS failed_commands
FROM spirals s
FULL JOIN explained e USING (member)
FULL JOIN failed f USING (member)
ORDER BY member
