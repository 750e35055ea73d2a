-- title: Rebuild the derived audit tables from the facts
-- description: Recomputes every audit_* table from its derived view (queries/view_*.sql,
--   re-created just before), in dependency order: session features first (the spiral views
--   follow a wait site across the sessions of a feature), spirals, their steps, completion,
--   patches, features. Run in one transaction after facts or feature rules changed. Columns
--   are matched by name: the tables' schema is 013_derived_tables.sql.
DELETE FROM audit_session_features;
INSERT INTO audit_session_features BY NAME SELECT * FROM audit_compute_session_features;
DELETE FROM audit_spirals;
INSERT INTO audit_spirals BY NAME SELECT * FROM audit_compute_spirals;
DELETE FROM audit_spiral_steps;
INSERT INTO audit_spiral_steps BY NAME SELECT * FROM audit_compute_spiral_steps;
DELETE FROM audit_completion;
INSERT INTO audit_completion BY NAME SELECT * FROM audit_compute_completion;
DELETE FROM audit_patches;
INSERT INTO audit_patches BY NAME SELECT * FROM audit_compute_patches;
DELETE FROM audit_features;
INSERT INTO audit_features BY NAME SELECT * FROM audit_compute_features;
