-- title: The price recipes learned under one stamp of the catalogue and the pricing code
-- description: What ingest/price_book.py reads before pricing a batch: per agent, model and
--   speed, the recipe (JSON) and the price source it was learned from.
-- params: stamp (VARCHAR)
SELECT agent, model, speed, price_source, recipe
FROM price_book
WHERE stamp = $stamp
