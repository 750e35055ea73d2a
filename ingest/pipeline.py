"""The ingest entry point: files in, rows out, nothing lost.

For each candidate file the ledger decides what to read: nothing (unchanged), the appended
bytes (an incremental reader resumes at the saved offset with its saved state), or the whole
file again (new file, rewritten file, whole-document format, new parser version — the file's
old rows are then replaced). Events stream from the reader into batches that are priced and
loaded in the file's transaction; a crash leaves the previous state.
"""

from __future__ import annotations

import copy
import hashlib
import uuid as uuidlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest.discovery import iter_candidate_files
from ingest.events import Message, Problem, ReadContext, ToolCall, ToolResult, Usage
from ingest.pricing import price_source_version
from ingest.rows import RowBatch, storable
from ingest.sources import detect_reader
from ingest.sources.base import SourceReader
from ingest.store import FileTransaction, LedgerEntry, ledger_entry, record_run_end, record_run_start

TOOL_VERSION = "dashcam 0.1.0"
BATCH_EVENTS = 20_000
HEAD_HASH_BYTES = 4096


class StrictModeStop(RuntimeError):
    """``--strict`` met its first problem."""


@dataclass
class IngestSummary:
    """What a run did, for the closing table and for tests."""

    files_seen: int = 0
    files_read: int = 0
    files_unchanged: int = 0
    not_transcripts: list[str] = field(default_factory=list)
    empty_files: list[str] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    sessions: set[tuple[str, str]] = field(default_factory=set)
    messages: int = 0
    tool_calls: int = 0
    usage_rows: int = 0
    cost_usd: float = 0.0
    unpriced_rows: int = 0
    problems: int = 0
    by_agent: dict[str, int] = field(default_factory=dict)


@dataclass
class ReadPlan:
    """How much of a file to read this time."""

    mode: str  # "skip" | "append" | "full"
    offset: int = 0
    line_no: int = 0
    state: dict = field(default_factory=dict)


def head_hash(path: Path, length: int) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha1(handle.read(min(length, HEAD_HASH_BYTES))).hexdigest()


def plan_read(path: Path, reader: SourceReader, entry: LedgerEntry | None, size: int, mtime: float) -> ReadPlan:
    """Decide between skipping, resuming at the saved offset, and re-reading the whole file."""
    if entry is None:
        return ReadPlan("full")
    if entry.parser_version != reader.parser_version or entry.agent != reader.agent:
        return ReadPlan("full")
    if size == entry.size and mtime == entry.mtime:
        return ReadPlan("skip")
    if not reader.incremental or size < entry.bytes_consumed:
        return ReadPlan("full")
    if entry.head_hash != head_hash(path, entry.bytes_consumed):
        return ReadPlan("full")
    if size == entry.bytes_consumed:
        return ReadPlan("skip")
    return ReadPlan("append", entry.bytes_consumed, entry.lines_consumed, copy.deepcopy(entry.reader_state))


