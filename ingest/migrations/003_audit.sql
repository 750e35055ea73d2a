-- 003_audit: the behaviour audits derived from the fact tables: timeout spirals, features,
-- completion curves, fix attempts (patches), the 80% cliff.
-- Each audit_compute_* view says how one derived table is computed; the table of the same
-- name without "compute" holds its rows, rebuilt in dependency order by
-- queries/audit_rebuild.sql whenever facts or feature rules change (ingest, `dashcam audit`).
-- Materialized because the feature views are too slow to recompute per dashboard query on a
-- large store: on 1M messages (2.2M edit lines) computing them takes ~5 s, reading the
-- tables a few ms. Tables are created from their view (LIMIT 0) so the columns are defined once.

-- ---------------------------------------------------------------- timeout spirals

-- Runs whose failure can justify raising a wait: verification commands and commands that
-- themselves wait (``kubectl wait --timeout=…``, ``sleep 30 && curl …``).
CREATE VIEW audit_failed_checks AS
SELECT agent, session_id, ord, result_ord, result_ts, signature, check_key
FROM fact_commands
WHERE failed AND (is_verification OR has_wait) AND result_ord IS NOT NULL;

-- Every wait value set by a command or an edit, lined up with the previous value at its
-- site. A site is the same wait construct in commands checking the same thing (check_key:
-- the masked command without its options, so adding -v does not start a new site), or the
-- same wait in one file: the same site_key, or an edit of the same file whose old value is
-- the value an earlier edit set (a wait keyed differently from one edit to the next, e.g.
-- with more or less context).
-- ``site`` names the chain by its first site_key. An edit knows the value it replaced, a
-- command the value of the previous run at its site. A step is an escalation when it raises
-- the value and a check failed since the previous value was set.
CREATE VIEW audit_wait_steps AS
WITH valued AS (
    SELECT w.*, c.signature AS command_signature, c.check_key AS command_check,
           CASE WHEN w.source = 'command' THEN c.check_key || ' [' || w.construct || ']'
                ELSE w.site_key END AS link_key,
           row_number() OVER (PARTITION BY w.agent, w.session_id ORDER BY w.ord, w.site_key, w.seconds) AS fact_no
    FROM fact_waits w
    LEFT JOIN fact_commands c
           ON w.source = 'command' AND c.agent = w.agent AND c.session_id = w.session_id AND c.call_id = w.call_id
    WHERE w.source IN ('command', 'edit') AND w.seconds IS NOT NULL AND w.seconds > 0
),
edits AS (
    SELECT * FROM valued WHERE source = 'edit'
),
same_site AS (
    SELECT agent, session_id, fact_no,
           lag(fact_no) OVER (PARTITION BY agent, session_id, link_key ORDER BY fact_no) AS previous_no
    FROM valued
),
continued AS (
    SELECT e.agent, e.session_id, e.fact_no, p.fact_no AS previous_no
    FROM edits e
    ASOF JOIN edits p
      ON e.agent = p.agent AND e.session_id = p.session_id AND e.file_path = p.file_path
     AND e.old_seconds = p.seconds AND e.ord > p.ord
),
links AS (
    SELECT s.agent, s.session_id, s.fact_no, greatest(s.previous_no, c.previous_no) AS previous_no
    FROM same_site s
    LEFT JOIN continued c USING (agent, session_id, fact_no)
),
roots AS (
    WITH RECURSIVE up(agent, session_id, fact_no, root_no, depth) AS (
        SELECT agent, session_id, fact_no, fact_no, 0 FROM links
        UNION ALL
        SELECT up.agent, up.session_id, up.fact_no, l.previous_no, up.depth + 1
        FROM up
        JOIN links l ON l.agent = up.agent AND l.session_id = up.session_id AND l.fact_no = up.root_no
        WHERE l.previous_no IS NOT NULL AND up.depth < 1000
    )
    SELECT agent, session_id, fact_no, arg_max(root_no, depth) AS root_no
    FROM up
    GROUP BY agent, session_id, fact_no
),
sited AS (
    SELECT v.*, first_fact.site_key AS site
    FROM valued v
    JOIN roots r USING (agent, session_id, fact_no)
    JOIN valued first_fact
      ON first_fact.agent = r.agent AND first_fact.session_id = r.session_id AND first_fact.fact_no = r.root_no
),
chained AS (
    SELECT *,
           CASE WHEN source = 'edit' THEN old_seconds ELSE lag(seconds) OVER chain END AS previous_s,
           lag(ord) OVER chain AS previous_ord,
           lag(ts) OVER chain AS previous_ts
    FROM sited
    WINDOW chain AS (PARTITION BY agent, session_id, site ORDER BY fact_no)
),
checked AS (
    SELECT c.agent, c.session_id, c.fact_no,
           count(f.result_ord) AS failures_before,
           arg_max(f.signature, f.result_ord) AS last_failure_signature,
           arg_max(f.check_key, f.result_ord) AS last_failure_check,
           max(f.result_ts) AS last_failure_ts,
           max(f.result_ord) AS last_failure_ord
    FROM chained c
    LEFT JOIN audit_failed_checks f
           ON f.agent = c.agent AND f.session_id = c.session_id
          AND f.result_ord > coalesce(c.previous_ord, -1) AND f.result_ord < c.ord
    GROUP BY c.agent, c.session_id, c.fact_no
)
SELECT c.*,
       k.failures_before,
       coalesce(c.previous_s IS NOT NULL AND c.seconds > c.previous_s, false) AS is_raise,
       coalesce(c.previous_s IS NOT NULL AND c.seconds > c.previous_s AND k.failures_before > 0, false)
           AS is_escalation,
       CASE WHEN c.source = 'command' THEN c.command_signature ELSE k.last_failure_signature END AS anchor_signature,
       CASE WHEN c.source = 'command' THEN c.command_check ELSE k.last_failure_check END AS anchor_check,
       k.last_failure_ts, k.last_failure_ord
