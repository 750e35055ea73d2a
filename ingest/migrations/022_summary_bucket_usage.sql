-- 022_summary_bucket_usage: billed usage per 15-minute UTC bucket, agent, user, project, model,
-- speed and estimated flag, summed over sessions: summary_usage without the session, so the
-- cost reports and the pages' cost figures read one row per bucket and key (a few per active
-- hour) instead of one per session. Maintained by queries/summary_refresh.sql from
-- summary_usage: the groups the touched sessions had or have are summed again. The checksum of
-- the summary scripts changed with it, so the next refresh rebuilds every summary table.
CREATE TABLE summary_bucket_usage (
    bucket             TIMESTAMP,
    agent              VARCHAR,
    user_name          VARCHAR,
    project            VARCHAR,
    model              VARCHAR,
    speed              VARCHAR,
    estimated          BOOLEAN,
    sessions           BIGINT,
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
