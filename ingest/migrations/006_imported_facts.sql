-- 006_imported_facts: facts that arrived in a bundle without text cannot be recomputed
-- (the sentences and edits they came from were left out), so a refresh or
-- `dashcam audit --rebuild` keeps them until raw transcripts of the session arrive.
ALTER TABLE fact_sessions ADD COLUMN imported_facts BOOLEAN DEFAULT FALSE;
