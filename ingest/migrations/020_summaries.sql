-- 020_summaries: summary tables the dashboard reads instead of scanning every event.
-- They hold only what queries/summary_refresh.sql derives from the event tables, per session:
-- an ingest marks the sessions and files it wrote (summary_dirty, summary_dirty_files) and the
-- refresh at its end recomputes those sessions alone (and the sessions that share a dedup key
-- with them). summary_state.checksum names the summary SQL the tables were built by: NULL
-- (a store made before this migration, or copied in by SQL) or another checksum means the
-- next refresh rebuilds them all, and until then readers use the direct queries.
CREATE TABLE summary_state (
    checksum VARCHAR,
    built_at TIMESTAMP
);
INSERT INTO summary_state VALUES (NULL, NULL);

-- Sessions whose rows were inserted, and files whose rows were deleted, since the last refresh.
CREATE TABLE summary_dirty (
    agent      VARCHAR,
    session_id VARCHAR
);
CREATE TABLE summary_dirty_files (
    source_path VARCHAR
);

-- Which files hold a session's rows: a file re-read or deleted finds the sessions it held.
CREATE TABLE summary_session_files (
    agent       VARCHAR,
    session_id  VARCHAR,
    source_path VARCHAR
);

-- The models a session's usage names (every line, billed or not): the model filter and its options.
CREATE TABLE summary_session_models (
    agent      VARCHAR,
    session_id VARCHAR,
    model      VARCHAR
);

-- The billed line of each (agent, dedup_key): the one billed_usage keeps.
CREATE TABLE summary_billed (
    agent       VARCHAR,
    dedup_key   VARCHAR,
    session_id  VARCHAR,
    source_path VARCHAR,
    byte_offset BIGINT,
    seq         INTEGER
);

-- Billed usage per session, 15-minute UTC bucket (a local day is a whole number of them in
-- every time zone in use), user, project, model, speed and estimated flag.
CREATE TABLE summary_usage (
    agent              VARCHAR,
    session_id         VARCHAR,
    bucket             TIMESTAMP,
    user_name          VARCHAR,
    project            VARCHAR,
    model              VARCHAR,
    speed              VARCHAR,
    estimated          BOOLEAN,
    responses          BIGINT,
    input_tokens       HUGEINT,
    output_tokens      HUGEINT,
    cache_write_tokens HUGEINT,
    cache_read_tokens  HUGEINT,
    total_tokens       HUGEINT,
    cost_usd           DOUBLE,
    unpriced_rows      BIGINT,
    unpriced_tokens    HUGEINT,
    cache_saved_usd    DOUBLE,
    assumed_rows       BIGINT,
    first_ts           TIMESTAMP,
    last_ts            TIMESTAMP
);

-- Messages, tool calls and failed tool results per session, bucket and user.
CREATE TABLE summary_activity (
    agent      VARCHAR,
    session_id VARCHAR,
    user_name  VARCHAR,
    bucket     TIMESTAMP,
    messages   BIGINT,
    tool_calls BIGINT,
    failures   BIGINT
);

-- One row per session of the sessions view, with its totals and the values the filters offer.
CREATE TABLE summary_sessions (
    agent              VARCHAR,
    session_id         VARCHAR,
    user_name          VARCHAR,
    project            VARCHAR,
    git_branch         VARCHAR,
    git_repo           VARCHAR,
    parent_session_id  VARCHAR,
    title              VARCHAR,
    started_at         TIMESTAMP,
    ended_at           TIMESTAMP,
    messages           BIGINT,
    source_path        VARCHAR,
    tool_calls         BIGINT,
    failures           BIGINT,
    cost_usd           DOUBLE,
    unpriced_responses BIGINT,
    billed_models      VARCHAR,
    users              VARCHAR[],
    projects           VARCHAR[]
);