FROM chained c
JOIN checked k USING (agent, session_id, fact_no);

-- One row per spiral: a site whose value escalated at least 3 times to at least 4x its
-- initial value. Outcome: the first pass of the failing check (same check_key) after the
-- last escalation decides — masked when only wait changes came before it, fixed_by_logic
-- when an edit that changed more than waits did, unresolved when no pass followed in the
-- session.
CREATE VIEW audit_compute_spirals AS
WITH chains AS (
    SELECT agent, session_id, site,
           count(*) FILTER (WHERE is_escalation)                          AS escalations,
           min(ord) FILTER (WHERE is_escalation)                          AS first_ord,
           max(ord) FILTER (WHERE is_escalation)                          AS last_ord,
           arg_min(previous_s, ord) FILTER (WHERE is_escalation)          AS initial_s,
           arg_max(seconds, ord) FILTER (WHERE is_escalation)             AS final_s,
           sum(seconds - previous_s) FILTER (WHERE is_escalation)         AS wait_added_s,
           arg_min(coalesce(previous_ts, last_failure_ts, ts), ord) FILTER (WHERE is_escalation) AS start_ts,
           arg_min(coalesce(previous_ord, last_failure_ord, ord), ord) FILTER (WHERE is_escalation) AS start_ord,
           arg_max(ts, ord) FILTER (WHERE is_escalation)                  AS last_escalation_ts,
           arg_max(anchor_signature, ord) FILTER (WHERE is_escalation)    AS anchor_signature,
           arg_max(anchor_check, ord) FILTER (WHERE is_escalation)        AS anchor_check,
           arg_min(construct, ord) FILTER (WHERE is_escalation)           AS construct,
           arg_min(source, ord) FILTER (WHERE is_escalation)              AS source,
           arg_min(file_path, ord) FILTER (WHERE is_escalation)           AS file_path,
           arg_min(kind, ord) FILTER (WHERE is_escalation)                AS kind,
           arg_min(user_name, ord) FILTER (WHERE is_escalation)           AS user_name,
           arg_min(project, ord) FILTER (WHERE is_escalation)             AS project,
           arg_min(git_branch, ord) FILTER (WHERE is_escalation)          AS git_branch
    FROM audit_wait_steps
    GROUP BY agent, session_id, site
),
spirals AS (
    -- Two waits raised by the same calls (a loop's sleep and its total budget, a timeout and
    -- its poll interval) are one spiral: keep the wait that bounds the whole wait.
    SELECT * FROM chains
    WHERE escalations >= 3 AND initial_s > 0 AND final_s / initial_s >= 4
    QUALIFY row_number() OVER (
        PARTITION BY agent, session_id, first_ord, last_ord
        ORDER BY CASE WHEN construct IN ('retry loop', 'probe budget') THEN 0
                      WHEN kind = 'timeout' THEN 1 WHEN kind = 'wait' THEN 2 ELSE 3 END, site) = 1
),
passes AS (
    SELECT s.agent, s.session_id, s.site,
           min(c.result_ord) AS pass_ord,
           arg_min(c.result_ts, c.result_ord) AS pass_ts
    FROM spirals s
    JOIN fact_commands c
      ON c.agent = s.agent AND c.session_id = s.session_id AND c.check_key = s.anchor_check
     AND NOT c.failed AND c.result_ord > s.last_ord
    GROUP BY s.agent, s.session_id, s.site
),
later_failures AS (
    SELECT s.agent, s.session_id, s.site,
           arg_min(f.result_ts, f.result_ord) AS failure_ts
    FROM spirals s
    JOIN audit_failed_checks f
      ON f.agent = s.agent AND f.session_id = s.session_id AND f.check_key = s.anchor_check
     AND f.result_ord > s.last_ord
    GROUP BY s.agent, s.session_id, s.site
),
logic_edits AS (
    SELECT s.agent, s.session_id, s.site, count(e.ord) AS logic_edits
    FROM spirals s
    LEFT JOIN passes p USING (agent, session_id, site)
    LEFT JOIN fact_edits e
           ON e.agent = s.agent AND e.session_id = s.session_id AND NOT e.wait_only
          AND e.ord > s.last_ord AND e.ord < coalesce(p.pass_ord, 2147483647)
    GROUP BY s.agent, s.session_id, s.site
),
outcomes AS (
    SELECT s.*, p.pass_ord, p.pass_ts, l.logic_edits,
           CASE WHEN p.pass_ord IS NULL THEN 'unresolved'
                WHEN l.logic_edits > 0 THEN 'fixed_by_logic'
                ELSE 'masked' END AS outcome,
           CASE WHEN p.pass_ord IS NOT NULL AND l.logic_edits = 0 THEN p.pass_ts
                ELSE coalesce(f.failure_ts, s.last_escalation_ts) END AS end_ts
    FROM spirals s
    LEFT JOIN passes p USING (agent, session_id, site)
    LEFT JOIN logic_edits l USING (agent, session_id, site)
    LEFT JOIN later_failures f USING (agent, session_id, site)
),
prose AS (
    SELECT o.agent, o.session_id, o.site, count(w.ord) AS prose_mentions
    FROM outcomes o
    LEFT JOIN fact_waits w
           ON w.agent = o.agent AND w.session_id = o.session_id AND w.source = 'prose'
          AND w.ord >= o.start_ord AND w.ord <= coalesce(o.pass_ord, o.last_ord)
    GROUP BY o.agent, o.session_id, o.site
)
SELECT md5(o.agent || '/' || o.session_id || '/' || o.site) AS spiral_id,
       o.agent, o.session_id, o.user_name, o.project, o.git_branch,
       o.site, o.construct, o.source, o.kind, o.file_path,
       o.escalations, o.initial_s, o.final_s, o.final_s / o.initial_s AS ratio, o.wait_added_s,
       o.start_ts, o.end_ts, date_diff('millisecond', o.start_ts, o.end_ts) / 1000.0 AS wasted_s,
       o.outcome, o.pass_ts AS resolved_ts, o.anchor_signature AS verification_signature,
       o.anchor_check AS verification_check,
       p.prose_mentions, o.start_ord, o.last_ord
