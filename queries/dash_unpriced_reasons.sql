-- title: Why models have no price
-- description: For each agent and model the price source does not know, the reason recorded at
--   ingest. How many responses and tokens they account for comes from dash_cost_cube, which
--   counts deduplicated responses under the dashboard's filters.
SELECT agent, coalesce(model, '(unknown)') AS model, any_value(unpriced_reason) AS reason
FROM usage
WHERE cost_usd IS NULL
GROUP BY agent, coalesce(model, '(unknown)')
ORDER BY agent, model
