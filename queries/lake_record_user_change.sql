-- title: Record that a user was forgotten or renamed
-- description: The user's row in `team_users` (after lake_clear_user_change removed the old
--   one), so later pushes from any machine apply the change to their local rows too.
-- params: user, action, new, machine, at
INSERT INTO lake.team_users VALUES ($user, $action, $new, $machine, $at)
