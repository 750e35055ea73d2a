-- title: What the team lake holds, per user and machine
-- description: Sessions, pushes and the last push time for every (user, machine) in the lake's
--   ledger. Run with the lake attached as ``lake``.
SELECT s.user_name, s.machine, count(*) AS sessions, count(DISTINCT s.push_id) AS pushes,
       max(s.pushed_at) AS last_push
FROM lake.team_sessions s
GROUP BY s.user_name, s.machine
ORDER BY s.user_name, s.machine
