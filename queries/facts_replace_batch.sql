-- title: Replace the facts of a batch of sessions
-- description: Deletes every fact row of the sessions in the registered table _fact_batch
--   and inserts the new rows from the registered tables _new_fact_* (one per fact table).
--   Run inside one transaction, so readers see the old facts or the new ones, never half.
DELETE FROM fact_commands     WHERE (agent, session_id) IN (SELECT agent, session_id FROM _fact_batch);
DELETE FROM fact_waits        WHERE (agent, session_id) IN (SELECT agent, session_id FROM _fact_batch);
DELETE FROM fact_edits        WHERE (agent, session_id) IN (SELECT agent, session_id FROM _fact_batch);
DELETE FROM fact_edit_lines   WHERE (agent, session_id) IN (SELECT agent, session_id FROM _fact_batch);
DELETE FROM fact_explanations WHERE (agent, session_id) IN (SELECT agent, session_id FROM _fact_batch);
DELETE FROM fact_prompts      WHERE (agent, session_id) IN (SELECT agent, session_id FROM _fact_batch);
DELETE FROM fact_user_reports WHERE (agent, session_id) IN (SELECT agent, session_id FROM _fact_batch);
DELETE FROM fact_active_spans WHERE (agent, session_id) IN (SELECT agent, session_id FROM _fact_batch);
DELETE FROM fact_sessions     WHERE (agent, session_id) IN (SELECT agent, session_id FROM _fact_batch);
INSERT INTO fact_commands     BY NAME SELECT * FROM _new_fact_commands;
INSERT INTO fact_waits        BY NAME SELECT * FROM _new_fact_waits;
INSERT INTO fact_edits        BY NAME SELECT * FROM _new_fact_edits;
INSERT INTO fact_edit_lines   BY NAME SELECT * FROM _new_fact_edit_lines;
INSERT INTO fact_explanations BY NAME SELECT * FROM _new_fact_explanations;
INSERT INTO fact_prompts      BY NAME SELECT * FROM _new_fact_prompts;
INSERT INTO fact_user_reports BY NAME SELECT * FROM _new_fact_user_reports;
INSERT INTO fact_active_spans BY NAME SELECT * FROM _new_fact_active_spans;
INSERT INTO fact_sessions     BY NAME SELECT * FROM _new_fact_sessions;
