-- title: Per-event fact tables
-- description: Tables named fact_* hold facts extracted per event and are replaced with their file.
SELECT table_name FROM information_schema.tables
WHERE table_name LIKE 'fact\_%' ESCAPE '\' AND table_type = 'BASE TABLE'
ORDER BY table_name
