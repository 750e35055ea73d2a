-- title: Fix attempts (derived view audit_compute_patches)
-- description: One fix attempt: the file-changing tool calls after a failed verification or a
--   user's report of a failure (a row of fact_user_reports: a symptom in plain words, a pasted
--   traceback or log), up to the next verification run. A later prompt or a passing run closes
--   the window, so edits after them are new work, not a fix (a reply that only lets the agent
--   go on, "yes, go ahead", does not; nor does a pass of another check before
--   the window's first edit does not: it did not answer what opened it). Followed by a pass: the next
--   verification run passed. Broke something: a verification that passed before the patch
--   (its latest run before the patch) failed in the runs that followed it. Local: at most
--   $local_fix_max_files files and $local_fix_max_lines lines changed. A formatter's rewrite
--   (fact_edits.op = 'format') is no fix attempt. Materialized as audit_patches.
CREATE OR REPLACE VIEW audit_compute_patches AS
WITH reports AS (
    SELECT agent, session_id, ord, min(ts) AS ts FROM fact_user_reports GROUP BY agent, session_id, ord
),
window_edges AS (
    SELECT agent, session_id, coalesce(result_ord, ord) AS ord, coalesce(result_ts, ts) AS ts,
           coalesce(failed, false) AS is_trigger, 'failed_verification' AS trigger_kind, check_key
    FROM fact_commands WHERE is_verification
    UNION ALL
    -- a prompt closes the window before it; one that fact_user_reports holds opens one; a reply
    -- that only lets the agent go on ("yes, go ahead", "fix it": cues category go_ahead) does neither
    SELECT agent, session_id, ord, coalesce(p.ts, r.ts), r.ord IS NOT NULL,
           CASE WHEN r.ord IS NOT NULL THEN 'user_report' ELSE 'prompt' END, NULL
    FROM (SELECT agent, session_id, ord, min(ts) AS ts,
                 bool_and(coalesce(CASE WHEN json_valid(cues) THEN json_extract_string(cues, '$.category') = 'go_ahead' END, false))
                     AS go_ahead
          FROM fact_prompts GROUP BY agent, session_id, ord) p
    FULL JOIN reports r USING (agent, session_id, ord)
    WHERE r.ord IS NOT NULL OR NOT p.go_ahead
),
-- A passing run of another check before the window's first edit (a lint run after a report,
-- a type check after a failed test) does not answer what opened the window: the edits that
-- follow are still its fix. A pass of the failing check itself closes it (a flaky failure).
idle_passes AS (
    SELECT b.agent, b.session_id, b.ord
    FROM (SELECT * FROM window_edges WHERE trigger_kind = 'failed_verification' AND NOT is_trigger) b
    ASOF JOIN (SELECT * FROM window_edges WHERE is_trigger OR trigger_kind = 'prompt') t
      ON b.agent = t.agent AND b.session_id = t.session_id AND b.ord > t.ord
    ASOF LEFT JOIN (SELECT DISTINCT agent, session_id, ord FROM fact_edits) e
      ON b.agent = e.agent AND b.session_id = e.session_id AND b.ord > e.ord
    WHERE t.is_trigger
      AND (t.trigger_kind = 'user_report' OR b.check_key IS DISTINCT FROM t.check_key)
      AND (e.ord IS NULL OR e.ord < t.ord)
),
boundaries AS (
    SELECT w.* EXCLUDE (check_key)
    FROM window_edges w
    ANTI JOIN idle_passes i USING (agent, session_id, ord)
),
edit_calls AS (
    SELECT agent, session_id, call_id, min(ord) AS ord, min(ts) AS ts,
           any_value(user_name) AS user_name, any_value(project) AS project, any_value(git_branch) AS git_branch,
           list(DISTINCT file_path ORDER BY file_path) AS files,
           sum(lines_added)::INTEGER AS lines_added, sum(lines_removed)::INTEGER AS lines_removed,
           bool_and(wait_only) AS wait_only
    FROM fact_edits
    -- a formatter's rewrite (black, gofmt -w, prettier --write) is an edit, not a fix attempt
    WHERE op IS DISTINCT FROM 'format'
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
       len(p.files) <= $local_fix_max_files AND p.lines_added + p.lines_removed <= $local_fix_max_lines AS is_local,
       p.wait_only,
       n.next_run_ts IS NOT NULL AS verified,
       coalesce(NOT n.next_run_failed, false) AS followed_by_pass,
       coalesce(r.broken_checks, 0) > 0 AS broke_something
FROM patches p
LEFT JOIN next_run n USING (agent, session_id, trigger_ord)
LEFT JOIN regressions r USING (agent, session_id, trigger_ord)
LEFT JOIN audit_session_features f USING (agent, session_id);
