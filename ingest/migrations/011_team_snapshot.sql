-- 011_team_snapshot: which team lake snapshot a local copy of the lake was made from.
-- `dashcam costs|report|audit|dashboard --team` read a copy of one DuckLake snapshot in this
-- schema (the same named queries as at home); a report names the snapshot it was made from.
-- Empty in a machine's own database.
CREATE TABLE team_snapshot (
    team           VARCHAR NOT NULL,
    catalog        VARCHAR NOT NULL,   -- the catalog with any password masked
    snapshot_id    BIGINT NOT NULL,
    snapshot_time  TIMESTAMP,
    copied_at      TIMESTAMP NOT NULL
);
