"""Per-event facts extracted at ingest: waits, explanations and edits (pure functions)."""
