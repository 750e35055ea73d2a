"""(Re)create the derived audit views in a store and tell whether its findings are current.

The views (``queries/view_*.sql``, listed and rendered by :mod:`queries.derived`) are not
part of the schema: they are created with ``CREATE OR REPLACE`` before every rebuild of the
audit tables, in dependency order, and each view's checksum is recorded in ``_derived_views``.
A store whose recorded checksums differ from this dashcam's views (a store made by an earlier
release, or thresholds changed) has findings derived by other rules: the next refresh rebuilds
them, from the stored facts, with no transcript read again.
"""

from __future__ import annotations

import duckdb

from ingest.store import utc_now
from queries.derived import derived_views


def create_derived_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create or replace every derived view and record its checksum (call inside the rebuild's transaction)."""
    views = derived_views()
    current = {view.name for view in views}
    for (name,) in con.execute("SELECT name FROM _derived_views").fetchall():
        if name not in current:  # a view this dashcam no longer defines
            con.execute(f'DROP VIEW IF EXISTS "{name.replace(chr(34), chr(34) * 2)}"')
    for view in views:
        con.execute(view.sql)
    con.execute("DELETE FROM _derived_views")
    con.executemany(
        "INSERT INTO _derived_views VALUES (?, ?, ?)", [[view.name, view.checksum, utc_now()] for view in views]
    )


def derived_views_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store's views, and so the audit tables last rebuilt with them, are this dashcam's.

    Reads only, so it works on a read-only connection; a store without ``_derived_views`` (its
    schema is behind) is not current."""
    try:
        stored = dict(con.execute("SELECT name, checksum FROM _derived_views").fetchall())
    except duckdb.CatalogException:
        return False
    return stored == {view.name: view.checksum for view in derived_views()}
