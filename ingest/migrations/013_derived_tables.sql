-- 013_derived_tables: the derived audit views left the migrations; this states the schema of
-- the tables they are materialized into.
-- Until 012 the audit_compute_* views lived in 003 (and 007) and each table was created from
-- its view with LIMIT 0. The views are now queries/view_*.sql, re-created at every rebuild
-- (ingest/derived_views.py), so a store made by any earlier dashcam gets the current detectors;
-- a table's columns are stated here, once, and tests/ingest/test_derived_views.py checks that
-- every view gives exactly its table's columns (a view that changes them needs a migration).
-- The tables hold only what the views derive from the facts: they are dropped and re-created
-- empty, and the next refresh refills them (the views' checksum in _derived_views is unset).
-- audit_spirals gains scope, chain_site, chain_session_no, sessions, start_pos and last_pos: a spiral continues across the
-- sessions of one feature.
DROP VIEW IF EXISTS audit_compute_features;
DROP VIEW IF EXISTS audit_compute_patches;
DROP VIEW IF EXISTS audit_compute_completion;
DROP VIEW IF EXISTS audit_compute_session_features;
DROP VIEW IF EXISTS audit_compute_spiral_steps;
DROP VIEW IF EXISTS audit_compute_spirals;
DROP VIEW IF EXISTS audit_wait_steps;
DROP VIEW IF EXISTS audit_failed_checks;
DROP TABLE IF EXISTS audit_features;
DROP TABLE IF EXISTS audit_patches;
DROP TABLE IF EXISTS audit_completion;
DROP TABLE IF EXISTS audit_session_features;
DROP TABLE IF EXISTS audit_spiral_steps;
DROP TABLE IF EXISTS audit_spirals;

CREATE TABLE audit_session_features (
    agent      VARCHAR,
    session_id VARCHAR,
    user_name  VARCHAR,
    project    VARCHAR,
    repository VARCHAR,
    git_branch VARCHAR,
    title      VARCHAR,
    started_at TIMESTAMP,
    ended_at   TIMESTAMP,
    root_id    VARCHAR,
    feature    VARCHAR,
    by_rule    BOOLEAN
);

CREATE TABLE audit_spirals (
    spiral_id              VARCHAR,
    agent                  VARCHAR,
    session_id             VARCHAR,
    user_name              VARCHAR,
    project                VARCHAR,
    git_branch             VARCHAR,
    site                   VARCHAR,
    construct              VARCHAR,
    source                 VARCHAR,
    kind                   VARCHAR,
    file_path              VARCHAR,
    escalations            BIGINT,
    initial_s              DOUBLE,
    final_s                DOUBLE,
    ratio                  DOUBLE,
    wait_added_s           DOUBLE,
    start_ts               TIMESTAMP,
    end_ts                 TIMESTAMP,
    wasted_s               DOUBLE,
    outcome                VARCHAR,
    resolved_ts            TIMESTAMP,
    verification_signature VARCHAR,
    verification_check     VARCHAR,
    prose_mentions         BIGINT,
    start_ord              INTEGER,
    last_ord               INTEGER,
    scope                  VARCHAR,
    chain_site             VARCHAR,
    chain_session_no       BIGINT,
    sessions               VARCHAR[],
    start_pos              BIGINT,
    last_pos               BIGINT
);

CREATE TABLE audit_spiral_steps (
    spiral_id     VARCHAR,
    agent         VARCHAR,
    session_id    VARCHAR,
    user_name     VARCHAR,
    project       VARCHAR,
    step          INTEGER,
    ts            TIMESTAMP,
    value_s       DOUBLE,
    is_escalation BOOLEAN,
    source        VARCHAR,
    raw           VARCHAR
);

CREATE TABLE audit_completion (
    feature     VARCHAR,
    ts          TIMESTAMP,
    completion  DOUBLE,
    final_lines HUGEINT
);

CREATE TABLE audit_patches (
    patch_id         VARCHAR,
    agent            VARCHAR,
    session_id       VARCHAR,
    user_name        VARCHAR,
    project          VARCHAR,
    git_branch       VARCHAR,
    feature          VARCHAR,
    trigger_kind     VARCHAR,
    trigger_ts       TIMESTAMP,
    start_ts         TIMESTAMP,
    end_ts           TIMESTAMP,
    edit_calls       BIGINT,
    call_ids         VARCHAR[],
    files            VARCHAR[],
    files_changed    BIGINT,
    lines_added      INTEGER,
    lines_removed    INTEGER,
    lines_changed    INTEGER,
    is_local         BOOLEAN,
    wait_only        BOOLEAN,
    verified         BOOLEAN,
    followed_by_pass BOOLEAN,
    broke_something  BOOLEAN
);

CREATE TABLE audit_features (
    feature                  VARCHAR,
    sessions                 VARCHAR[],
    agents                   VARCHAR[],
    users                    VARCHAR[],
    repository               VARCHAR,
    git_branch               VARCHAR,
    project                  VARCHAR,
    started_at               TIMESTAMP,
    by_rule                  BOOLEAN,
    t80                      TIMESTAMP,
    final_lines              HUGEINT,
    last_edit_ts             TIMESTAMP,
    edit_calls               BIGINT,
    patches_total            BIGINT,
    patches_after_80         BIGINT,
    local_patches            BIGINT,
    local_patches_after_80   BIGINT,
    regressions              BIGINT,
    seconds_before_80        DOUBLE,
    seconds_after_80         DOUBLE,
    active_seconds_before_80 DOUBLE,
    active_seconds_after_80  DOUBLE,
    local_share              DOUBLE,
    cliff                    BOOLEAN
);

-- Which version of each derived view the store holds and its tables were rebuilt with: the
-- sha256 of the view's rendered text (queries/derived.py). A view missing here or with another
-- checksum means the findings are out of date and the next refresh rebuilds them.
CREATE TABLE _derived_views (
    name        VARCHAR PRIMARY KEY,
    checksum    VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
