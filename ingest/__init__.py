"""Everything that turns agent transcript files into rows of the DuckDB event store."""
