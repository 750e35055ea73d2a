"""Keep the audit facts in step with the stored events, one session at a time.

Facts are derived from the events already in the database, never from the transcripts, so
improving an extractor or a rule needs no re-parse: :data:`EXTRACTOR_VERSION` is a hash of the
rule files and the extractor code (:func:`ingest.rules.fingerprint`), and every session whose
facts carry another hash is recomputed on the next refresh. A session is recomputed when it has no facts yet, when
its facts come from another extractor version, or when an ingest run that started after
its facts were computed loaded some of its rows.

Sessions are processed in batches: their events are read with one named query, the pure
extractor (:mod:`ingest.facts.session_facts`) turns each session into rows, and the old
rows are replaced by the new ones in one transaction, loaded as Arrow tables. When any
facts changed, the derived audit tables (spirals, features, patches…) are rebuilt from them
by SQL (``queries/audit_rebuild.sql``), after the derived views are re-created
(:mod:`ingest.derived_views`); a store whose views are not this dashcam's is rebuilt too.
"""

from __future__ import annotations

import time
from array import array
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, groupby
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from ingest.derived_views import create_derived_views, derived_views_current
from ingest.fact_tables import EXTRACTOR_VERSION, SCHEMAS, session_tables, session_tables_ipc
from ingest.fact_transport import arrow_sessions, to_ipc
from ingest.store import facts_current, out_of_memory, record_facts_current, utc_now
from ingest.store_guard import is_temp_limit_error
from ingest.summaries import refresh_summaries
from ingest.worker_pool import forkserver_pool, worker_count
from queries import execute, load_sql

if TYPE_CHECKING:
    from ingest.facts.session_facts import SessionOutline

# Sessions per refresh transaction: their events are sorted in one query and their fact tables
# held until the batch's insert, so a batch's size is what this process holds (200 held 170 MB
# of facts at once on a 1 GB corpus; 50 hold a quarter of that).
BATCH_SESSIONS = 50
STREAM_ROWS = 10_000  # events converted to Python at a time
# A session with more events is read back in slices of SLICE_EVENTS (by rowid, in the order
# the outline pass found) so that no query sorts all of its text at once: on a 1M-event
# session that one sort alone held DuckDB at its memory limit beside the walk.
LONG_SESSION_EVENTS = 100_000
SLICE_EVENTS = 50_000
# The extractors are pure Python (regexes over every command, edit and sentence): most of a cold
# ingest. With this many stale sessions or more they run in worker processes, one per core (at
# most $DASHCAM_FACT_WORKERS; 0 or 1 keeps them in this process). Each worker gets a session's
# events and sends back its fact tables; the database stays in this process.
PARALLEL_MIN_SESSIONS = 32
# Events sent to workers and not yet back, as Arrow IPC bytes (ingest.fact_transport): bounds
# what this process holds for them (each also sits once in the pipe's pickle).
IN_FLIGHT_BYTES = 16 << 20  # a session is at most a few MB of them: the workers never starve
_KIND = {"message": "message", "call": "call", "result": "result"}  # one shared string per kind

_TEXT = pa.string()


@dataclass
class RefreshSummary:
    """What a refresh did: sessions recomputed or dropped, rows written, time taken."""

    sessions_refreshed: int = 0
    sessions_removed: int = 0
    commands: int = 0
    waits: int = 0
    edits: int = 0
    explanations: int = 0
    user_reports: int = 0
    seconds: float = 0.0
    audit_rebuilt: bool = False


def refresh_facts(con: duckdb.DuckDBPyConnection, rebuild: bool = False) -> RefreshSummary:
    """Recompute the facts of every stale session (every session with ``rebuild``).

    A query that outgrows the store's temp-directory cap is a :class:`StoreFull`, one that
    outgrows memory a :class:`StoreOutOfMemory`."""
    try:
        return _refresh_facts(con, rebuild)
    except duckdb.Error as error:
        if is_temp_limit_error(error) or isinstance(error, duckdb.OutOfMemoryException):
            raise out_of_memory(error, "Refreshing the audit facts") from error
        raise


