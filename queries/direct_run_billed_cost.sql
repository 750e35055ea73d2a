-- title: (over the event tables) What an ingest run added to the bill
-- description: Cost and unpriced responses among the billed (deduplicated) responses whose
--   row was stored by this run: a response already billed from another file is not counted twice.
--   assumed_rows: responses priced under an assumed model (the transcript named none).
--   The direct form of run_billed_cost.sql, read while the summary tables are not current.
SELECT coalesce(sum(cost_usd), 0.0)                AS cost_usd,
       count(*) FILTER (WHERE cost_usd IS NULL)    AS unpriced_rows,
       count(*) FILTER (WHERE model_assumed)       AS assumed_rows
FROM billed_usage
WHERE run_id = $run_id
