-- title: Sessions already in the team lake, with the fingerprint of what was pushed
-- description: A push skips a session whose local fingerprint equals the pushed one.
SELECT agent, session_id, fingerprint FROM lake.team_sessions
