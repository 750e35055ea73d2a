-- 009_marks_and_assumed_models: a person's verdict on a finding (right or wrong), kept apart from everything
-- derived. The derived tables and facts are deleted and recomputed at every refresh or
-- --rebuild; marks never are, so they are keyed by a finding id computed from what the
-- finding is (session, kind and position or site), never from a row number: the same
-- finding gets the same id after a rebuild, a re-ingest or on a teammate's machine.
-- text, verdict and rules are a snapshot taken when the mark was set, so the labels and the
-- measured precision still read the same after a detector change moved or dropped the finding.

-- The finding ids, defined once: 'x' explanation (session, message ordinal, sentence),
-- 's' spiral (session and wait site), 'c' 80% cliff (feature).
CREATE MACRO explanation_finding_id(agent, session_id, ord, sentence_index) AS
    'x' || left(md5(agent || '/' || session_id || '/explanation/' || ord || '/' || coalesce(sentence_index, 0)), 12);
CREATE MACRO spiral_finding_id(agent, session_id, site) AS
    's' || left(md5(agent || '/' || session_id || '/spiral/' || site), 12);
CREATE MACRO cliff_finding_id(feature) AS
    'c' || left(md5('cliff/' || feature), 12);

CREATE TABLE audit_marks (
    finding_id   VARCHAR PRIMARY KEY,
    kind         VARCHAR NOT NULL,          -- explanation | spiral | cliff
    agent        VARCHAR,                   -- a cliff: its feature's first session
    session_id   VARCHAR,
    feature      VARCHAR,
    text         VARCHAR,                   -- the sentence, the site, or the feature
    verdict      VARCHAR,                   -- what the audit said: exotic/legit/mundane, the spiral outcome, cliff
    rules        VARCHAR,                   -- JSON list of the rules (cues, construct) behind the finding
    mark         VARCHAR NOT NULL CHECK (mark IN ('right', 'wrong')),
    note         VARCHAR,
    marked_by    VARCHAR,
    marked_at    TIMESTAMP NOT NULL         -- UTC
);

-- A usage row whose transcript names no model (a Codex rollout without turn_context or model
-- metadata) is priced under an assumed model; it says so, as ccusage's isFallback does.
ALTER TABLE usage ADD COLUMN model_assumed BOOLEAN DEFAULT FALSE;  -- DuckDB 1.5 adds no column with a constraint
