-- title: Split the sessions to refresh into batches of a bounded number of event rows
-- description: Numbers the sessions of _summary_changed (queries/summary_touched*.sql) in
--   (agent, session_id) order and cuts them into consecutive batches of about $batch_rows
--   stored rows (messages, usage lines, tool calls and results) each: a session is never split,
--   so one larger than $batch_rows is a batch of its own. queries/summary_refresh.sql then runs
--   once per batch, so the memory a refresh needs follows the batch, not the store.
-- params: batch_rows (BIGINT: rows per batch, at least 1)
CREATE OR REPLACE TEMP TABLE _summary_batches AS
WITH sized AS (
    SELECT agent, session_id, count(*) AS event_rows
    FROM (SELECT agent, session_id FROM messages SEMI JOIN _summary_changed USING (agent, session_id)
          UNION ALL SELECT agent, session_id FROM usage SEMI JOIN _summary_changed USING (agent, session_id)
          UNION ALL SELECT agent, session_id FROM tool_calls SEMI JOIN _summary_changed USING (agent, session_id)
          UNION ALL SELECT agent, session_id FROM tool_results SEMI JOIN _summary_changed USING (agent, session_id))
    GROUP BY agent, session_id
)
SELECT c.agent, c.session_id,
       CAST((coalesce(sum(s.event_rows) OVER (ORDER BY c.agent, c.session_id
                                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))
            // greatest($batch_rows, 1) AS BIGINT) AS batch
FROM _summary_changed c
LEFT JOIN sized s USING (agent, session_id);
