-- title: Forget a file's ledger entry (before writing the new one in the same transaction)
DELETE FROM source_files WHERE path = $path