def _refresh_facts(con: duckdb.DuckDBPyConnection, rebuild: bool) -> RefreshSummary:
    started = time.perf_counter()
    summary = RefreshSummary()
    # no ingest run since the last complete refresh: nothing is stale or orphaned (no event scan)
    known = not rebuild and facts_current(con, EXTRACTOR_VERSION)
    orphans = [] if known else execute(con, "facts_orphan_sessions").fetchall()
    if orphans:
        _replace(con, orphans, {table: schema.empty_table() for table, schema in SCHEMAS.items()})
        summary.sessions_removed = len(orphans)
    stale = (
        []
        if known
        else execute(con, "facts_stale_sessions", extractor_version=EXTRACTOR_VERSION, rebuild=rebuild).fetchall()
    )
    with _workers(len(stale)) as pool:
        for batch in _chunks(stale, BATCH_SESSIONS):
            extracted = _extract_batch(con, batch, utc_now(), pool)
            _replace(con, batch, extracted)
            summary.sessions_refreshed += len(batch)
            summary.commands += extracted["fact_commands"].num_rows
            summary.waits += extracted["fact_waits"].num_rows
            summary.edits += extracted["fact_edits"].num_rows
            summary.explanations += extracted["fact_explanations"].num_rows
            summary.user_reports += extracted["fact_user_reports"].num_rows
    if rebuild or summary.sessions_refreshed or summary.sessions_removed or not derived_views_current(con):
        rebuild_audit_tables(con)
        summary.audit_rebuilt = True
    if not known:
        record_facts_current(con, EXTRACTOR_VERSION)
    refresh_summaries(con, rebuild=rebuild)
    summary.seconds = time.perf_counter() - started
    return summary


def fact_workers(stale_sessions: int) -> int:
    """How many worker processes extract facts: none for a few sessions (starting them costs
    more than it saves), else one per core, capped by ``$DASHCAM_FACT_WORKERS``."""
    if stale_sessions < PARALLEL_MIN_SESSIONS:
        return 0
    return worker_count("DASHCAM_FACT_WORKERS")


@contextmanager
def _workers(stale_sessions: int) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of fact workers (started from a fork server, see :mod:`ingest.worker_pool`), or
    None to extract in this process."""
    count = fact_workers(stale_sessions)
    if not count:
        yield None
        return
    pool = forkserver_pool(count, ["ingest.fact_tables", "ingest.facts.session_facts"])
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def rebuild_audit_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Re-create the derived views and recompute the audit tables from the facts, in one transaction."""
    _run_scripts(con, "audit_rebuild", derived_views=True)


def store_feature_rules(con: duckdb.DuckDBPyConnection, rules: pa.Table) -> None:
    """Apply feature rules (read from features.toml): store them and regroup the features."""
    con.register("_new_feature_rules", rules)
    try:
        _run_scripts(con, "feature_rules_replace", "audit_rebuild", derived_views=True)
    finally:
        con.unregister("_new_feature_rules")


def _run_scripts(con: duckdb.DuckDBPyConnection, *names: str, derived_views: bool = False) -> None:
    """Run named SQL scripts in one transaction (after re-creating the derived views, with
    ``derived_views``): all of them take effect or none."""
    con.execute("BEGIN TRANSACTION")
    try:
        if derived_views:
            create_derived_views(con)
        for name in names:
            con.execute(load_sql(name))
        con.execute("COMMIT")
    except duckdb.Error:
        con.execute("ROLLBACK")
        raise


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _batch_table(sessions: list[tuple[str, str]]) -> pa.Table:
    return pa.table(
        {"agent": pa.array([s[0] for s in sessions], _TEXT), "session_id": pa.array([s[1] for s in sessions], _TEXT)}
    )


def _stream(con: duckdb.DuckDBPyConnection, query: str) -> Iterator[dict]:
    """The rows of a named query over ``_fact_batch``, a chunk at a time (never all at once)."""
    reader = con.sql(load_sql(query)).to_arrow_reader(STREAM_ROWS)
    try:
        for chunk in reader:
            yield from chunk.to_pylist()
    finally:
        reader.close()


def _record_batches(con: duckdb.DuckDBPyConnection, query: str) -> Iterator[pa.RecordBatch]:
    """The rows of a named query over ``_fact_batch`` as Arrow record batches of STREAM_ROWS."""
    reader = con.sql(load_sql(query)).to_arrow_reader(STREAM_ROWS)
    try:
        yield from reader
    finally:
        reader.close()


def _slices(con: duckdb.DuckDBPyConnection, kinds: list[str], row_ids: array) -> Iterator[dict]:
    """A long session's events in walk order, read back SLICE_EVENTS at a time by rowid."""
    for start in range(0, len(row_ids), SLICE_EVENTS):
        end = min(start + SLICE_EVENTS, len(row_ids))
        con.register(
            "_fact_slice_batch",
            pa.table(
                {
                    "ord": pa.array(range(start, end), pa.int64()),
                    "event": pa.array(kinds[start:end], _TEXT),
                    "row_id": pa.array(row_ids[start:end], pa.int64()),
                }
            ),
        )
        try:
            rows = con.sql(load_sql("facts_slice_events")).to_arrow_table().drop_columns(["ord"]).to_pylist()
        finally:
            con.unregister("_fact_slice_batch")
        yield from rows
        del rows


