-- 004_redactions: how many secrets each ingest run (or bundle import) replaced before storing.
-- Secrets (API keys, tokens, private keys, passwords) are redacted in the row builder, so the
-- event tables never hold them; this table keeps the evidence that redaction happened, per kind.
CREATE TABLE ingest_redactions (
    run_id  VARCHAR NOT NULL,
    kind    VARCHAR NOT NULL,   -- see ingest/redact.py: anthropic_key, openai_key, aws_access_key, …
    count   BIGINT NOT NULL,
    PRIMARY KEY (run_id, kind)
);
