-- title: Forget one agent, model and speed's price recipe before it is written again
-- description: The stamp's row for the key (NULLs match NULLs), replaced by queries/price_book_write.sql.
-- params: stamp (VARCHAR), agent (VARCHAR), model (VARCHAR), speed (VARCHAR)
DELETE FROM price_book
WHERE stamp = $stamp AND agent IS NOT DISTINCT FROM $agent
  AND model IS NOT DISTINCT FROM $model AND speed IS NOT DISTINCT FROM $speed
