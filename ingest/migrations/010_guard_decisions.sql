-- The live guard's decisions, loaded from its spool (``guard/decisions.jsonl`` in the state
-- dir) by ``dashcam ingest`` and ``dashcam guard log``. One row per decision the hooks took:
-- spiral raises denied or asked about, exotic claims sent back at Stop, cliff notes.
-- ``budget_s``: the wait the stopped raise would have spent (time saved when it was denied).
-- ``history``: the quoted staircase or claim, as JSON.
CREATE TABLE guard_decisions (
    decision_id VARCHAR PRIMARY KEY,
    agent       VARCHAR,
    session_id  VARCHAR NOT NULL,
    ts          TIMESTAMP NOT NULL,
    event       VARCHAR NOT NULL,
    rule        VARCHAR NOT NULL,
    decision    VARCHAR NOT NULL,
    mode        VARCHAR,
    site        VARCHAR,
    value_s     DOUBLE,
    budget_s    DOUBLE,
    tool_name   VARCHAR,
    reason      VARCHAR,
    history     VARCHAR,
    loaded_at   TIMESTAMP NOT NULL
);
