-- title: Take the lake's head row for this write
-- description: Every write to the lake changes its one `team_head` row, so two concurrent
--   writers always conflict here and one of them retries (see lake_schema.sql).
-- params: id, machine, at
UPDATE lake.team_head SET push_id = $id, machine = $machine, changed_at = $at
