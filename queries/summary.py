"""Whether a store's summary tables are current, so a summary-backed query may read them.

The summary tables (migration 020) are built by the ``queries/summary_*.sql`` scripts; the
store records the checksum of the scripts that built them. A query reading them names its
direct twin in a ``-- direct:`` header line (the same question asked of the event tables);
:func:`queries.run` asks the twin instead while the summaries are absent or were built by other
SQL (a store older than the migration, not yet refreshed), so speed never changes a number.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

import duckdb

from queries import named_query

SCRIPTS = ("summary_touched", "summary_touched_all", "summary_refresh")


@cache
def checksum() -> str:
    """A hash of the scripts that build the summaries: a change in any of them rebuilds them."""
    digest = hashlib.sha256()
    for name in SCRIPTS:
        digest.update(resources.files(__package__).joinpath(f"{name}.sql").read_bytes())
    return digest.hexdigest()


def summaries_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store's summaries were built by this dashcam's scripts and are complete.

    Reads only (works on a read-only connection); a store without the tables is not current."""
    try:
        row = con.execute(named_query("summary_state_checksum").sql).fetchone()
    except duckdb.CatalogException:
        return False
    return row is not None and row[0] == checksum()
