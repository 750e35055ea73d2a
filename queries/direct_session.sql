-- title: (over the event tables) One session's header
-- description: Who ran the session, where, when, what it cost and which models it used.
--   The direct form of dash_session.sql, read while the summary tables are not current, and
--   the reference the tests hold the summary-backed form to.
-- params: agent, session_id
WITH spend AS (
    SELECT sum(cost_usd) AS cost_usd, count(*) AS responses, count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced_responses,
           sum(total_tokens)::BIGINT AS total_tokens, string_agg(DISTINCT model, ', ' ORDER BY model) AS models
    FROM billed_usage
    WHERE agent = $agent AND session_id = $session_id
)
SELECT s.agent, s.session_id, s.user_name, s.project, s.git_branch, s.git_repo, s.parent_session_id, s.title,
       s.started_at, s.ended_at, s.messages, s.source_path,
       spend.cost_usd, spend.responses, spend.unpriced_responses, spend.total_tokens, spend.models
FROM sessions s, spend
WHERE s.agent = $agent AND s.session_id = $session_id
