-- 018_wait_rule_ids: each wait fact names the wait_syntax rule (ingest/rules/wait_syntax.toml)
-- that recognised it, so a spiral's steps can be explained rule by rule and a wrong one traced
-- to the rule that made it. Facts computed before this column existed are stale (the extractor
-- fingerprint changed) and are recomputed on the next ingest.
ALTER TABLE fact_waits ADD COLUMN rule_id VARCHAR;
