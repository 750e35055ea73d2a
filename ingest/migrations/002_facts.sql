-- 002_facts: per-event facts for the behaviour audits, computed per session from stored events.
-- Every fact row carries the position of the event it came from (source_path, line_no,
-- byte_offset, seq) so a finding links to its transcript line, and ``ord``: the event's index
-- in its session's time order (ts, source_path, line_no, seq), which orders facts of one
-- session exactly even when timestamps tie. Facts of a session are replaced as a whole by
-- ingest/facts/refresh.py; ``fact_sessions`` records which extractor version produced them.

-- Every shell / run tool call with its result.
CREATE TABLE fact_commands (
    agent            VARCHAR NOT NULL,
    session_id       VARCHAR NOT NULL,
    user_name        VARCHAR,
    project          VARCHAR,
    git_branch       VARCHAR,
    ts               TIMESTAMP,
    source_path      VARCHAR,
    line_no          BIGINT,
    byte_offset      BIGINT,
    seq              INTEGER,
    ord              INTEGER NOT NULL,
    call_id          VARCHAR,
    tool_name        VARCHAR,
    command          VARCHAR,
    signature        VARCHAR,   -- the command with durations and numbers masked: re-runs line up
    check_key        VARCHAR,   -- the signature without options: what is checked, whatever the flags
    is_verification  BOOLEAN,   -- tests, build, lint, type check, readiness check
    has_wait         BOOLEAN,   -- the command sets a wait or timeout
    failed           BOOLEAN,   -- NULL when no result was recorded
    exit_code        INTEGER,
    duration_s       DOUBLE,
    result_ts        TIMESTAMP,
    result_ord       INTEGER,
    result_excerpt   VARCHAR
);

-- Wait and timeout values set by commands, changed by edits, or stated in prose.
CREATE TABLE fact_waits (
    agent            VARCHAR NOT NULL,
    session_id       VARCHAR NOT NULL,
    user_name        VARCHAR,
    project          VARCHAR,
    git_branch       VARCHAR,
    ts               TIMESTAMP,
    source_path      VARCHAR,
    line_no          BIGINT,
    byte_offset      BIGINT,
    seq              INTEGER,
    ord              INTEGER NOT NULL,
    call_id          VARCHAR,   -- NULL for prose
    message_uuid     VARCHAR,   -- the assistant message, for prose
    file_path        VARCHAR,   -- for edits, relative to the project when inside it
    seconds          DOUBLE,    -- NULL: removed by the edit, or a zero timeout (see once)
    old_seconds      DOUBLE,    -- edits: the value before; NULL when added
    construct        VARCHAR,
    site_key         VARCHAR,
    source           VARCHAR,   -- command | edit | prose
    kind             VARCHAR,   -- wait | timeout | poll
    raw              VARCHAR,
    old_raw          VARCHAR,
    once             BOOLEAN,
    old_once         BOOLEAN
);

-- One row per file changed by a file-changing tool call that was applied.
CREATE TABLE fact_edits (
    agent            VARCHAR NOT NULL,
    session_id       VARCHAR NOT NULL,
    user_name        VARCHAR,
    project          VARCHAR,
    git_branch       VARCHAR,
    ts               TIMESTAMP,
    source_path      VARCHAR,
    line_no          BIGINT,
    byte_offset      BIGINT,
    seq              INTEGER,
    ord              INTEGER NOT NULL,
    call_id          VARCHAR,
    tool_name        VARCHAR,
    file_path        VARCHAR,   -- relative to the project when inside it
    in_project       BOOLEAN,   -- the project's own code (not outside it, not vendored)
    op               VARCHAR,   -- edit | write | add | update | delete
    lines_added      INTEGER,
    lines_removed    INTEGER,
    wait_only        BOOLEAN    -- every changed code line is a wait value change
);

-- Lines added (+1) and removed (-1) by edits, for replaying a feature's code over time.
CREATE TABLE fact_edit_lines (
    agent            VARCHAR NOT NULL,
    session_id       VARCHAR NOT NULL,
    user_name        VARCHAR,
    project          VARCHAR,
    git_branch       VARCHAR,
    ts               TIMESTAMP,
    source_path      VARCHAR,
    line_no          BIGINT,
    byte_offset      BIGINT,
    seq              INTEGER,
    ord              INTEGER NOT NULL,
    call_id          VARCHAR,
    file_path        VARCHAR,
    line_hash        BIGINT,    -- hash of the line with surrounding whitespace stripped
    delta            TINYINT    -- +1 added, -1 removed
);

