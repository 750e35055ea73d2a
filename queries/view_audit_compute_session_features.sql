-- title: Which feature each session belongs to (derived view audit_compute_session_features)
-- description: Repository: the name of the git remote when the agent recorded it, else the
--   remote of the clone the working directory is inside (another session of the user on the
--   branch recorded it), else the remote another session recorded for the same folder name, else the last folder of the
--   working directory (so clones of one repository in different home folders meet). A session on a branch other than a trunk belongs to ``repository@branch``;
--   trunk sessions only when resumed from or into another session
--   (``repository@branch~root``, root = the first session of the chain). Resume links: the
--   parent an agent recorded (Codex, Gemini), or a transcript file holding copies of an
--   earlier session's messages (Claude Code copies the resumed session into the new file;
--   sessions merely sharing a file, as Aider's history does, are not linked; two stored copies
--   of one history link nothing, as their sessions sit in the same set of files). Each session
--   keeps one parent (the recorded one, else the earliest), so the walk is a chain: at most 33
--   rows per session, and a recorded cycle ends at the depth bound. A rule of feature_rules
--   overrides both. Materialized as audit_session_features.
CREATE OR REPLACE VIEW audit_compute_session_features AS
WITH folders AS (
    SELECT s.*,
           nullif(regexp_replace(regexp_replace(s.git_repo, '(\.git)?/*$', ''), '^.*[/:]', ''), '') AS remote_name,
           nullif(regexp_replace(rtrim(s.project, '/'), '^.*/', ''), '') AS folder_name
    FROM sessions s
),
-- A clone whose folder is named otherwise than its remote (``shop-web`` for ``shop``): a session
-- that records both names the folder for sessions that record only the folder (Claude Code
-- records no remote), so one feature's sessions meet whichever agent ran them.
aliases AS (
    SELECT folder_name, min(remote_name) AS remote_name
    FROM folders
    WHERE remote_name IS NOT NULL AND folder_name IS NOT NULL AND folder_name <> remote_name
    GROUP BY folder_name
    HAVING count(DISTINCT remote_name) = 1
),
-- A session started in a folder inside a clone (``shop/services/api`` inside ``shop``) that
-- another session of the same person on the same branch recorded a remote for is in that
-- repository (the innermost such clone).
enclosing AS (
    SELECT agent, session_id, min(remote_name) AS remote_name
    FROM (
        SELECT s.agent, s.session_id, o.remote_name,
               rank() OVER (PARTITION BY s.agent, s.session_id ORDER BY length(o.project) DESC) AS depth_rank
        FROM folders s
        JOIN folders o
          ON o.user_name IS NOT DISTINCT FROM s.user_name AND o.git_branch = s.git_branch
         AND starts_with(s.project, rtrim(o.project, '/') || '/')
        WHERE s.remote_name IS NULL AND o.remote_name IS NOT NULL
    )
    WHERE depth_rank = 1
    GROUP BY agent, session_id
    HAVING count(DISTINCT remote_name) = 1
),
named AS (
    SELECT s.agent, s.session_id, s.user_name, s.project, s.git_branch, s.title, s.started_at, s.ended_at,
           s.parent_session_id,
           coalesce(s.remote_name, e.remote_name, a.remote_name, s.folder_name, '(unknown)') AS repository,
           coalesce(s.git_branch, '') IN ('', 'main', 'master', 'develop', 'trunk', 'HEAD') AS on_trunk
    FROM folders s
    LEFT JOIN enclosing e USING (agent, session_id)
    LEFT JOIN aliases a USING (folder_name)
),
copied_messages AS (
    SELECT agent, session_id, uuid
    FROM messages
    WHERE uuid IS NOT NULL
    GROUP BY agent, session_id, uuid
    HAVING count(DISTINCT source_path) > 1
),
copy_files AS (
    SELECT DISTINCT m.agent, m.session_id AS parent_id, m.source_path
    FROM messages m JOIN copied_messages USING (agent, session_id, uuid)
),
file_sessions AS (
    SELECT DISTINCT agent, source_path, session_id FROM messages
),
-- the files a session's messages are in: a resumed session's file holds a copy of its
-- parent, so the two are in different sets of files; two copies of one history put every
-- session of it in the same set, and copying a history links nothing
file_sets AS (
    SELECT agent, session_id, string_agg(DISTINCT source_path, chr(10) ORDER BY source_path) AS files
    FROM file_sessions GROUP BY agent, session_id
),
links AS (
    SELECT agent, session_id, parent_session_id AS parent_id
    FROM named WHERE parent_session_id IS NOT NULL AND parent_session_id <> session_id
    UNION
    -- a resumed session's file starts with a copy of the messages of the session it continues
    SELECT f.agent, f.session_id, c.parent_id
    FROM copy_files c
    JOIN file_sessions f ON f.agent = c.agent AND f.source_path = c.source_path AND f.session_id <> c.parent_id
    JOIN named child ON child.agent = f.agent AND child.session_id = f.session_id
    JOIN named parent ON parent.agent = c.agent AND parent.session_id = c.parent_id
    JOIN file_sets child_files ON child_files.agent = f.agent AND child_files.session_id = f.session_id
    JOIN file_sets parent_files ON parent_files.agent = c.agent AND parent_files.session_id = c.parent_id
    WHERE (parent.started_at, parent.session_id) < (child.started_at, child.session_id)
      AND child_files.files <> parent_files.files
),
parents AS (
    SELECT l.agent, l.session_id, l.parent_id
    FROM links l
    JOIN named child ON child.agent = l.agent AND child.session_id = l.session_id
    LEFT JOIN named parent ON parent.agent = l.agent AND parent.session_id = l.parent_id
    QUALIFY row_number() OVER (
        PARTITION BY l.agent, l.session_id
        ORDER BY (l.parent_id IS NOT DISTINCT FROM child.parent_session_id) DESC,
                 parent.started_at NULLS LAST, l.parent_id) = 1
),
walk AS (
    WITH RECURSIVE up(agent, session_id, root_id, depth) AS (
        SELECT agent, session_id, session_id, 0 FROM named
        UNION ALL
        SELECT up.agent, up.session_id, parents.parent_id, up.depth + 1
        FROM up JOIN parents ON parents.agent = up.agent AND parents.session_id = up.root_id
        WHERE up.depth < 32
    )
    SELECT agent, session_id, arg_max(root_id, depth) AS root_id FROM up GROUP BY agent, session_id
),
chained AS (
    SELECT w.agent, w.session_id, w.root_id,
           w.root_id <> w.session_id
           OR EXISTS (SELECT 1 FROM links l WHERE l.agent = w.agent AND l.parent_id = w.session_id) AS in_chain
    FROM walk w
),
first_rule AS (
    SELECT n.agent, n.session_id, min(r.position) AS position
    FROM named n
    JOIN feature_rules r
      ON (r.repository IS NULL OR n.repository GLOB r.repository)
     AND ((r.field = 'branch' AND n.git_branch GLOB r.pattern)
       OR (r.field = 'session' AND n.session_id GLOB r.pattern)
       OR (r.field = 'title' AND n.title GLOB r.pattern)
       OR (r.field = 'repository' AND n.repository GLOB r.pattern))
    GROUP BY n.agent, n.session_id
),
ruled AS (
    SELECT f.agent, f.session_id, any_value(r.name) AS rule_name, bool_or(r.ignore) AS rule_ignore
    FROM first_rule f JOIN feature_rules r USING (position)
    GROUP BY f.agent, f.session_id
)
SELECT n.agent, n.session_id, n.user_name, n.project, n.repository, n.git_branch, n.title,
       n.started_at, n.ended_at, c.root_id,
       CASE WHEN r.session_id IS NOT NULL THEN CASE WHEN r.rule_ignore THEN NULL ELSE r.rule_name END
            WHEN NOT n.on_trunk THEN n.repository || '@' || n.git_branch
            WHEN c.in_chain
                THEN n.repository || '@' || coalesce(nullif(n.git_branch, ''), 'HEAD') || '~' || left(c.root_id, 8)
       END AS feature,
       r.session_id IS NOT NULL AS by_rule
FROM named n
JOIN chained c USING (agent, session_id)
LEFT JOIN ruled r USING (agent, session_id);
