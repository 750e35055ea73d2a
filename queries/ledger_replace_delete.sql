-- title: Forget the ledger entries about to be rewritten
-- description: Part of a load transaction; `_ledger_batch` holds the group's new entries.
DELETE FROM source_files WHERE path IN (SELECT path FROM _ledger_batch)
