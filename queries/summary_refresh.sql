-- title: Recompute the summaries of the touched sessions
-- description: For the sessions in _summary_changed (queries/summary_touched*.sql): first the
--   billed line of every dedup key they hold or held, chosen exactly as the billed_usage view
--   chooses it (a key may be shared with a session in another file, whose billed rows then
--   change too, so that session is recomputed as well); then each session's usage, the bucket
--   groups (summary_bucket_usage) those sessions had or have, summed again over their sessions,
--   and each session's activity, session row and files. Reads only the rows of those sessions
--   and keys, and the summary_usage rows of those groups.
CREATE OR REPLACE TEMP TABLE _summary_keys AS
SELECT DISTINCT agent, dedup_key
FROM (SELECT agent, dedup_key FROM usage u SEMI JOIN _summary_changed t USING (agent, session_id)
      WHERE dedup_key IS NOT NULL
      UNION ALL
      SELECT agent, dedup_key FROM summary_billed b SEMI JOIN _summary_changed t USING (agent, session_id));

CREATE OR REPLACE TEMP TABLE _summary_winners AS
SELECT agent, dedup_key, session_id, source_path, byte_offset, seq
FROM usage u SEMI JOIN _summary_keys k USING (agent, dedup_key)
QUALIFY row_number() OVER (
            PARTITION BY agent, dedup_key
            ORDER BY input_tokens + output_tokens + cache_read_tokens
                       + cache_write_5m_tokens + cache_write_1h_tokens DESC,
                     ts, source_path, byte_offset, seq) = 1;

CREATE OR REPLACE TEMP TABLE _summary_touched AS
SELECT agent, session_id FROM _summary_changed
UNION
SELECT agent, session_id FROM summary_billed b SEMI JOIN _summary_keys k USING (agent, dedup_key)
UNION
SELECT agent, session_id FROM _summary_winners;

DELETE FROM summary_billed WHERE (agent, dedup_key) IN (SELECT agent, dedup_key FROM _summary_keys);
INSERT INTO summary_billed SELECT * FROM _summary_winners;

-- the bucket groups the touched sessions held: summed again below, with the ones they hold now
CREATE OR REPLACE TEMP TABLE _summary_groups AS
SELECT DISTINCT bucket, agent, user_name, project, model, speed, estimated
FROM summary_usage SEMI JOIN _summary_touched USING (agent, session_id);

DELETE FROM summary_usage WHERE (agent, session_id) IN (SELECT agent, session_id FROM _summary_touched);
INSERT INTO summary_usage
WITH winners AS (
    SELECT agent, dedup_key, source_path, byte_offset, seq
    FROM summary_billed b SEMI JOIN _summary_touched t USING (agent, session_id)
),
billed AS (
    SELECT u.*,
           u.input_tokens + u.output_tokens + u.cache_read_tokens
             + u.cache_write_5m_tokens + u.cache_write_1h_tokens
             + CASE WHEN u.reasoning_in_output THEN 0 ELSE u.reasoning_tokens END AS total_tokens,
           u.cache_write_5m_tokens + u.cache_write_1h_tokens AS cache_write_tokens
    FROM usage u SEMI JOIN _summary_touched t USING (agent, session_id)
    LEFT JOIN winners w
      ON w.agent = u.agent AND w.dedup_key = u.dedup_key AND w.source_path = u.source_path
     AND w.byte_offset = u.byte_offset AND w.seq = u.seq
    WHERE u.dedup_key IS NULL OR w.dedup_key IS NOT NULL
)
SELECT agent, session_id, time_bucket(INTERVAL '15 minutes', ts) AS bucket,
       user_name, project, model, speed, estimated,
       count(*)                                   AS responses,
       sum(input_tokens)                          AS input_tokens,
       sum(output_tokens)                         AS output_tokens,
       sum(cache_write_tokens)                    AS cache_write_tokens,
       sum(cache_read_tokens)                     AS cache_read_tokens,
       sum(total_tokens)                          AS total_tokens,
       sum(cost_usd)                              AS cost_usd,
       count(*) FILTER (WHERE cost_usd IS NULL)   AS unpriced_rows,
       coalesce(sum(total_tokens) FILTER (WHERE cost_usd IS NULL), 0) AS unpriced_tokens,
       sum(cache_savings_usd)                     AS cache_saved_usd,
       count(*) FILTER (WHERE model_assumed)      AS assumed_rows,
       min(ts)                                    AS first_ts,
       max(ts)                                    AS last_ts
