-- title: Tables and views in the database
-- description: What the schema holds, so the dashboard can tell an empty database from one
--   that was never migrated, and whether the audit tables have been built.
SELECT table_name, table_type
FROM information_schema.tables
WHERE table_schema = 'main'
ORDER BY table_name
