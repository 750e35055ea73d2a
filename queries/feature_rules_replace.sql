-- title: Store the feature rules read from features.toml
-- description: Replaces the stored rules with the registered table _new_feature_rules; the
--   derived audit tables are rebuilt next (see audit_rebuild), so every reader — the CLI,
--   the dashboard — groups sessions by the same rules.
DELETE FROM feature_rules;
INSERT INTO feature_rules BY NAME SELECT * FROM _new_feature_rules;