FROM billed
GROUP BY ALL;

INSERT INTO _summary_groups
SELECT DISTINCT bucket, agent, user_name, project, model, speed, estimated
FROM summary_usage SEMI JOIN _summary_touched USING (agent, session_id);

DELETE FROM summary_bucket_usage t USING (SELECT DISTINCT * FROM _summary_groups) g
WHERE t.bucket IS NOT DISTINCT FROM g.bucket AND t.agent IS NOT DISTINCT FROM g.agent
  AND t.user_name IS NOT DISTINCT FROM g.user_name AND t.project IS NOT DISTINCT FROM g.project
  AND t.model IS NOT DISTINCT FROM g.model AND t.speed IS NOT DISTINCT FROM g.speed
  AND t.estimated IS NOT DISTINCT FROM g.estimated;
INSERT INTO summary_bucket_usage
SELECT u.bucket, u.agent, u.user_name, u.project, u.model, u.speed, u.estimated,
       count(*)                   AS sessions,
       sum(responses)             AS responses,
       sum(input_tokens)          AS input_tokens,
       sum(output_tokens)         AS output_tokens,
       sum(cache_write_tokens)    AS cache_write_tokens,
       sum(cache_read_tokens)     AS cache_read_tokens,
       sum(total_tokens)          AS total_tokens,
       -- summed in one fixed order (a session is once in a group): never hangs on storage order
       sum(cost_usd ORDER BY u.session_id)        AS cost_usd,
       sum(unpriced_rows)         AS unpriced_rows,
       sum(unpriced_tokens)       AS unpriced_tokens,
       sum(cache_saved_usd ORDER BY u.session_id) AS cache_saved_usd,
       sum(assumed_rows)          AS assumed_rows,
       min(first_ts)              AS first_ts,
       max(last_ts)               AS last_ts
FROM summary_usage u
SEMI JOIN (SELECT DISTINCT * FROM _summary_groups) g
  ON u.bucket IS NOT DISTINCT FROM g.bucket AND u.agent IS NOT DISTINCT FROM g.agent
 AND u.user_name IS NOT DISTINCT FROM g.user_name AND u.project IS NOT DISTINCT FROM g.project
 AND u.model IS NOT DISTINCT FROM g.model AND u.speed IS NOT DISTINCT FROM g.speed
 AND u.estimated IS NOT DISTINCT FROM g.estimated
GROUP BY u.bucket, u.agent, u.user_name, u.project, u.model, u.speed, u.estimated;

DELETE FROM summary_activity WHERE (agent, session_id) IN (SELECT agent, session_id FROM _summary_touched);
INSERT INTO summary_activity
SELECT agent, session_id, user_name, time_bucket(INTERVAL '15 minutes', ts) AS bucket,
       count(*) FILTER (WHERE kind = 'message') AS messages,
       count(*) FILTER (WHERE kind = 'call')    AS tool_calls,
       count(*) FILTER (WHERE kind = 'failure') AS failures
FROM (SELECT agent, session_id, user_name, ts, 'message' AS kind FROM messages SEMI JOIN _summary_touched USING (agent, session_id)
      UNION ALL
      SELECT agent, session_id, user_name, ts, 'call' FROM tool_calls SEMI JOIN _summary_touched USING (agent, session_id)
      UNION ALL
      SELECT agent, session_id, user_name, ts, 'failure' FROM tool_results SEMI JOIN _summary_touched USING (agent, session_id)
      WHERE is_error OR coalesce(exit_code, 0) <> 0)
