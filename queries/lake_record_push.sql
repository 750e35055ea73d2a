-- title: Record one push in the lake's push log
-- description: Who pushed what, when, with which dashcam and schema, after how many attempts.
-- params: push_id, machine, users, at, sessions, rows, text, version, schema, attempts
INSERT INTO lake.team_pushes VALUES ($push_id, $machine, $users, $at, $sessions, $rows, $text, $version, $schema, $attempts)