class Ingestor:
    """One ingest run into an open write connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, user_name: str, strict: bool = False,
                 on_file: Callable[[Path], None] | None = None):
        self.con = con
        self.user_name = user_name
        self.strict = strict
        self.on_file = on_file or (lambda _path: None)
        self.run_id = uuidlib.uuid4().hex
        self.summary = IngestSummary()

    def run(self, roots: Iterable[Path]) -> IngestSummary:
        roots = list(roots)
        record_run_start(self.con, self.run_id, self.user_name, TOOL_VERSION, price_source_version(),
                         [str(r) for r in roots])
        status = "failed"
        try:
            for path in self.candidates(roots):
                self.on_file(path)
                self.ingest_file(path)
            status = "ok"
        except StrictModeStop:
            status = "stopped"
            raise
        finally:
            record_run_end(self.con, self.run_id, self.summary.files_read, self.summary.problems, status)
        return self.summary

    def candidates(self, roots: list[Path]) -> Iterator[Path]:
        seen: set[Path] = set()
        for root in roots:
            for path in iter_candidate_files(root, on_error=self.unlistable):
                resolved = path.resolve()
                if resolved not in seen:
                    seen.add(resolved)
                    yield path

    def unlistable(self, path: str, reason: str) -> None:
        self.summary.unreadable.append((storable(path), f"cannot list folder: {reason}"))

    def ingest_file(self, path: Path) -> None:
        self.summary.files_seen += 1
        try:
            stat = path.stat()
        except OSError as error:
            self.summary.unreadable.append((storable(str(path)), error.strerror or str(error)))
            return
        if stat.st_size == 0:
            self.summary.empty_files.append(storable(str(path)))
            return
        reader = detect_reader(path)
        if reader is None:
            self.summary.not_transcripts.append(storable(str(path)))
            return
        key = storable(str(path.resolve()))
        entry = ledger_entry(self.con, key)
        plan = plan_read(path, reader, entry, stat.st_size, stat.st_mtime)
        if plan.mode == "skip":
            self.summary.files_unchanged += 1
            return
        ctx = ReadContext(path=str(path.resolve()), offset=plan.offset, line_no=plan.line_no, state=plan.state)
        user_name = entry.user_name if entry and plan.mode == "append" else self.user_name
        try:
            with FileTransaction(self.con, key, keep_before=plan.offset) as txn:
                self.load_events(txn, reader, ctx, user_name)
                txn.finish(LedgerEntry(
                    path=key, agent=reader.agent, size=stat.st_size, mtime=stat.st_mtime,
                    bytes_consumed=ctx.offset, lines_consumed=ctx.line_no,
                    head_hash=head_hash(path, ctx.offset), parser_version=reader.parser_version,
                    reader_state=ctx.state, user_name=user_name,
                ), self.run_id)
        except StrictModeStop:
            raise
        except OSError as error:
            self.summary.unreadable.append((storable(str(path)), error.strerror or str(error)))
            return
        self.summary.files_read += 1
        self.summary.by_agent[reader.agent] = self.summary.by_agent.get(reader.agent, 0) + 1

    def load_events(self, txn: FileTransaction, reader: SourceReader, ctx: ReadContext, user_name: str) -> None:
        batch = RowBatch(txn.path, reader.agent, user_name, self.run_id)
        for event in reader.read(ctx):
            if isinstance(event, Problem):
                self.summary.problems += 1
                batch.add(event)
                if self.strict:
                    raise StrictModeStop(
                        f"{txn.path}:{event.pos.line_no}: {event.reason} (stopped by --strict)"
                    )
                continue
            self.count(event)
            batch.add(event)
            if len(batch) >= BATCH_EVENTS:
                self.flush(txn, batch)
                batch = RowBatch(txn.path, reader.agent, user_name, self.run_id)
        self.flush(txn, batch)

    def count(self, event) -> None:
        if isinstance(event, Message):
            self.summary.sessions.add((event.ctx.agent, event.ctx.session_id))
            if event.kind in ("text", "thinking"):
                self.summary.messages += 1
        elif isinstance(event, Usage):
            self.summary.sessions.add((event.ctx.agent, event.ctx.session_id))
            self.summary.usage_rows += 1
        elif isinstance(event, ToolCall):
            self.summary.tool_calls += 1
        elif isinstance(event, ToolResult):
            pass

    def flush(self, txn: FileTransaction, batch: RowBatch) -> None:
        frames = batch.frames()
        usage = frames.get("usage")
        if usage is not None:
            costs = usage.column("cost_usd").to_pylist()
            self.summary.cost_usd += sum(c for c in costs if c is not None)
            self.summary.unpriced_rows += sum(1 for c in costs if c is None)
        for table, frame in frames.items():
            txn.insert(table, frame)


def ingest_paths(con: duckdb.DuckDBPyConnection, roots: Iterable[Path], user_name: str, strict: bool = False,
                 on_file: Callable[[Path], None] | None = None) -> IngestSummary:
    """Ingest every transcript under ``roots`` into ``con``; see :class:`Ingestor`."""
    return Ingestor(con, user_name, strict=strict, on_file=on_file).run(roots)
