"""The DuckDB event store: where the database lives, how it is opened, how rows get in.

DuckDB allows one writer per file. Writers (ingest) open briefly and hold the lock only
while loading; readers (dashboard, reports, costs) open read-only. A lock held by another
process becomes a :class:`StoreBusy` with a message a person can act on, never a traceback.

Rows are loaded in batches (``INSERT … BY NAME``), never row by row: through Arrow, or for a
batch of a few rows through literals (:mod:`ingest.staging`). A file's rows and its ledger
entry are committed in one transaction, so a crash leaves the previous state and the next
run picks up where the ledger says.
"""

from __future__ import annotations

import copy
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ingest.migrations import apply_migrations, schema_version
from ingest.staging import staged
from ingest.store_guard import (
    can_wait_for_lock,
    cap_temp_directory,
    connect_waiting,
    is_temp_limit_error,
    lock_wait_seconds,
    out_of_memory_message,
    silence_progress_bar,
    temp_limit_message,
)
from queries import execute

if TYPE_CHECKING:  # pyarrow is imported where rows are written: a reader never pays for it
    import pyarrow as pa

EVENT_TABLES = ("messages", "usage", "tool_calls", "tool_results", "problems")
SESSION_TABLES = frozenset(EVENT_TABLES) - {"problems"}
# DuckDB's buffer pool of a writer. At 512MB the first audit after a 1 GB cold ingest peaked at
# 1.35 GB in this process alone (the pool filled by the batch's sort and the fact inserts); at
# 256MB DuckDB spills the same work to its temp directory (scripts/bench_memory.py --corpus).
WRITER_MEMORY_LIMIT = "256MB"
QUEUED_ROWS = 20_000  # rows of queued tables inserted at once (ingest.pipeline.BATCH_EVENTS)


class StoreError(RuntimeError):
    """A database problem explained for the person at the keyboard."""


class StoreBusy(StoreError):
    """Another process holds the database's write lock."""


class StoreFull(StoreError):
    """A query needed more temporary disk space than the store allows."""


class StoreOutOfMemory(StoreError):
    """A query needed more memory than DuckDB may use, even spilling to disk."""


class StoreTooNew(StoreError):
    """The database file was written by a newer DuckDB than dashcam's (DuckDB 2.x storage)."""


class StoreMissing(StoreError):
    """The database file does not exist yet (nothing was ingested)."""


def out_of_memory(error: duckdb.Error, what: str) -> StoreError:
    """The one-line error for a query that outgrew memory or the temp-directory cap while ``what`` ran."""
    if is_temp_limit_error(error):
        return StoreFull(temp_limit_message(what))
    return StoreOutOfMemory(out_of_memory_message(what, error))


def facts_current(con: duckdb.DuckDBPyConnection, extractor_version: str) -> bool:
    """Whether the last complete facts refresh ran with ``extractor_version`` and saw every ingest
    run stored now (migration 021): then no session's facts are stale or orphaned, and the full
    check over the events can be skipped. False when unknown (a store older than the record)."""
    try:
        row = execute(con, "facts_state_current", extractor_version=extractor_version).fetchone()
    except duckdb.CatalogException:
        return False
    return bool(row and row[0])


def record_facts_current(con: duckdb.DuckDBPyConnection, extractor_version: str) -> None:
    """Note that every stale session was just recomputed (read back by :func:`facts_current`)."""
    execute(con, "facts_state_update", extractor_version=extractor_version)


def default_db_path() -> Path:
    """``$DASHCAM_DB``, else the per-user data dir (``$XDG_DATA_HOME/dashcam/dashcam.duckdb``)."""
    explicit = os.environ.get("DASHCAM_DB")
    if explicit:
        return Path(explicit).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "dashcam" / "dashcam.duckdb"


def resolve_db_path(db: str | Path | None) -> Path:
    return Path(db).expanduser() if db else default_db_path()


