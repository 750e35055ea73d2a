-- title: The team lake's own tables, beside dashcam's event and fact tables
-- description: ``team_sessions``: what each session looked like when it was last pushed (its
--   fingerprint, user, machine, push), the lake's ledger: a push sends only sessions whose local
--   fingerprint differs. ``team_pushes``: one row per push that published something.
--   ``team_users``: users forgotten (their rows deleted, later pushes skip them) or renamed
--   (later pushes store them under the new name). Run with the lake attached as ``lake``.
CREATE TABLE IF NOT EXISTS lake.team_sessions (
    agent        VARCHAR NOT NULL,
    session_id   VARCHAR NOT NULL,
    user_name    VARCHAR,
    machine      VARCHAR NOT NULL,
    fingerprint  VARCHAR NOT NULL,
    push_id      VARCHAR NOT NULL,
    pushed_at    TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS lake.team_pushes (
    push_id         VARCHAR NOT NULL,
    machine         VARCHAR NOT NULL,
    users           VARCHAR,
    pushed_at       TIMESTAMP NOT NULL,
    sessions        INTEGER NOT NULL,
    rows            BIGINT NOT NULL,
    include_text    BOOLEAN NOT NULL,
    tool_version    VARCHAR,
    schema_version  INTEGER,
    attempts        INTEGER
);
CREATE TABLE IF NOT EXISTS lake.team_users (
    user_name  VARCHAR NOT NULL,
    action     VARCHAR NOT NULL,   -- forget | rename
    new_name   VARCHAR,
    machine    VARCHAR,
    changed_at TIMESTAMP NOT NULL
);
-- One row, updated by every push, forget and rename: two of them running at once both change
-- this row, so DuckLake refuses the later commit and it is retried on the new snapshot. This
-- makes pushes of the same session from two machines replace each other instead of both
-- appending it (DuckLake lets concurrent appends to one table through without a conflict).
CREATE TABLE IF NOT EXISTS lake.team_head (
    push_id     VARCHAR,
    machine     VARCHAR,
    changed_at  TIMESTAMP
);
INSERT INTO lake.team_head SELECT NULL, NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM lake.team_head);
