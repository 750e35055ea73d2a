"""Keep the summary tables in step with the event tables, for the sessions an ingest touched.

An ingest marks what it wrote as it writes (:class:`ingest.store.LoadTransaction`): the
sessions of the rows it inserted and the files whose rows it deleted. At the end of the run
:func:`refresh_summaries` recomputes those sessions' summaries (``queries/summary_refresh.sql``)
and nothing else, so its cost follows what changed, not the size of the store. A store whose
summaries were never built, or were built by other SQL (:func:`queries.summary.summaries_current`),
and ``--rebuild`` rebuild them all from the events.
"""

from __future__ import annotations

import duckdb

from ingest.store import utc_now
from queries import execute, load_sql
from queries.summary import checksum, summaries_current


def summaries_pending(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a refresh has work: summaries not current, or sessions or files marked since."""
    if not summaries_current(con):
        return True
    row = execute(con, "summary_pending").fetchone()
    return bool(row and row[0])


def refresh_summaries(con: duckdb.DuckDBPyConnection, rebuild: bool = False) -> bool:
    """Recompute the touched sessions' summaries (all of them with ``rebuild`` or when they are
    not current), in one transaction; return whether anything was done."""
    full = rebuild or not summaries_current(con)
    if not full and not summaries_pending(con):
        return False
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(load_sql("summary_touched_all" if full else "summary_touched"))
        con.execute(load_sql("summary_refresh"))
        # written in as literals by queries.execute, so no parameter binding loads pandas
        execute(con, "summary_state_update", checksum=checksum(), built_at=utc_now())
        con.execute("COMMIT")
    except duckdb.Error:
        con.execute("ROLLBACK")
        raise
    return True
