-- title: Forget the pushed state of the sessions being pushed
-- description: Removes the team_sessions rows of the sessions in `_push_sessions` (registered
--   by the push), before their new rows are inserted.
DELETE FROM lake.team_sessions WHERE (agent, session_id) IN (SELECT agent, session_id FROM _push_sessions)
