-- title: Is this a time zone DuckDB knows
-- description: Converts one fixed instant into the zone, so an unknown name fails before any
--   report is grouped by it (a query over no rows would accept any name in silence).
SELECT timezone($timezone, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS local_time
