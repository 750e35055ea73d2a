-- 012_extractor_fingerprint: a session's facts record the fingerprint (a hash of the rule files
-- and the extractor code) they were computed with, instead of a hand-bumped number, so any
-- change to a rule makes every session's facts stale. Old integer versions become text that no
-- fingerprint equals, so an upgraded store recomputes its facts on the next ingest.
ALTER TABLE fact_sessions ALTER extractor_version SET DATA TYPE VARCHAR;
