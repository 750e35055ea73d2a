-- title: What an ingest run added to the bill
-- description: Cost and unpriced responses among the billed (deduplicated) responses whose
--   row was stored by this run: a response already billed from another file is not counted twice.
SELECT coalesce(sum(cost_usd), 0.0)                AS cost_usd,
       count(*) FILTER (WHERE cost_usd IS NULL)    AS unpriced_rows
FROM billed_usage
WHERE run_id = $run_id
