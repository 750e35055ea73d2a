-- title: Sessions whose audit facts must be (re)computed
-- description: A session is stale when it has no facts yet, its facts come from another
--   extractor version, or an ingest run that started after its facts were computed loaded
--   some of its rows (a file grew or was re-read). With $rebuild every session is stale,
--   except those whose facts were imported from a bundle without text: nothing is left to
--   recompute them from until raw transcripts of the session arrive.
-- params: extractor_version (VARCHAR: the rules-and-extractor fingerprint), rebuild (BOOLEAN)
WITH event_runs AS (
    SELECT DISTINCT agent, session_id, run_id FROM messages
    UNION
    SELECT DISTINCT agent, session_id, run_id FROM tool_calls
    UNION
    SELECT DISTINCT agent, session_id, run_id FROM tool_results
),
latest AS (
    SELECT e.agent, e.session_id, max(r.started_at) AS last_ingest
    FROM event_runs e
    LEFT JOIN ingest_runs r USING (run_id)
    GROUP BY e.agent, e.session_id
)
SELECT l.agent, l.session_id
FROM latest l
LEFT JOIN fact_sessions f USING (agent, session_id)
WHERE l.last_ingest > f.refreshed_at
   OR f.session_id IS NULL
   OR l.last_ingest IS NULL
   OR (NOT coalesce(f.imported_facts, FALSE)
       AND (coalesce($rebuild, FALSE) OR f.extractor_version <> $extractor_version))
ORDER BY l.agent, l.session_id
