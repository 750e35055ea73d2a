-- title: Tables of one attached database
-- description: The names of the tables in an attached database (`lake`, `home`, `copy`), so a
--   push or a copy only touches the team tables that exist on both sides.
-- params: database (VARCHAR)
SELECT table_name FROM duckdb_tables() WHERE database_name = $database ORDER BY table_name
