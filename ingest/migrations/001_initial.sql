-- 001_initial: the event store and its ingest ledger.
-- Every event table carries (source_path, byte_offset, seq): the exact place in the
-- transcript it was read from, so any finding can be traced to its line, and a file's
-- rows can be replaced as a whole when the file is rewritten or the parser changes.
-- Timestamps are UTC, stored without zone.

CREATE TABLE ingest_runs (
    run_id        VARCHAR PRIMARY KEY,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    user_name     VARCHAR NOT NULL,
    tool_version  VARCHAR NOT NULL,
    price_source  VARCHAR,
    paths         VARCHAR,
    files_read    INTEGER,
    problems      INTEGER,
    status        VARCHAR
);

CREATE TABLE source_files (
    path            VARCHAR PRIMARY KEY,
    agent           VARCHAR NOT NULL,
    size            BIGINT NOT NULL,
    mtime           DOUBLE NOT NULL,
    bytes_consumed  BIGINT NOT NULL,
    lines_consumed  BIGINT NOT NULL,
    head_hash       VARCHAR,
    parser_version  INTEGER NOT NULL,
    reader_state    VARCHAR,
    user_name       VARCHAR NOT NULL,
    last_run_id     VARCHAR,
    updated_at      TIMESTAMP NOT NULL
);

CREATE TABLE messages (
    source_path        VARCHAR NOT NULL,
    line_no            BIGINT NOT NULL,
    byte_offset        BIGINT NOT NULL,
    seq                INTEGER NOT NULL,
    agent              VARCHAR NOT NULL,
    session_id         VARCHAR NOT NULL,
    parent_session_id  VARCHAR,
    subagent_id        VARCHAR,
    is_sidechain       BOOLEAN,
    project            VARCHAR,
    git_branch         VARCHAR,
    git_repo           VARCHAR,
    git_commit         VARCHAR,
    title              VARCHAR,
    ts                 TIMESTAMP,
    role               VARCHAR,
    kind               VARCHAR,
    record_type        VARCHAR,
    model              VARCHAR,
    text               VARCHAR,
    uuid               VARCHAR,
    parent_uuid        VARCHAR,
    user_name          VARCHAR NOT NULL,
    run_id             VARCHAR NOT NULL
);

CREATE TABLE usage (
    source_path            VARCHAR NOT NULL,
    line_no                BIGINT NOT NULL,
    byte_offset            BIGINT NOT NULL,
    seq                    INTEGER NOT NULL,
    agent                  VARCHAR NOT NULL,
    session_id             VARCHAR NOT NULL,
    parent_session_id      VARCHAR,
    subagent_id            VARCHAR,
    is_sidechain           BOOLEAN,
    project                VARCHAR,
    git_branch             VARCHAR,
    ts                     TIMESTAMP,
    model                  VARCHAR,
    input_tokens           BIGINT NOT NULL,
    output_tokens          BIGINT NOT NULL,
    cache_read_tokens      BIGINT NOT NULL,
    cache_write_5m_tokens  BIGINT NOT NULL,
    cache_write_1h_tokens  BIGINT NOT NULL,
    reasoning_tokens       BIGINT NOT NULL,
    reasoning_in_output    BOOLEAN NOT NULL DEFAULT TRUE,
    estimated              BOOLEAN NOT NULL,
    dedup_key              VARCHAR,
    message_uuid           VARCHAR,
    speed                  VARCHAR,
    cost_usd               DOUBLE,
    unpriced_reason        VARCHAR,
    price_source           VARCHAR,
    user_name              VARCHAR NOT NULL,
    run_id                 VARCHAR NOT NULL
);

CREATE TABLE tool_calls (
    source_path        VARCHAR NOT NULL,
    line_no            BIGINT NOT NULL,
    byte_offset        BIGINT NOT NULL,
    seq                INTEGER NOT NULL,
    agent              VARCHAR NOT NULL,
    session_id         VARCHAR NOT NULL,
    subagent_id        VARCHAR,
    is_sidechain       BOOLEAN,
    project            VARCHAR,
    git_branch         VARCHAR,
    ts                 TIMESTAMP,
    call_id            VARCHAR NOT NULL,
    name               VARCHAR NOT NULL,
    input_json         VARCHAR,
    command            VARCHAR,
    file_path          VARCHAR,
    old_text           VARCHAR,
    new_text           VARCHAR,
    patch              VARCHAR,
    message_uuid       VARCHAR,
    user_name          VARCHAR NOT NULL,
    run_id             VARCHAR NOT NULL
);

CREATE TABLE tool_results (
    source_path        VARCHAR NOT NULL,
    line_no            BIGINT NOT NULL,
    byte_offset        BIGINT NOT NULL,
    seq                INTEGER NOT NULL,
    agent              VARCHAR NOT NULL,
    session_id         VARCHAR NOT NULL,
    subagent_id        VARCHAR,
    ts                 TIMESTAMP,
    call_id            VARCHAR NOT NULL,
    text               VARCHAR,
    is_error           BOOLEAN NOT NULL,
    exit_code          INTEGER,
    duration_s         DOUBLE,
    user_name          VARCHAR NOT NULL,
    run_id             VARCHAR NOT NULL
);

CREATE TABLE problems (
    source_path  VARCHAR NOT NULL,
    line_no      BIGINT,
    byte_offset  BIGINT,
    agent        VARCHAR,
    reason       VARCHAR NOT NULL,
    raw          BLOB,
    user_name    VARCHAR NOT NULL,
    run_id       VARCHAR NOT NULL,
    recorded_at  TIMESTAMP NOT NULL
);

-- One row per billed API response: lines repeating a response (same dedup_key, also across
-- files after resume/fork) count once, keeping the line with the most tokens (early lines of
-- a streamed Claude response carry placeholder output counts). Thinking tokens reported
-- apart from the output (Gemini) are part of the total.
CREATE VIEW billed_usage AS
SELECT *,
       input_tokens + output_tokens + cache_read_tokens
         + cache_write_5m_tokens + cache_write_1h_tokens
         + CASE WHEN reasoning_in_output THEN 0 ELSE reasoning_tokens END AS total_tokens,
       cache_write_5m_tokens + cache_write_1h_tokens AS cache_write_tokens
FROM usage
QUALIFY dedup_key IS NULL
     OR row_number() OVER (
            PARTITION BY agent, dedup_key
            ORDER BY input_tokens + output_tokens + cache_read_tokens
                       + cache_write_5m_tokens + cache_write_1h_tokens DESC,
                     ts, source_path, byte_offset, seq) = 1;

-- One row per session, whatever the agent: who, where, when.
CREATE VIEW sessions AS
SELECT agent,
       session_id,
       any_value(user_name)                                    AS user_name,
       arg_min(project, ts) FILTER (WHERE project IS NOT NULL)   AS project,
       arg_min(git_branch, ts) FILTER (WHERE git_branch IS NOT NULL) AS git_branch,
       arg_min(git_repo, ts) FILTER (WHERE git_repo IS NOT NULL)     AS git_repo,
       any_value(parent_session_id) FILTER (WHERE parent_session_id IS NOT NULL) AS parent_session_id,
       any_value(title) FILTER (WHERE title IS NOT NULL)             AS title,
       min(ts)                                                   AS started_at,
       max(ts)                                                   AS ended_at,
       count(*) FILTER (WHERE kind IN ('text', 'thinking'))      AS messages,
       any_value(source_path)                                    AS source_path
FROM messages
GROUP BY agent, session_id;
