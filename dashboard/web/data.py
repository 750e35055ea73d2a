"""How the dashboard reads the database: short-lived read-only connections and a cache.

DuckDB allows one writer per file, and a writer's lock also shuts out readers in other
processes (and a reader's lock shuts out the writer). So the dashboard never holds a
connection between renders: the queries of one page render share one read-only connection,
opened at the first query the cache cannot answer and closed when the render ends (see
:func:`render_scope`). While an ingest holds the lock the query raises :class:`DatabaseBusy`,
which the app turns into a message with a Retry button.

Results are cached with ``st.cache_data``; the key includes the database file's (and its
write-ahead log's) modification time and size, so the first rerun after an ingest shows the
new rows while unchanged data is never read twice.

The database path comes from ``$DASHCAM_DB`` (``dashcam dashboard`` sets it) or from
``--db FILE`` after ``--`` on the ``streamlit run`` command line.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

import queries
from dashboard.web.filters import Filters
from ingest.api import extractor_version

DB_ENV = "DASHCAM_DB"
CACHE_SECONDS = 600


class DatabaseBusy(RuntimeError):
    """Another process (an ingest) holds the database's write lock."""


class AuditMissing(LookupError):
    """An audit query or the tables it reads do not exist (a database older than the audit)."""


@dataclass(frozen=True)
class DatabaseStatus:
    """What the database holds, to decide between the onboarding screen and the pages."""

    path: Path | None
    exists: bool
    messages: int = 0
    sessions: int = 0
    problem: str | None = None  # the file exists but cannot be read as a database
    facts_pending: int | None = 0  # sessions ingested since their audit facts were computed (None: not counted yet)
    tables: frozenset[str] = frozenset()

    @property
    def has_data(self) -> bool:
        return self.messages > 0


def database_path(argv: list[str] | None = None) -> Path | None:
    """``--db FILE`` passed after ``--`` to ``streamlit run``, else ``$DASHCAM_DB``, else None."""
    args = sys.argv[1:] if argv is None else argv
    for index, arg in enumerate(args):
        if arg == "--db" and index + 1 < len(args):
            return Path(args[index + 1]).expanduser()
        if arg.startswith("--db="):
            return Path(arg.removeprefix("--db=")).expanduser()
    explicit = os.environ.get(DB_ENV)
    return Path(explicit).expanduser() if explicit else None


def is_lock_error(error: Exception) -> bool:
    text = str(error).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection, or :class:`DatabaseBusy` while a writer holds the lock."""
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as error:
        if is_lock_error(error):
            raise DatabaseBusy(
                f"The database {path} is being written by another process (an ingest in progress?)."
            ) from error
        raise


def fingerprint(path: Path) -> tuple:
    """Changes whenever an ingest commits: size and mtime of the file and its write-ahead log."""
    stamp: list[tuple[int, int] | None] = []
    for candidate in (path, path.with_name(path.name + ".wal")):
        try:
            info = candidate.stat()
        except FileNotFoundError:
            stamp.append(None)
            continue
        stamp.append((info.st_mtime_ns, info.st_size))
    return tuple(stamp)


class _RenderConnection(threading.local):
    """The connection shared by the queries of one render (one script run, one thread)."""

    active = False
    connection: duckdb.DuckDBPyConnection | None = None


_render = _RenderConnection()


@contextmanager
def render_scope() -> Iterator[None]:
    """Let the queries one page render misses from the cache share a connection.

    It is opened at the first miss and closed when the render ends, so the lock lasts one
    render at most and a fully cached render opens none. One connection per query would be
    slower: each starts with an empty buffer pool and reads the same columns again.
    """
    _render.active = True
    try:
        yield
    finally:
        connection, _render.connection, _render.active = _render.connection, None, False
        if connection is not None:
            connection.close()


@contextmanager
def _query_connection(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    if not _render.active:
        con = open_read_only(path)
        try:
            yield con
        finally:
            con.close()
        return
    if _render.connection is None:
        _render.connection = open_read_only(path)
    yield _render.connection


@st.cache_data(ttl=CACHE_SECONDS, max_entries=512, show_spinner=False)
def _cached_run(path: str, stamp: tuple, name: str, params: tuple) -> pd.DataFrame:
    del stamp  # part of the cache key only
    with _query_connection(Path(path)) as con:
        return queries.run(con, name, **dict(params))


def _frozen(params: dict) -> tuple:
    return tuple(sorted((key, value) for key, value in params.items() if value is not None))


def run(name: str, filters: Filters | None = None, **params) -> pd.DataFrame:
    """Rows of ``queries/<name>.sql`` for the current database, filters and ``params``."""
    path = require_path()
    merged = (filters.params() if filters else {}) | params
    used = queries.named_query(name).params
    return _cached_run(str(path), fingerprint(path), name, _frozen({k: v for k, v in merged.items() if k in used}))


def run_audit(name: str, filters: Filters | None = None, **params) -> pd.DataFrame:
    """Like :func:`run` for queries over the audit tables, which may not be built yet.

    Raises :class:`AuditMissing` when the query file is absent or the database lacks its
    tables, so a page can say what to run instead of showing a traceback.
    """
    try:
        return run(name, filters, **params)
    except KeyError as error:
        raise AuditMissing(f"no query {name!r}") from error
    except duckdb.CatalogException as error:
        raise AuditMissing(str(error)) from error


def require_path() -> Path:
    path = database_path()
    if path is None:
        raise FileNotFoundError("no database given: start the dashboard with `dashcam dashboard`")
    return path


@cache
def _extractor_version() -> str:
    return extractor_version()  # the code cannot change under a running app


def database_status(scan_facts: bool = True) -> DatabaseStatus:
    """Whether there is a database with data; raises :class:`DatabaseBusy` while it is locked.

    Without ``scan_facts`` the pending sessions are not counted when that needs a scan of the
    events (``facts_pending`` is then None): the page is drawn first, the count after it."""
    path = database_path()
    if path is None or not path.exists() or path.stat().st_size == 0:
        return DatabaseStatus(path, exists=False)
    try:
        tables = set(run("dash_tables")["table_name"])
    except duckdb.IOException as error:  # the lock case was raised as DatabaseBusy already
        return DatabaseStatus(path, exists=True, problem=str(error))
    if "messages" not in tables:
        return DatabaseStatus(path, exists=True)
    counts = run("dash_counts").iloc[0]
    return DatabaseStatus(
        path,
        exists=True,
        tables=frozenset(tables),
        messages=int(counts["messages"]),
        sessions=int(counts["sessions"]),
        facts_pending=facts_pending(tables, scan=scan_facts),
    )


def facts_pending(tables: set[str], scan: bool = True) -> int | None:
    """Sessions ingested since their audit facts were computed: 0 without a look at the events
    while no ingest ran since the last complete facts refresh (``facts_state``); else the count
    from the scan of every stored event (``facts_stale_sessions``), or None without ``scan``."""
    if "fact_sessions" not in tables:  # a store without audit tables gets its own notice from the pages
        return 0
    current = "facts_state" in tables and bool(
        run("facts_state_current", extractor_version=_extractor_version()).iloc[0, 0]
    )
    if current:
        return 0
    if not scan:
        return None
    return len(run("facts_stale_sessions", extractor_version=_extractor_version(), rebuild=False))


def clear_cache() -> None:
    _cached_run.clear()