FROM outcomes o
JOIN prose p USING (agent, session_id, site);

CREATE TABLE audit_spirals AS SELECT * FROM audit_compute_spirals LIMIT 0;

-- The staircase of each spiral: the initial value, then every value the site took from the
-- first escalation to the last.
CREATE VIEW audit_compute_spiral_steps AS
WITH steps AS (
    SELECT s.spiral_id, s.agent, s.session_id, s.user_name, s.project,
           w.ts, w.ord, w.seconds AS value_s, w.previous_s, w.is_escalation, w.source, w.raw
    FROM audit_spirals s
    JOIN audit_wait_steps w
      ON w.agent = s.agent AND w.session_id = s.session_id AND w.site = s.site
     AND w.ord BETWEEN s.start_ord AND s.last_ord
    WHERE w.ord > s.start_ord OR w.is_escalation
),
changes AS (
    SELECT * FROM steps WHERE previous_s IS NULL OR value_s <> previous_s
),
initial AS (
    SELECT s.spiral_id, s.agent, s.session_id, s.user_name, s.project, s.start_ts AS ts, s.start_ord - 0.5 AS ord,
           s.initial_s AS value_s, NULL::DOUBLE AS previous_s, false AS is_escalation, NULL AS source, NULL AS raw
    FROM audit_spirals s
)
SELECT spiral_id, agent, session_id, user_name, project,
       (row_number() OVER (PARTITION BY spiral_id ORDER BY ord) - 1)::INTEGER AS step,
       ts, value_s, is_escalation, source, raw
