-- title: Record what was consumed of each transcript file of a load group
INSERT INTO source_files BY NAME SELECT * FROM _ledger_batch