def _by_session(rows: Iterator[dict]):
    return groupby(rows, key=lambda row: (row["agent"], row["session_id"]))


def _collect(parts: dict[str, list[pa.Table]], tables: dict[str, pa.Table]) -> None:
    for table, frame in tables.items():
        parts[table].append(frame)


def _extract_in_workers(pool, streams, outlines, long_sessions, refreshed_at, parts) -> None:
    """Send each short session's events (an Arrow table) to the workers, walk the long ones
    here meanwhile (streamed in slices, never held whole), and collect the tables in session
    order. At most IN_FLIGHT_BYTES of events wait in or for the workers."""
    from ingest.facts.session_facts import SessionOutline

    pending: deque[tuple[int, int, Future]] = deque()  # (session index, payload bytes, future)
    done: dict[int, dict[str, pa.Table]] = {}
    in_flight = 0
    for index, (key, session_events) in enumerate(streams):
        outline = outlines.get(key) or SessionOutline(*key)
        if key in long_sessions:
            done[index] = session_tables(session_events, outline, refreshed_at)
            continue
        payload = to_ipc(session_events)
        del session_events
        in_flight += len(payload)
        pending.append((index, len(payload), pool.submit(session_tables_ipc, payload, outline, refreshed_at)))
        del payload
        while pending and in_flight > IN_FLIGHT_BYTES:
            finished, size, future = pending.popleft()
            done[finished] = future.result()
            in_flight -= size
    for finished, _size, future in pending:
        done[finished] = future.result()
    for index in sorted(done):
        _collect(parts, done[index])


def _extract_batch(
    con: duckdb.DuckDBPyConnection,
    sessions: list[tuple[str, str]],
    refreshed_at,
    pool: ProcessPoolExecutor | None = None,
) -> dict[str, pa.Table]:
    """The new fact rows of a batch of sessions, as Arrow tables.

    Memory stays bounded by the largest session's facts, not its events: a light first pass
    takes each session's outline (user, project, which results were errors), then the events
    stream through the walk; each session's rows become Arrow columns as soon as it ends.
    """
    # The extractors compile their rules on import (a quarter of a second): loaded only when
    # some session is stale, never by a command that merely names this module.
    from ingest.facts.session_facts import SessionOutline

    con.register("_fact_batch", _batch_table(sessions))
    try:
        outlines: dict[tuple[str, str], SessionOutline] = {}
        long_sessions: dict[tuple[str, str], tuple[list[str], array]] = {}
        for key, rows in _by_session(_stream(con, "facts_batch_outline")):
            outline, kinds, row_ids = SessionOutline(), [], array("q")
            for row in rows:
                outline.take(row)
                kinds.append(_KIND[row["event"]])
                row_ids.append(row["row_id"])
            outlines[key] = outline
            if len(row_ids) > LONG_SESSION_EVENTS:
                long_sessions[key] = (kinds, row_ids)
        parts: dict[str, list[pa.Table]] = {table: [] for table in SCHEMAS}
        short = [key for key in sessions if key not in long_sessions]
        con.unregister("_fact_batch")
        con.register("_fact_batch", _batch_table(short))
        long_streams = ((key, _slices(con, *long_sessions[key])) for key in long_sessions)
        if pool is None:
            streams = chain(_by_session(_stream(con, "facts_batch_events")), long_streams)  # groupby's groups
            for key, session_events in streams:
                _collect(parts, session_tables(session_events, outlines.get(key) or SessionOutline(*key), refreshed_at))
        else:
            tables = chain(arrow_sessions(_record_batches(con, "facts_batch_events")), long_streams)
            _extract_in_workers(pool, tables, outlines, long_sessions, refreshed_at, parts)
    finally:
        con.unregister("_fact_batch")
    return {
        table: pa.concat_tables(tables) if tables else SCHEMAS[table].empty_table() for table, tables in parts.items()
    }


def _replace(con: duckdb.DuckDBPyConnection, sessions: list[tuple[str, str]], frames: dict[str, pa.Table]) -> None:
    """Swap the batch's old fact rows for the new ones in one transaction."""
    registered = {"_fact_batch": _batch_table(sessions), **{f"_new_{table}": frame for table, frame in frames.items()}}
    for name, frame in registered.items():
        con.register(name, frame)
    try:
        _run_scripts(con, "facts_replace_batch")
    finally:
        for name in registered:
            con.unregister(name)
