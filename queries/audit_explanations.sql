-- title: Explanations after failures
-- description: Every causal sentence an assistant wrote after a failure (a failed command or
--   an error result since the previous prompt), with its verdict: exotic (an outside cause
--   without evidence: kernel, network, hardware, platform, upstream, vague), legit (an outside
--   cause the tool output supports) or mundane (the project's own code, config or tests).
--   refuted (exotic only): the next edit of its turn changed the project's own code. evidence: the
--   last tool outputs before the sentence. source_path/line_no locate the message; message_id
--   is its uuid, or file:line for agents that write none (Codex).
-- params: since, until (UTC dates, inclusive, NULL = open), user_name, project, agent, verdict
SELECT explanation_finding_id(agent, session_id, ord, sentence_index) AS finding_id, session_id, agent, user_name, project, git_branch,
       coalesce(message_uuid, source_path || ':' || line_no) AS message_id, ts, sentence_index,
       text, verdict, category, score, cues, refuted, evidence, source_path, line_no, byte_offset
FROM fact_explanations
WHERE ($since IS NULL OR ts::DATE >= $since::DATE)
  AND ($until IS NULL OR ts::DATE <= $until::DATE)
  AND ($user_name IS NULL OR user_name = $user_name)
  AND ($project IS NULL OR project = $project)
  AND ($agent IS NULL OR agent = $agent)
  AND ($verdict IS NULL OR verdict = $verdict)
ORDER BY ts, session_id, ord, sentence_index