-- Causal explanations in assistant text written after a failure, with their verdict.
CREATE TABLE fact_explanations (
    agent            VARCHAR NOT NULL,
    session_id       VARCHAR NOT NULL,
    user_name        VARCHAR,
    project          VARCHAR,
    git_branch       VARCHAR,
    ts               TIMESTAMP,
    source_path      VARCHAR,
    line_no          BIGINT,
    byte_offset      BIGINT,
    seq              INTEGER,
    ord              INTEGER NOT NULL,
    message_uuid     VARCHAR,
    sentence_index   INTEGER,
    text             VARCHAR,
    verdict          VARCHAR,
    category         VARCHAR,
    cues             VARCHAR,   -- JSON
    score            DOUBLE,
    evidence         VARCHAR,   -- the last tool results before the sentence (excerpt)
    refuted          BOOLEAN    -- exotic only: the next edit of the turn changed the project's own code
);

-- Every user prompt (typed by a person, not injected): a new request or a report.
CREATE TABLE fact_prompts (
    agent            VARCHAR NOT NULL,
    session_id       VARCHAR NOT NULL,
    user_name        VARCHAR,
    project          VARCHAR,
    git_branch       VARCHAR,
    ts               TIMESTAMP,
    source_path      VARCHAR,
    line_no          BIGINT,
    byte_offset      BIGINT,
    seq              INTEGER,
    ord              INTEGER NOT NULL,
    message_uuid     VARCHAR,
    is_report        BOOLEAN,   -- also in fact_user_reports
    text             VARCHAR    -- the start of the prompt
);

-- User messages reporting a bug ("still fails", "doesn't work", "broken" …).
CREATE TABLE fact_user_reports (
    agent            VARCHAR NOT NULL,
    session_id       VARCHAR NOT NULL,
    user_name        VARCHAR,
    project          VARCHAR,
    git_branch       VARCHAR,
    ts               TIMESTAMP,
    source_path      VARCHAR,
    line_no          BIGINT,
    byte_offset      BIGINT,
    seq              INTEGER,
    ord              INTEGER NOT NULL,
    message_uuid     VARCHAR,
    cue              VARCHAR,   -- the phrase that marked it as a report
    text             VARCHAR
);

-- Stretches of continuous activity (gaps between events up to a cap), for active time.
CREATE TABLE fact_active_spans (
    agent            VARCHAR NOT NULL,
    session_id       VARCHAR NOT NULL,
    user_name        VARCHAR,
    project          VARCHAR,
    git_branch       VARCHAR,
    span_start       TIMESTAMP NOT NULL,
    span_end         TIMESTAMP NOT NULL,
    events           INTEGER
);

-- Which sessions have facts, from which extractor version, computed when.
CREATE TABLE fact_sessions (
    agent              VARCHAR NOT NULL,
    session_id         VARCHAR NOT NULL,
    extractor_version  INTEGER NOT NULL,
    refreshed_at       TIMESTAMP NOT NULL,
    events             INTEGER,
    PRIMARY KEY (agent, session_id)
);

-- Feature rules from features.toml: a session matching any (field, pattern) of a rule, in a
-- repository matching the rule's repository pattern if it has one, belongs to that rule's
-- feature; the first matching rule (by position) wins. The audit command registers the rules
-- of the file it reads under this name for its connection and stores them when it writes;
-- the stored table is what other readers (the dashboard) see. Empty: automatic grouping.
CREATE TABLE feature_rules (
    position    INTEGER NOT NULL,
    name        VARCHAR,             -- the feature; NULL with ignore
    field       VARCHAR NOT NULL,    -- branch | session | title | repository
    pattern     VARCHAR NOT NULL,    -- fnmatch-style glob (* ? [...])
    repository  VARCHAR,             -- optional glob the session's repository must match too
    ignore      BOOLEAN NOT NULL     -- matching sessions belong to no feature
);
