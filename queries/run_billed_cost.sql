-- title: What an ingest run added to the bill
-- direct: direct_run_billed_cost
-- description: Cost and unpriced responses among the billed (deduplicated) responses whose
--   row was stored by this run: a response already billed from another file is not counted twice.
--   assumed_rows: responses priced under an assumed model (the transcript named none).
--   Reads this run's lines and their keys' billed lines (summary_billed, refreshed first).
WITH added AS (
    SELECT * FROM usage WHERE run_id = $run_id
),
winners AS (
    SELECT b.* FROM summary_billed b SEMI JOIN added a USING (agent, dedup_key)
)
SELECT coalesce(sum(a.cost_usd), 0.0)                AS cost_usd,
       count(*) FILTER (WHERE a.cost_usd IS NULL)    AS unpriced_rows,
       count(*) FILTER (WHERE a.model_assumed)       AS assumed_rows
FROM added a
LEFT JOIN winners w
  ON w.agent = a.agent AND w.dedup_key = a.dedup_key AND w.source_path = a.source_path
 AND w.byte_offset = a.byte_offset AND w.seq = a.seq
WHERE a.dedup_key IS NULL OR w.dedup_key IS NOT NULL
