-- title: Users forgotten or renamed in the team lake
-- description: One row per user a `dashcam team forget` / `rename` changed: the action and the
--   new name (NULL when forgotten). A push applies them to local rows before publishing, in the
--   order they were made; `team status` lists them by name.
-- params: by_name (BOOLEAN: order by user name instead of by time)
SELECT user_name, action, new_name
FROM lake.team_users
ORDER BY CASE WHEN coalesce($by_name, FALSE) THEN user_name END, changed_at, user_name
