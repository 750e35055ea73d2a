-- title: Features past their 80% mark, for the live guard
-- description: Per feature (repository@branch) with a t80: the mark and the fixes landed
--   after it, written by `dashcam ingest` to the guard's state dir so the Stop hook can tell
--   the person how many fixes have landed since the mark without opening the database.
SELECT feature, t80, patches_after_80
FROM audit_features
WHERE t80 IS NOT NULL AND feature LIKE '%@%'
ORDER BY feature