GROUP BY ALL;

DELETE FROM summary_sessions WHERE (agent, session_id) IN (SELECT agent, session_id FROM _summary_touched);
INSERT INTO summary_sessions
WITH described AS (
    -- as the sessions view (migration 001) describes a session
    SELECT agent,
           session_id,
           any_value(user_name)                                          AS user_name,
           arg_min(project, ts) FILTER (WHERE project IS NOT NULL)       AS project,
           arg_min(git_branch, ts) FILTER (WHERE git_branch IS NOT NULL) AS git_branch,
           arg_min(git_repo, ts) FILTER (WHERE git_repo IS NOT NULL)     AS git_repo,
           any_value(parent_session_id) FILTER (WHERE parent_session_id IS NOT NULL) AS parent_session_id,
           any_value(title) FILTER (WHERE title IS NOT NULL)             AS title,
           min(ts)                                                       AS started_at,
           max(ts)                                                       AS ended_at,
           count(*) FILTER (WHERE kind IN ('text', 'thinking'))          AS messages,
           any_value(source_path)                                        AS source_path,
           list(DISTINCT user_name)                                      AS users,
           coalesce(list(DISTINCT project) FILTER (WHERE project IS NOT NULL), []) AS projects
    FROM messages SEMI JOIN _summary_touched USING (agent, session_id)
    GROUP BY agent, session_id
),
counts AS (
    SELECT agent, session_id, sum(tool_calls) AS tool_calls, sum(failures) AS failures
    FROM summary_activity SEMI JOIN _summary_touched USING (agent, session_id)
    GROUP BY agent, session_id
),
spend AS (
    -- summed in one fixed order: the total does not hang on the order the buckets were written in
    SELECT agent, session_id,
           sum(cost_usd ORDER BY bucket, user_name, project, model, speed, estimated) AS cost_usd,
           sum(unpriced_rows) AS unpriced_responses,
           string_agg(DISTINCT model, ', ' ORDER BY model) AS billed_models
    FROM summary_usage SEMI JOIN _summary_touched USING (agent, session_id)
    GROUP BY agent, session_id
)
SELECT d.agent, d.session_id, d.user_name, d.project, d.git_branch, d.git_repo, d.parent_session_id, d.title,
       d.started_at, d.ended_at, d.messages, d.source_path,
       coalesce(c.tool_calls, 0), coalesce(c.failures, 0),
       s.cost_usd, coalesce(s.unpriced_responses, 0), s.billed_models,
       d.users, d.projects
FROM described d
LEFT JOIN counts c USING (agent, session_id)
LEFT JOIN spend s USING (agent, session_id);

DELETE FROM summary_session_models WHERE (agent, session_id) IN (SELECT agent, session_id FROM _summary_touched);
INSERT INTO summary_session_models
SELECT DISTINCT agent, session_id, model
FROM usage SEMI JOIN _summary_touched USING (agent, session_id)
WHERE model IS NOT NULL;

DELETE FROM summary_session_files WHERE (agent, session_id) IN (SELECT agent, session_id FROM _summary_touched);
INSERT INTO summary_session_files
SELECT DISTINCT agent, session_id, source_path
FROM (SELECT agent, session_id, source_path FROM messages SEMI JOIN _summary_touched USING (agent, session_id)
      UNION ALL SELECT agent, session_id, source_path FROM usage SEMI JOIN _summary_touched USING (agent, session_id)
      UNION ALL SELECT agent, session_id, source_path FROM tool_calls SEMI JOIN _summary_touched USING (agent, session_id)
      UNION ALL SELECT agent, session_id, source_path FROM tool_results SEMI JOIN _summary_touched USING (agent, session_id));

DELETE FROM summary_dirty;
DELETE FROM summary_dirty_files;
DROP TABLE _summary_keys;
DROP TABLE _summary_winners;
DROP TABLE _summary_touched;
DROP TABLE _summary_groups;
DROP TABLE _summary_changed;
