-- title: Stored feature rules
-- description: The rules of the features.toml last applied, in order (see feature_rules).
SELECT position, name, field, pattern, repository, ignore
FROM feature_rules
ORDER BY position, field, pattern
