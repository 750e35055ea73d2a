-- 005_cache_savings: what prompt caching saved on each call, priced at ingest.
-- cache_savings_usd = the call's cost had its cache reads been plain input, minus its cost
-- (same model, date and context tier). NULL when the call is unpriced; rows ingested
-- before this migration stay NULL until their file is read again.
ALTER TABLE usage ADD COLUMN cache_savings_usd DOUBLE;