def _is_lock_error(error: Exception) -> bool:
    text = str(error).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def _tell_waiting(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def open_store(
    db: str | Path | None = None,
    read_only: bool = False,
    wait_s: float | None = None,
    on_wait: Callable[[str], None] = _tell_waiting,
) -> duckdb.DuckDBPyConnection:
    """Open the database; in write mode create it and apply pending migrations.

    A writer that meets another process's lock (a dashboard page or report reading) waits up
    to ``wait_s`` seconds (default ``$DASHCAM_LOCK_WAIT`` or 30), saying so through ``on_wait``.
    """
    path = resolve_db_path(db)
    if read_only and not path.exists():
        raise StoreMissing(f"No database at {path}. Run `dashcam ingest` first.")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    wait = 0.0 if read_only else (lock_wait_seconds() if wait_s is None else wait_s)
    try:
        con = connect_waiting(
            lambda: duckdb.connect(str(path), read_only=read_only), path, _is_lock_error, wait, on_wait
        )
    except duckdb.IOException as error:
        if _is_lock_error(error):
            waited = f" Waited {wait:g} s for it to finish." if wait > 0 and can_wait_for_lock() else ""
            raise StoreBusy(
                f"The database {path} is held by another process (an ingest, or a dashboard page or "
                f"report reading it).{waited} Retry when it has finished (DASHCAM_LOCK_WAIT sets the wait)."
            ) from error
        if "newer version of duckdb" in str(error).lower():
            raise StoreTooNew(
                f"The database {path} was written by a newer DuckDB storage format (earlier dashcam versions used "
                f"DuckDB 2.x) that this dashcam's DuckDB {duckdb.__version__} cannot read; DuckDB is pinned to the "
                f"version its team-lake extensions are built for. The database is rebuilt from your transcripts: "
                f"move it aside (`mv {path} {path}.old`) and run `dashcam ingest` again."
            ) from error
        raise StoreError(f"Cannot open the database {path}: {error}") from error
    cap_temp_directory(con)
    silence_progress_bar(con)
    if not read_only:
        # The writer's buffer pool is capped so ingest memory stays flat whatever the corpus
        # size; DuckDB spills to disk beyond it.
        con.execute(f"SET memory_limit = '{WRITER_MEMORY_LIMIT}'")
        apply_migrations(con)
    elif schema_version(con) == 0:
        con.close()
        raise StoreMissing(f"The database {path} is empty. Run `dashcam ingest` first.")
    return con


@dataclass
class LedgerEntry:
    """What the store remembers about a transcript file between runs."""

    path: str
    agent: str
    size: int
    mtime: float
    bytes_consumed: int
    lines_consumed: int
    head_hash: str | None
    parser_version: int
    reader_state: dict
    user_name: str
    state_json: str | None = None  # as stored: parsed by saved_state() for the few files read again

    def saved_state(self) -> dict:
        """A fresh copy of the reader's saved state (a resumed read changes it in place)."""
        if self.state_json is not None:
            return json.loads(self.state_json)
        return copy.deepcopy(self.reader_state)


def ledger_entries(con: duckdb.DuckDBPyConnection) -> dict[str, LedgerEntry]:
    """The whole ledger, read once per run (one query instead of one per file)."""
    entries = {}
    for row in execute(con, "ledger_entries").fetchall():
        (path, agent, size, mtime, consumed, lines, head_hash, version, state, user) = row
        entries[path] = LedgerEntry(
            path, agent, size, mtime, consumed, lines, head_hash, version, {}, user, state or None
        )
    return entries


class LoadTransaction:
    """Rows of a group of files plus their ledger entries, committed together or not at all.

    Files are loaded in groups so that inserts, pricing and commits are batched across many
    small transcripts; each file's rows still commit with its ledger entry. Rows a file
    already has from its resume offset on are replaced (``replace_from``): they were
    provisional — a reader may emit what it still holds back at the end of a file.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.ledger: list[dict] = []
        self.frames: dict[str, list[pa.Table]] = {}  # tables read elsewhere, inserted together
        self.framed_rows = 0

    def __enter__(self) -> LoadTransaction:
        self.con.execute("BEGIN TRANSACTION")
        return self

    def replace_from(self, path: str, offset: int) -> None:
        # the summaries find the sessions this file held (ingest.summaries)
        execute(self.con, "load_mark_dirty_file", path=path)
        for table in EVENT_TABLES:
            execute(self.con, f"load_replace_{table}", path=path, offset=offset)

    def insert(self, table: str, frame: pa.Table) -> None:
        if frame.num_rows == 0:
            return
        self.con.register("_batch", frame)
        try:
            self._insert_batch(table)
        finally:
            self.con.unregister("_batch")

    def insert_later(self, table: str, frame: pa.Table) -> None:
        """Queue ``frame`` for one insert with the others of its table (``insert_queued``): each
        INSERT has a cost of its own, which many small files' tables would pay one by one."""
        self.frames.setdefault(table, []).append(frame)
        self.framed_rows += frame.num_rows
        if self.framed_rows >= QUEUED_ROWS:
            self.insert_queued()

    def insert_queued(self) -> None:
        if not self.frames:
            return
        import pyarrow as pa

        frames, self.frames, self.framed_rows = self.frames, {}, 0
        for table, queued in frames.items():
            try:
                joined = pa.concat_tables(queued, promote_options="default")
            except (pa.ArrowInvalid, pa.ArrowTypeError):  # columns typed apart: each as it came
                for frame in queued:
                    self.insert(table, frame)
            else:
                self.insert(table, joined)

    def insert_rows(self, table: str, rows: list[dict]) -> None:
        """``insert`` for row dicts: a few are written as literals (no pandas or Arrow), more as Arrow."""
        if rows:
            with staged(self.con, "_batch", rows, like=table):
                self._insert_batch(table)

    def _insert_batch(self, table: str) -> None:
        self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _batch")
        if table in SESSION_TABLES:  # the sessions whose summaries change (ingest.summaries)
            self.con.execute("INSERT INTO summary_dirty SELECT DISTINCT agent, session_id FROM _batch")

    def record(self, entry: LedgerEntry, run_id: str) -> None:
        """Queue the file's ledger entry; written with the group's rows at commit."""
        from ingest.redact import redact_json, redact_row  # its patterns: for writers only, not `costs`

        self.ledger = [row for row in self.ledger if row["path"] != entry.path]
        # The reader's state keeps what it has seen (a session's title, its cwd, its git remote):
        # redacted like the rows, counted there already.
        seen: Counter[str] = Counter()
        self.ledger.append(
            redact_row(
                {
                    "path": entry.path,
                    "agent": entry.agent,
                    "size": entry.size,
                    "mtime": float(entry.mtime),
                    "bytes_consumed": entry.bytes_consumed,
                    "lines_consumed": entry.lines_consumed,
                    "head_hash": entry.head_hash,
                    "parser_version": entry.parser_version,
                    "reader_state": json.dumps(redact_json(entry.reader_state, seen), sort_keys=True),
                    "user_name": entry.user_name,
                    "last_run_id": run_id,
                    "updated_at": utc_now(),
                },
                seen,
                keep=frozenset({"path", "reader_state"}),
            )
        )

    def write_ledger(self) -> None:
        if not self.ledger:
            return
        with staged(self.con, "_ledger_batch", self.ledger, like="source_files"):
            execute(self.con, "ledger_replace_delete")
            execute(self.con, "ledger_replace_insert")
        self.ledger = []

    def commit_and_continue(self) -> None:
        """Commit what is loaded so far with its ledger entries and open the next transaction."""
        self.insert_queued()
        self.write_ledger()
        self.con.execute("COMMIT")
        self.con.execute("BEGIN TRANSACTION")

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.con.execute("ROLLBACK")
            return
        self.insert_queued()
        self.write_ledger()
        self.con.execute("COMMIT")


def record_run_start(
    con, run_id: str, user_name: str, tool_version: str, price_source: str | None, paths: Iterable[str]
) -> None:
    from ingest.redact import redact_row

    row = redact_row({"user_name": user_name, "paths": json.dumps(list(paths))}, Counter(), keep=frozenset())
    execute(
        con,
        "run_start",
        run_id=run_id,
        started_at=utc_now(),
        user_name=row["user_name"],
        tool_version=tool_version,
        price_source=price_source,
        paths=row["paths"],
    )


def record_run_end(
    con, run_id: str, files_read: int, problems: int, status: str, price_source: str | None = None
) -> None:
    execute(
        con,
        "run_end",
        run_id=run_id,
        finished_at=utc_now(),
        files_read=files_read,
        problems=problems,
        status=status,
        price_source=price_source,
    )


def record_redactions(con, run_id: str, counts: dict[str, int]) -> None:
    """How many secrets of each kind the run replaced before storing (``ingest_redactions``)."""
    for kind, count in sorted(counts.items()):
        execute(con, "run_redactions", run_id=run_id, kind=kind, count=count)


def add_redactions(con, run_id: str, counts: dict[str, int]) -> None:
    """Add counts to the run's ``ingest_redactions`` inside the caller's transaction."""
    for kind, count in sorted(counts.items()):
        if count:
            execute(con, "run_redactions_add", run_id=run_id, kind=kind, count=count)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
