-- 023_price_book: what the price catalogue said for the models already priced, so a warm ingest
-- prices new calls of those models without importing the catalogue (ingest/price_book.py).
-- One row per agent, model and speed: why such calls are unpriced, or when the model's prices
-- change and the per-token prices of each span of unchanged prices seen so far (JSON). Rows are
-- kept under a stamp of the installed catalogue and of dashcam's pricing code: another catalogue
-- or other code reads none of them, and learns its own.
CREATE TABLE price_book (
    stamp        VARCHAR NOT NULL,
    price_source VARCHAR NOT NULL,
    agent        VARCHAR,
    model        VARCHAR,
    speed        VARCHAR,
    recipe       VARCHAR NOT NULL
);
