-- title: One session's header
-- direct: direct_session
-- description: Who ran the session, where, when, what it cost and which models it used.
--   Read from the summary tables: the session's row of summary_sessions and its usage rows.
-- params: agent, session_id
WITH spend AS (
    SELECT sum(responses)::BIGINT AS responses, sum(total_tokens)::BIGINT AS total_tokens
    FROM summary_usage
    WHERE agent = $agent AND session_id = $session_id
)
SELECT s.agent, s.session_id, s.user_name, s.project, s.git_branch, s.git_repo, s.parent_session_id, s.title,
       s.started_at, s.ended_at, s.messages, s.source_path,
       s.cost_usd, coalesce(spend.responses, 0) AS responses, s.unpriced_responses, spend.total_tokens,
       s.billed_models AS models
FROM summary_sessions s, spend
WHERE s.agent = $agent AND s.session_id = $session_id
