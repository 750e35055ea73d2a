-- title: Which of the shareable tables this database has
-- description: Base tables among the event and fact tables (fact tables arrive with migration 002)
--   and the marks people set on findings (migration 009).
-- params: none
SELECT table_name
FROM information_schema.tables
WHERE table_type = 'BASE TABLE'
  AND (table_name IN ('messages', 'usage', 'tool_calls', 'tool_results') OR table_name LIKE 'fact\_%' ESCAPE '\' OR table_name = 'audit_marks')
ORDER BY table_name
