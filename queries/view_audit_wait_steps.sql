-- title: Every wait value lined up with the previous value at its site (derived view audit_wait_steps)
-- description: Each wait set by a command or an edit, with the value it replaced. A site is
--   the same wait construct in commands checking the same thing (check_key: the masked
--   command without its options, so adding -v does not start a new site), the same budget on
--   the agent's own tool for the same program (site_key: ``go build [Bash timeout]``), the
--   budget of one check whatever syntax carries it (budget_key: ``pytest tests/x [check
--   budget]`` for a Bash ``timeout``, a Codex ``timeout_ms``, ``timeout 120 pytest tests/x`` and
--   ``pytest --timeout=300 tests/x``; the tightest of a call's budgets on its check), or the same wait in
--   one file: the same site_key, or an edit of the same file whose old value is the value an
--   earlier edit set (a wait keyed differently from one edit to the next, e.g. with more or
--   less context; a file named relative to another folder or absolute is the same file). Sites run on across the sessions of one feature (``scope``, ``pos``: see
--   audit_session_order), so a staircase resumed the next day is one staircase. ``site`` names
--   the chain by its first site_key, ``chain_session_no`` the session it starts in. An edit knows the value it replaced, a command the value
--   of the previous run at its site. A step is an escalation when it raises the value and a
--   check failed since the previous value was set.
CREATE OR REPLACE VIEW audit_wait_steps AS
WITH budgeted AS (
    SELECT w.*, c.signature, c.check_key,
           -- the budget of a check (rule wait.site.check_budget): a command's timeout on the
           -- check it bounds carries its site_key ``<check> [check budget]`` (waits_in_command);
           -- a timeout on the agent's own tool bounds the check its command runs
           CASE WHEN w.source = 'command' AND w.rule_id NOT LIKE 'wait.tool.%'
                     AND ends_with(w.site_key, ' [check budget]') THEN w.site_key
                WHEN w.source = 'command' AND w.rule_id LIKE 'wait.tool.%' AND w.kind = 'timeout'
                     AND c.is_verification THEN c.check_key || ' [check budget]'
           END AS budget_candidate
    FROM fact_waits w
    -- equalities only: a condition on w.source in this ON clause made it a nested-loop join
    -- (13 s instead of 0.1 s for 22k waits and 42k commands)
    LEFT JOIN fact_commands c ON c.agent = w.agent AND c.session_id = w.session_id AND c.call_id = w.call_id
    WHERE w.source IN ('command', 'edit') AND w.seconds IS NOT NULL AND w.seconds > 0
),
tightest AS (
    -- one call's budgets on one check (a Bash timeout and ``timeout 600`` inside it): the
    -- tightest bounds the run; the others keep their own sites
    SELECT * EXCLUDE (budget_candidate),
           CASE WHEN budget_candidate IS NOT NULL AND row_number() OVER (
                    PARTITION BY agent, session_id, call_id, budget_candidate ORDER BY seconds, site_key) = 1
                THEN budget_candidate END AS budget_key
    FROM budgeted
),
valued AS (
    SELECT w.* EXCLUDE (signature, check_key), o.scope, o.session_no * 4294967296 + w.ord AS pos,
           CASE WHEN w.source = 'command' THEN w.signature END AS command_signature,
           CASE WHEN w.source = 'command' THEN w.check_key END AS command_check,
           -- a budget on the agent's own tool (rules wait.tool.*) is keyed by the program it
           -- bounds (site_key, see waits_in_tool_call), not by the whole command it ran
           CASE WHEN w.source = 'command' AND w.rule_id NOT LIKE 'wait.tool.%'
                THEN coalesce(w.budget_key, w.check_key || ' [' || w.construct || ']')
                ELSE w.site_key END AS link_key,
           row_number() OVER (PARTITION BY o.scope ORDER BY o.session_no, w.ord, w.site_key, w.seconds) AS fact_no,
           -- the file as one path whichever way a session wrote it (``./pytest.ini``)
           regexp_replace(w.file_path, '^(\./)+', '') AS file_key,
           -- the wait's place in its file, without the file (site_key is ``path::label``)
           CASE WHEN starts_with(w.site_key, w.file_path || '::')
                THEN substr(w.site_key, length(w.file_path) + 3) END AS file_site,
           -- a whole file written over one whose text the session had not seen: the value it
           -- replaced is the one the site was left at
           coalesce(w.source = 'edit' AND w.old_seconds IS NULL AND fe.op = 'write', false) AS rewrote
    FROM tightest w
    JOIN audit_session_order o USING (agent, session_id)
    LEFT JOIN (SELECT agent, session_id, call_id, file_path, any_value(op) AS op
               FROM fact_edits GROUP BY agent, session_id, call_id, file_path) fe
           ON fe.agent = w.agent AND fe.session_id = w.session_id AND fe.call_id = w.call_id
          AND fe.file_path = w.file_path
),
edits AS (
    SELECT * FROM valued WHERE source = 'edit'
),
same_site AS (
    SELECT scope, fact_no,
           lag(fact_no) OVER (PARTITION BY scope, link_key ORDER BY fact_no) AS previous_no
    FROM valued
    UNION ALL
    -- a tool's budget also continues the budget of its check set in any other syntax
    SELECT scope, fact_no,
           lag(fact_no) OVER (PARTITION BY scope, budget_key ORDER BY fact_no) AS previous_no
    FROM valued
    WHERE budget_key IS NOT NULL
),
-- Into another session a site continues only from the value it was left at: an edit that
-- replaces that value, a command that sets it again or higher (a new story at the same site,
-- started from a lower value, is a new staircase).
same_site_continued AS (
    SELECT s.scope, s.fact_no,
           max(CASE WHEN p.pos // 4294967296 = v.pos // 4294967296
                      OR (v.source = 'edit' AND v.old_seconds = p.seconds)
                      OR ((v.source = 'command' OR v.rewrote) AND v.seconds >= p.seconds)
                    THEN s.previous_no END) AS previous_no
    FROM same_site s
    JOIN valued v USING (scope, fact_no)
    LEFT JOIN valued p ON p.scope = s.scope AND p.fact_no = s.previous_no
    GROUP BY s.scope, s.fact_no
),
-- An edit continues the earlier edit of its file that set the value it replaced (or, for a
-- whole file written over, the value it raises). One file is one whichever way a session named
-- it: relative to a subfolder it was started in, or absolute outside it (``pytest.ini``,
-- ``services/api/pytest.ini`` and ``/home/dev/shop/services/api/pytest.ini`` meet).
continued AS (
    SELECT scope, fact_no, max(previous_no) AS previous_no
    FROM (
        -- equalities first (scope, value), so the join is a hash join on them
        SELECT e.scope, e.fact_no, p.fact_no AS previous_no, e.file_key, p.file_key AS previous_file
        FROM edits e
        JOIN edits p ON e.scope = p.scope AND e.old_seconds = p.seconds AND e.pos > p.pos
        UNION ALL
        SELECT e.scope, e.fact_no, p.fact_no, e.file_key, p.file_key
        FROM (SELECT * FROM edits WHERE rewrote) e
        JOIN edits p
          ON e.scope = p.scope AND e.file_site IS NOT DISTINCT FROM p.file_site AND e.pos > p.pos
         AND e.seconds >= p.seconds
    )
    WHERE file_key = previous_file OR ends_with(file_key, '/' || previous_file)
       OR ends_with(previous_file, '/' || file_key)
    GROUP BY scope, fact_no
),
links AS (
    SELECT s.scope, s.fact_no, greatest(s.previous_no, c.previous_no) AS previous_no
    FROM same_site_continued s
    LEFT JOIN continued c USING (scope, fact_no)
),
roots AS (
    WITH RECURSIVE up(scope, fact_no, root_no, depth) AS (
        SELECT scope, fact_no, fact_no, 0 FROM links
        UNION ALL
        SELECT up.scope, up.fact_no, l.previous_no, up.depth + 1
        FROM up
        JOIN links l ON l.scope = up.scope AND l.fact_no = up.root_no
        WHERE l.previous_no IS NOT NULL AND up.depth < 1000
    )
    SELECT scope, fact_no, arg_max(root_no, depth) AS root_no
    FROM up
    GROUP BY scope, fact_no
),
sited AS (
    SELECT v.*, first_fact.site_key AS site, first_fact.pos // 4294967296 AS chain_session_no
    FROM valued v
    JOIN roots r USING (scope, fact_no)
    JOIN valued first_fact ON first_fact.scope = r.scope AND first_fact.fact_no = r.root_no
),
chained AS (
    SELECT *,
           CASE WHEN source = 'edit' AND NOT rewrote THEN old_seconds ELSE lag(seconds) OVER chain END AS previous_s,
           lag(pos) OVER chain AS previous_pos,
           lag(ord) OVER chain AS previous_ord,
           lag(agent) OVER chain AS previous_agent,
           lag(session_id) OVER chain AS previous_session_id,
           lag(ts) OVER chain AS previous_ts
    FROM sited
    WINDOW chain AS (PARTITION BY scope, site, chain_session_no ORDER BY fact_no)
),
checked AS (
    SELECT c.scope, c.fact_no,
           count(f.result_pos) AS failures_before,
           arg_max(f.signature, f.result_pos) AS last_failure_signature,
           arg_max(f.check_key, f.result_pos) AS last_failure_check,
           arg_max(f.result_ts, f.result_pos) AS last_failure_ts,
           max(f.result_pos) AS last_failure_pos,
           arg_max(f.result_ord, f.result_pos) AS last_failure_ord,
           arg_max(f.agent, f.result_pos) AS last_failure_agent,
           arg_max(f.session_id, f.result_pos) AS last_failure_session_id
    FROM chained c
    LEFT JOIN audit_failed_checks f
           ON f.scope = c.scope AND f.result_pos < c.pos
          -- since the previous value at the site, else since the start of this step's session
          AND f.result_pos > coalesce(c.previous_pos, c.pos - c.ord - 1)
    GROUP BY c.scope, c.fact_no
)
SELECT c.*,
       k.failures_before,
       coalesce(c.previous_s IS NOT NULL AND c.seconds > c.previous_s, false) AS is_raise,
       coalesce(c.previous_s IS NOT NULL AND c.seconds > c.previous_s AND k.failures_before > 0, false)
           AS is_escalation,
       CASE WHEN c.source = 'command' THEN c.command_signature ELSE k.last_failure_signature END AS anchor_signature,
       CASE WHEN c.source = 'command' THEN c.command_check ELSE k.last_failure_check END AS anchor_check,
       k.last_failure_ts, k.last_failure_ord, k.last_failure_pos, k.last_failure_agent, k.last_failure_session_id
FROM chained c
JOIN checked k USING (scope, fact_no);
