"""Transcript files read into rows by worker processes, while the database stays in this one.

Reading a file — parsing its lines, building, redacting and pricing its rows — is pure Python
and most of a cold ingest; the database insert is DuckDB's own (threaded) work. With many
files to read and more than one core, each file of at most ``WORKER_MAX_BYTES`` is read by a
worker (:mod:`ingest.worker_pool`) and comes back as Arrow tables plus what the ledger records.
The ingest process inserts them in the files' order, in the same transactions, with the same
ledger entries, so the store is the one a single process builds (a test compares them).

A file a worker cannot read the way the ingest process would — it vanished or failed to read,
it grew past one load transaction's events and needs checkpoints, or the worker hit anything
unexpected — comes back as None and is read again in the ingest process, where its problem is
reported as always: nothing is lost by taking this path.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from ingest.events import Problem, ReadContext
from ingest.rows import RowBatch
from ingest.sanity import vet
from ingest.sources import READERS
from ingest.staging import arrow_table
from ingest.worker_pool import forkserver_pool, worker_count

if TYPE_CHECKING:  # concurrent.futures (multiprocessing): only once a pool is started
    from concurrent.futures import Future, ProcessPoolExecutor

    import pyarrow as pa

PARALLEL_MIN_FILES = 16  # fewer files to read: starting the workers costs more than they save
WORKER_MAX_BYTES = 32 << 20  # larger files are read here, committed in parts (bounded memory)
IN_FLIGHT_BYTES = 48 << 20  # transcript bytes handed to workers and not yet inserted


@dataclass(frozen=True)
class FileSpec:
    """What a worker needs to read one file as the ingest process would."""

    agent: str
    path: str  # resolved, as the readers name it
    key: str  # the name rows and ledger use
    offset: int
    line_no: int
    state: dict
    read_unterminated: bool
    user_name: str
    run_id: str
    max_events: int  # more events than this: give the file back (it needs checkpoints)


@dataclass
class FileRead:
    """A file read whole by a worker: its rows per table and what its ledger entry records."""

    tables: dict[str, pa.Table]
    offset: int
    line_no: int
    state: dict
    sessions: set[tuple[str, str]]
    messages: int
    tool_calls: int
    usage_rows: int
    problems: int
    events: int
    redactions: Counter


def read_file(spec: FileSpec) -> FileRead | None:
    """Read ``spec``'s file into rows, or None when the ingest process must read it itself."""
    try:
        return _read(spec)
    except Exception:  # the ingest process reads the file again and reports what went wrong
        return None


def _read(spec: FileSpec) -> FileRead | None:
    ctx = ReadContext(
        path=spec.path,
        offset=spec.offset,
        line_no=spec.line_no,
        state=spec.state,
        read_unterminated=spec.read_unterminated,
    )
    batch = RowBatch(spec.run_id)
    batch.switch_file(spec.key, spec.agent, spec.user_name)
    read = FileRead({}, 0, 0, {}, set(), 0, 0, 0, 0, 0, Counter())
    for event in READERS[spec.agent].read(ctx):
        event = vet(event, ctx.path)
        _count(event, read)
        batch.add(event)
        read.events += 1
        if read.events > spec.max_events:
            return None
    read.tables = {table: arrow_table(rows) for table, rows in batch.tables().items()}
    read.offset, read.line_no, read.state = ctx.offset, ctx.line_no, ctx.state
    read.redactions = batch.redactions
    return read


def _count(event, read: FileRead) -> None:
    from ingest.pipeline import Ingestor  # the pipeline imports this module only once it runs

    if isinstance(event, Problem):
        read.problems += 1
    else:
        Ingestor.count(event, read)


def read_workers() -> int:
    """Worker processes for reading: one per core, or ``$DASHCAM_READ_WORKERS`` (0 or 1: every
    file is read in the ingest process)."""
    return worker_count("DASHCAM_READ_WORKERS", at_most_cores=False)


def start_pool(workers: int) -> ProcessPoolExecutor:
    return forkserver_pool(workers, ["ingest.read_workers", "ingest.pricing"])


J = TypeVar("J")


def read_ahead(
    pool: ProcessPoolExecutor | None,
    jobs: list[J],
    spec_of: Callable[[J], FileSpec | None],
    size_of: Callable[[J], int],
) -> Iterator[tuple[J, FileRead | None]]:
    """Each job with its worker's read (None: read it here), in order; workers read ahead of
    the caller by at most IN_FLIGHT_BYTES of transcript, so the rows waiting stay bounded."""
    window: deque[tuple[J, Future | None]] = deque()
    queued = iter(jobs)
    in_flight = 0

    def fill() -> None:
        nonlocal in_flight
        while not window or in_flight < IN_FLIGHT_BYTES:
            job = next(queued, None)
            if job is None:
                return
            spec = spec_of(job) if pool is not None else None
            future = pool.submit(read_file, spec) if pool is not None and spec is not None else None
            in_flight += size_of(job) if future is not None else 0
            window.append((job, future))

    try:
        fill()
        while window:
            job, future = window.popleft()
            done = future.result() if future is not None else None
            if future is not None:
                in_flight -= size_of(job)
            fill()
            yield job, done
    finally:
        for _, future in window:
            if future is not None:
                future.cancel()
