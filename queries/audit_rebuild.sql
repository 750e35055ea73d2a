-- title: Rebuild the derived audit tables from the facts
-- description: Recomputes every audit_* table from its audit_compute_* view, in dependency
--   order (spirals, their steps; session features, completion, patches, features). Run in
--   one transaction after facts or feature rules changed.
DELETE FROM audit_spirals;
INSERT INTO audit_spirals SELECT * FROM audit_compute_spirals;
DELETE FROM audit_spiral_steps;
INSERT INTO audit_spiral_steps SELECT * FROM audit_compute_spiral_steps;
DELETE FROM audit_session_features;
INSERT INTO audit_session_features SELECT * FROM audit_compute_session_features;
DELETE FROM audit_completion;
INSERT INTO audit_completion SELECT * FROM audit_compute_completion;
DELETE FROM audit_patches;
INSERT INTO audit_patches SELECT * FROM audit_compute_patches;
DELETE FROM audit_features;
INSERT INTO audit_features SELECT * FROM audit_compute_features;
