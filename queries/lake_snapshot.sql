-- title: The team lake's current snapshot
-- description: The DuckLake snapshot a reader sees (id and time, UTC), so a report can name
--   the state of the lake it was made from. Run with the lake attached as ``lake``.
SELECT snapshot_id, (snapshot_time AT TIME ZONE 'UTC')::TIMESTAMP AS snapshot_time
FROM lake.snapshots()
WHERE snapshot_id = (SELECT id FROM lake.current_snapshot())
