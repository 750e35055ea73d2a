"""Keep the summary tables in step with the event tables, for the sessions an ingest touched.

An ingest marks what it wrote as it writes (:class:`ingest.store.LoadTransaction`): the
sessions of the rows it inserted and the files whose rows it deleted. At the end of the run
:func:`refresh_summaries` recomputes those sessions' summaries (``queries/summary_refresh.sql``)
and nothing else, so its cost follows what changed, not the size of the store. A store whose
summaries were never built, or were built by other SQL (:func:`queries.summary.summaries_current`),
and ``--rebuild`` rebuild them all from the events.

The sessions are refreshed in batches of about :data:`BATCH_ROWS` event rows
(``queries/summary_batches.sql``), so a refresh of every session of a large store needs the
memory of one batch. A refresh that fits one batch is one transaction; a longer one commits
batch by batch, with the summaries marked not current until its last batch is in: if it stops
half-way, readers answer from the events and the next refresh rebuilds them all.
"""

from __future__ import annotations

import duckdb

from ingest.store import out_of_memory, utc_now
from queries import execute, load_sql
from queries.summary import checksum, summaries_current

# Event rows (messages, usage lines, tool calls and results) per refresh batch: the memory a
# batch needs stays well inside the writer's 512 MB at this size.
BATCH_ROWS = 1_000_000
TEMP_TABLES = (
    "_summary_batches",
    "_summary_changed",
    "_summary_keys",
    "_summary_winners",
    "_summary_touched",
    "_summary_groups",
)


def summaries_pending(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a refresh has work: summaries not current, or sessions or files marked since."""
    if not summaries_current(con):
        return True
    row = execute(con, "summary_pending").fetchone()
    return bool(row and row[0])


def refresh_summaries(con: duckdb.DuckDBPyConnection, rebuild: bool = False, batch_rows: int | None = None) -> bool:
    """Recompute the touched sessions' summaries (all of them with ``rebuild`` or when they are
    not current), ``batch_rows`` (default :data:`BATCH_ROWS`) event rows at a time; return whether anything was done.

    A batch that outgrows memory is a one-line :class:`ingest.store.StoreOutOfMemory`."""
    full = rebuild or not summaries_current(con)
    if not full and not summaries_pending(con):
        return False
    try:
        _refresh(con, full, batch_rows or BATCH_ROWS)
    except duckdb.OutOfMemoryException as error:
        raise out_of_memory(error, "Refreshing the summary tables") from error
    return True


def _refresh(con: duckdb.DuckDBPyConnection, full: bool, batch_rows: int) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(load_sql("summary_touched_all" if full else "summary_touched"))
        if execute(con, "summary_changed_single").fetchone() == (True,):
            # one session is one batch whatever its size (a warm ingest's usual case): its rows
            # need no counting
            con.execute(load_sql("summary_refresh"))  # clears the marks, drops _summary_changed
        else:
            _refresh_in_batches(con, batch_rows)
        # written in as literals by queries.execute, so no parameter binding loads pandas
        execute(con, "summary_state_update", checksum=checksum(), built_at=utc_now())
        con.execute("COMMIT")
    except duckdb.Error:
        _roll_back(con)
        raise


def _refresh_in_batches(con: duckdb.DuckDBPyConnection, batch_rows: int) -> None:
    """The sessions of ``_summary_changed`` refreshed batch by batch (queries/summary_batches.sql),
    each committed apart when there are several."""
    execute(con, "summary_batches", batch_rows=max(1, batch_rows))
    batched = execute(con, "summary_is_batched").fetchone() == (True,)
    if batched:
        # not current until the last batch is committed (readers meanwhile ask the events)
        execute(con, "summary_state_update", checksum=None, built_at=None)
    first = True
    while True:
        row = execute(con, "summary_batch_next").fetchone()
        if not first and not (row and row[0]):
            con.execute("DROP TABLE _summary_changed")
            break
        first = False
        con.execute(load_sql("summary_refresh"))  # clears the marks, drops _summary_changed
        if batched:
            con.execute("COMMIT")
            con.execute("BEGIN TRANSACTION")
    con.execute("DROP TABLE _summary_batches")


def _roll_back(con: duckdb.DuckDBPyConnection) -> None:
    """Undo the open batch and drop the refresh's temp tables (a batched refresh's live on)."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass  # the failure was the commit itself: no transaction is open
    for table in TEMP_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")
