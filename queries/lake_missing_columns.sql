-- title: Columns of dashcam's schema the team lake does not have yet
-- description: For each table in $tables, every column of the schema built from the migrations
--   (the in-memory database) that the lake (attached as ``lake``) lacks, with its type and
--   whether the whole table is missing. Pushing and joining add them, so a lake created by an
--   older dashcam grows with the schema instead of refusing newer rows.
-- params: tables (list of table names)
SELECT c.table_name, c.column_name, c.data_type,
       NOT EXISTS (SELECT 1 FROM duckdb_tables() t
                   WHERE t.database_name = 'lake' AND t.table_name = c.table_name) AS table_missing
FROM duckdb_columns() c
WHERE c.database_name = 'memory' AND c.schema_name = 'main' AND list_contains($tables, c.table_name)
  AND NOT EXISTS (SELECT 1 FROM duckdb_columns() l
                  WHERE l.database_name = 'lake' AND l.table_name = c.table_name
                    AND l.column_name = c.column_name)
ORDER BY c.table_name, c.column_index