FROM (SELECT * FROM initial UNION ALL BY NAME SELECT * FROM changes);

CREATE TABLE audit_spiral_steps AS SELECT * FROM audit_compute_spiral_steps LIMIT 0;

-- ---------------------------------------------------------------- features

-- Which feature each session belongs to. Repository: the name of the git remote when the
-- agent recorded it, else the last folder of the working directory (so clones of one
-- repository in different home folders meet). A session on a branch other than a trunk
-- belongs to ``repository@branch``; trunk sessions only when resumed from or into another
-- session (``repository@branch~root``, root = the first session of the chain). Resume links:
-- the parent an agent recorded (Codex, Gemini), or a transcript file holding copies of an
-- earlier session's messages (Claude Code copies the resumed session into the new file;
-- sessions merely sharing a file, as Aider's history does, are not linked). A rule of
-- feature_rules overrides both.
CREATE VIEW audit_compute_session_features AS
WITH named AS (
    SELECT s.agent, s.session_id, s.user_name, s.project, s.git_branch, s.title, s.started_at, s.ended_at,
           s.parent_session_id,
           coalesce(
               nullif(regexp_replace(regexp_replace(s.git_repo, '(\.git)?/*$', ''), '^.*[/:]', ''), ''),
               nullif(regexp_replace(rtrim(s.project, '/'), '^.*/', ''), ''),
               '(unknown)') AS repository,
           coalesce(s.git_branch, '') IN ('', 'main', 'master', 'develop', 'trunk', 'HEAD') AS on_trunk
    FROM sessions s
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
    WHERE (parent.started_at, parent.session_id) < (child.started_at, child.session_id)
),
walk AS (
    WITH RECURSIVE up(agent, session_id, root_id, depth) AS (
        SELECT agent, session_id, session_id, 0 FROM named
        UNION ALL
        SELECT up.agent, up.session_id, links.parent_id, up.depth + 1
        FROM up JOIN links ON links.agent = up.agent AND links.session_id = up.root_id
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

CREATE TABLE audit_session_features AS SELECT * FROM audit_compute_session_features LIMIT 0;

-- The completion curve of each feature: replaying the lines its edits added and removed
-- in time order, the share of the lines the feature leaves at the end (its final code) that
-- already existed after each moment. A line counts once per copy in a file.
CREATE VIEW audit_compute_completion AS
WITH lines AS (
    SELECT f.feature, l.ts, l.session_id, l.ord, l.file_path, l.line_hash, l.delta
    FROM fact_edit_lines l
    JOIN audit_session_features f USING (agent, session_id)
    WHERE f.feature IS NOT NULL AND l.ts IS NOT NULL
),
running AS (
    SELECT *,
           sum(delta) OVER (PARTITION BY feature, file_path, line_hash ORDER BY ts, session_id, ord
                            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS count_after,
           sum(delta) OVER (PARTITION BY feature, file_path, line_hash) AS count_final
    FROM lines
),
gains AS (
    SELECT feature, ts,
           least(greatest(count_after, 0), greatest(count_final, 0))
             - least(greatest(count_after - delta, 0), greatest(count_final, 0)) AS gain
    FROM running
),
totals AS (
    SELECT feature, sum(greatest(count_final, 0)) AS final_lines
    FROM (SELECT DISTINCT feature, file_path, line_hash, count_final FROM running)
    GROUP BY feature
),
per_moment AS (
    SELECT feature, ts, sum(gain) AS gain FROM gains GROUP BY feature, ts
)
SELECT p.feature, p.ts,
       sum(p.gain) OVER (PARTITION BY p.feature ORDER BY p.ts) / t.final_lines AS completion,
       t.final_lines
FROM per_moment p
JOIN totals t USING (feature)
WHERE t.final_lines > 0;

CREATE TABLE audit_completion AS SELECT * FROM audit_compute_completion LIMIT 0;

-- ---------------------------------------------------------------- patches

-- One fix attempt: the file-changing tool calls after a failed verification or a user's bug
-- report, up to the next verification run. A later prompt or a passing run closes the
-- window, so edits after them are new work, not a fix. Followed by a pass: the next
-- verification run passed. Broke something: a verification that passed before the patch
-- (its latest run before the patch) failed in the runs that followed it.
CREATE VIEW audit_compute_patches AS
WITH boundaries AS (
    SELECT agent, session_id, coalesce(result_ord, ord) AS ord, coalesce(result_ts, ts) AS ts,
           coalesce(failed, false) AS is_trigger, 'failed_verification' AS trigger_kind
    FROM fact_commands WHERE is_verification
    UNION ALL
    SELECT agent, session_id, ord, ts, is_report, CASE WHEN is_report THEN 'user_report' ELSE 'prompt' END
    FROM fact_prompts
),
edit_calls AS (
    SELECT agent, session_id, call_id, min(ord) AS ord, min(ts) AS ts,
           any_value(user_name) AS user_name, any_value(project) AS project, any_value(git_branch) AS git_branch,
           list(DISTINCT file_path ORDER BY file_path) AS files,
           sum(lines_added)::INTEGER AS lines_added, sum(lines_removed)::INTEGER AS lines_removed,
           bool_and(wait_only) AS wait_only
    FROM fact_edits
    GROUP BY agent, session_id, call_id
),
placed AS (
    SELECT e.*, b.ord AS trigger_ord, b.ts AS trigger_ts, b.trigger_kind, b.is_trigger,
           lead(e.ord) OVER (PARTITION BY e.agent, e.session_id ORDER BY e.ord) AS next_edit_ord
    FROM edit_calls e
    ASOF LEFT JOIN boundaries b
      ON e.agent = b.agent AND e.session_id = b.session_id AND e.ord > b.ord
),
patches AS (
    SELECT agent, session_id, trigger_ord,
           any_value(trigger_ts) AS trigger_ts, any_value(trigger_kind) AS trigger_kind,
           any_value(user_name) AS user_name, any_value(project) AS project, any_value(git_branch) AS git_branch,
           min(ord) AS first_edit_ord, max(ord) AS last_edit_ord, min(ts) AS start_ts, max(ts) AS end_ts,
           arg_max(next_edit_ord, ord) AS next_edit_ord,
           count(*) AS edit_calls,
           list_sort(list_distinct(flatten(list(files)))) AS files,
           sum(lines_added)::INTEGER AS lines_added, sum(lines_removed)::INTEGER AS lines_removed,
           bool_and(wait_only) AS wait_only,
           list(call_id ORDER BY ord) AS call_ids
    FROM placed
    WHERE is_trigger
    GROUP BY agent, session_id, trigger_ord
),
next_run AS (
    SELECT p.agent, p.session_id, p.trigger_ord, v.failed AS next_run_failed, v.ts AS next_run_ts
    FROM patches p
    ASOF LEFT JOIN (SELECT * FROM fact_commands WHERE is_verification) v
      ON p.agent = v.agent AND p.session_id = v.session_id AND p.last_edit_ord < v.ord
),
before_runs AS (
    SELECT p.agent, p.session_id, p.trigger_ord, v.signature, arg_max(v.failed, v.ord) AS failed_before
    FROM patches p
    JOIN fact_commands v
      ON v.agent = p.agent AND v.session_id = p.session_id AND v.is_verification AND v.failed IS NOT NULL
     AND v.ord < p.first_edit_ord
    GROUP BY p.agent, p.session_id, p.trigger_ord, v.signature
),
after_runs AS (
    SELECT p.agent, p.session_id, p.trigger_ord, v.signature, bool_or(v.failed) AS failed_after
    FROM patches p
    JOIN fact_commands v
      ON v.agent = p.agent AND v.session_id = p.session_id AND v.is_verification AND v.failed IS NOT NULL
     AND v.ord > p.last_edit_ord AND v.ord < coalesce(p.next_edit_ord, 2147483647)
    GROUP BY p.agent, p.session_id, p.trigger_ord, v.signature
),
regressions AS (
    SELECT a.agent, a.session_id, a.trigger_ord, count(*) AS broken_checks
    FROM after_runs a
    JOIN before_runs b USING (agent, session_id, trigger_ord, signature)
    WHERE a.failed_after AND NOT b.failed_before
    GROUP BY a.agent, a.session_id, a.trigger_ord
)
SELECT md5(p.agent || '/' || p.session_id || '/' || p.trigger_ord) AS patch_id,
       p.agent, p.session_id, p.user_name, p.project, p.git_branch, f.feature,
       p.trigger_kind, p.trigger_ts, p.start_ts, p.end_ts, p.edit_calls, p.call_ids, p.files,
       len(p.files) AS files_changed, p.lines_added, p.lines_removed,
       p.lines_added + p.lines_removed AS lines_changed,
       len(p.files) <= 2 AND p.lines_added + p.lines_removed <= 30 AS is_local,
       p.wait_only,
       n.next_run_ts IS NOT NULL AS verified,
       coalesce(NOT n.next_run_failed, false) AS followed_by_pass,
       coalesce(r.broken_checks, 0) > 0 AS broke_something
FROM patches p
LEFT JOIN next_run n USING (agent, session_id, trigger_ord)
LEFT JOIN regressions r USING (agent, session_id, trigger_ord)
LEFT JOIN audit_session_features f USING (agent, session_id);

CREATE TABLE audit_patches AS SELECT * FROM audit_compute_patches LIMIT 0;

-- One row per feature: its sessions, T80 (the earliest moment after which completion stays
-- at or above 80%), wall-clock time before T80 (from the first session's start) and after
-- it (to the last edit), fix attempts in all and past T80, and the cliff: at least twice as
-- much time after T80 as before it, with at least 10 fix attempts past T80. Working time
-- (active_seconds_*: gaps between events up to 15 minutes) is given too; the cliff uses
-- wall-clock time, as a feature that drags on for weeks is the cliff even when each session
-- is short.
CREATE VIEW audit_compute_features AS
WITH session_features AS (
    SELECT * FROM audit_session_features WHERE feature IS NOT NULL
),
completion AS (
    SELECT * FROM audit_completion
),
members AS (
    SELECT feature,
           list(session_id ORDER BY started_at, session_id) AS sessions,
           list(DISTINCT agent ORDER BY agent) AS agents,
           list(DISTINCT user_name ORDER BY user_name) AS users,
           any_value(repository) AS repository,
           any_value(git_branch) AS git_branch,
           any_value(project) AS project,
           min(started_at) AS started_at,
           bool_or(by_rule) AS by_rule
    FROM session_features
    GROUP BY feature
),
marks AS (
    SELECT feature,
           max(ts) FILTER (WHERE completion < 0.8) AS last_below,
           max(ts) AS last_line_ts,
           any_value(final_lines) AS final_lines
    FROM completion
    GROUP BY feature
),
t80 AS (
    SELECT c.feature, min(c.ts) AS t80
    FROM completion c
    JOIN marks m USING (feature)
    WHERE c.completion >= 0.8 AND (m.last_below IS NULL OR c.ts > m.last_below)
    GROUP BY c.feature
),
edits AS (
    SELECT f.feature, max(e.ts) AS last_edit_ts, count(DISTINCT e.call_id) AS edit_calls
    FROM fact_edits e
    JOIN session_features f USING (agent, session_id)
    GROUP BY f.feature
),
fixes AS (
    SELECT p.feature,
           count(*) AS patches_total,
           count(*) FILTER (WHERE p.start_ts > t.t80) AS patches_after_80,
           count(*) FILTER (WHERE p.start_ts > t.t80 AND p.is_local) AS local_patches_after_80,
           count(*) FILTER (WHERE p.is_local) AS local_patches,
           count(*) FILTER (WHERE p.broke_something) AS regressions
    FROM audit_patches p
    LEFT JOIN t80 t USING (feature)
    WHERE p.feature IS NOT NULL
    GROUP BY p.feature
),
activity AS (
    -- working time: stretches of activity of the feature's sessions, split at T80
    SELECT f.feature,
           sum(greatest(date_diff('millisecond', a.span_start, least(a.span_end, t.t80)), 0)) / 1000.0
               AS active_seconds_before_80,
           sum(greatest(date_diff('millisecond', greatest(a.span_start, t.t80), a.span_end), 0)) / 1000.0
               AS active_seconds_after_80
    FROM fact_active_spans a
    JOIN session_features f USING (agent, session_id)
    JOIN t80 t USING (feature)
    GROUP BY f.feature
),
timed AS (
    SELECT m.*, t.t80, k.final_lines, e.last_edit_ts, coalesce(e.edit_calls, 0) AS edit_calls,
           coalesce(x.patches_total, 0) AS patches_total,
           coalesce(x.patches_after_80, 0) AS patches_after_80,
           coalesce(x.local_patches, 0) AS local_patches,
           coalesce(x.local_patches_after_80, 0) AS local_patches_after_80,
           coalesce(x.regressions, 0) AS regressions,
           greatest(date_diff('millisecond', m.started_at, t.t80), 0) / 1000.0 AS seconds_before_80,
           greatest(date_diff('millisecond', t.t80, e.last_edit_ts), 0) / 1000.0 AS seconds_after_80,
           a.active_seconds_before_80, a.active_seconds_after_80
    FROM members m
    LEFT JOIN t80 t USING (feature)
    LEFT JOIN marks k USING (feature)
    LEFT JOIN edits e USING (feature)
    LEFT JOIN fixes x USING (feature)
    LEFT JOIN activity a USING (feature)
)
SELECT *,
       CASE WHEN patches_total > 0 THEN local_patches / patches_total END AS local_share,
       coalesce(t80 IS NOT NULL AND seconds_after_80 >= 2 * seconds_before_80 AND patches_after_80 >= 10, false)
           AS cliff
FROM timed;

CREATE TABLE audit_features AS SELECT * FROM audit_compute_features LIMIT 0;
