-- title: Which team lake snapshot this database copies
-- description: (team, snapshot id, snapshot time) of the newest copy made into this database by
--   `dashcam team pull`; none for a local database.
SELECT team, snapshot_id, snapshot_time FROM team_snapshot ORDER BY copied_at DESC LIMIT 1
