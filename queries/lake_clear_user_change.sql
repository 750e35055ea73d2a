-- title: Remove a user's recorded change before a new one is recorded
-- params: user
DELETE FROM lake.team_users WHERE user_name = $user
