-- title: Record the sessions a push published
-- description: Inserts the `_push_sessions` rows (agent, session, user, machine, fingerprint,
--   push id, time) registered by the push.
INSERT INTO lake.team_sessions BY NAME SELECT * FROM _push_sessions
