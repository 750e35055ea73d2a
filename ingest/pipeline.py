"""The ingest entry point: files in, rows out, nothing lost.

For each candidate file the ledger decides what to read: nothing (unchanged), the appended
bytes (an incremental reader resumes at the saved offset with its saved state), or the whole
file again (new file, rewritten file, whole-document format, new parser version — the file's
old rows are then replaced). Events stream from the reader into batches that are priced and
loaded in a transaction that also writes the ledger entries of its files; a crash leaves
the previous state.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
import uuid as uuidlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ingest.deep_sniff import detect_past_garbage
from ingest.discovery import Candidate, iter_candidates
from ingest.events import Message, Problem, ReadContext, ToolCall, Usage
from ingest.price_book import PriceBook
from ingest.rows import RowBatch
from ingest.sanity import vet
from ingest.sources import READERS, detect_reader
from ingest.sources.base import SourceReader, read_head
from ingest.staging import storable
from ingest.store import (
    LedgerEntry,
    LoadTransaction,
    add_redactions,
    ledger_entries,
    out_of_memory,
    record_run_end,
    record_run_start,
)
from ingest.store_guard import is_temp_limit_error
from ingest.version import TOOL_VERSION
from queries import execute

if TYPE_CHECKING:  # the read workers are imported by the first run with files to read
    from concurrent.futures import ProcessPoolExecutor

    from ingest.read_workers import FileRead, FileSpec

BATCH_EVENTS = 20_000  # rows per insert
GROUP_FILES = 500  # files per load transaction at most
GROUP_EVENTS = 50_000  # a transaction is committed once it holds this many events
HEAD_HASH_BYTES = 4096  # bytes hashed at each end of what a file's ledger entry says was read
HEAD_BYTES = 65536  # what read_head reads: a shorter head is the whole file
# A last line without its newline may be a record the agent is still writing: it is read
# only once the file has not changed for this long (an agent writes a record in one go,
# within milliseconds; a file untouched for minutes is one whose writer stopped without the
# final newline). Until then it stays unread, as any incomplete line.
TAIL_SETTLED_S = 300.0


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
    cost_usd: float = 0.0  # billed (deduplicated) cost of the responses this run stored
    unpriced_rows: int = 0
    assumed_model_rows: int = 0  # priced under an assumed model: the transcript named none (Codex: gpt-5)
    problems: int = 0
    by_agent: dict[str, int] = field(default_factory=dict)
    fact_sessions: int = 0  # sessions whose audit facts were recomputed
    facts_pending: int = 0  # sessions whose facts wait for the first command that needs them
    redactions: dict[str, int] = field(default_factory=dict)  # secrets replaced before storing, per kind


@dataclass
class ReadPlan:
    """How much of a file to read this time."""

    mode: str  # "skip" | "append" | "full"
    offset: int = 0
    line_no: int = 0
    state: dict = field(default_factory=dict)


def tail_settled(mtime: float) -> bool:
    """True when a file last changed long enough ago that its unterminated last line is final."""
    return time.time() - mtime >= TAIL_SETTLED_S


def unterminated(path: Path) -> bool:
    """True when the file's last byte is not a newline (its last line was never complete)."""
    with open(path, "rb") as handle:
        handle.seek(-1, 2)
        return handle.read(1) != b"\n"


def os_reason(error: OSError) -> str:
    return error.strerror or str(error)


def read_digest(path: Path, length: int) -> str:
    """A fingerprint of the first ``length`` bytes: their first and last HEAD_HASH_BYTES.

    Resuming at a saved offset is right only if the bytes before it are the ones read. A
    head alone misses a file rewritten to the same size, or truncated and regrown, whose
    first kilobytes survived: the tail just before the offset is where an append-only
    transcript differs from a rewritten one. A ledger written before the tail was hashed
    mismatches once, and its file is read again in full.
    """
    with open(path, "rb") as handle:
        head = handle.read(min(length, HEAD_HASH_BYTES))
        if length <= HEAD_HASH_BYTES:
            return hashlib.sha1(head).hexdigest()
        start = max(HEAD_HASH_BYTES, length - HEAD_HASH_BYTES)
        handle.seek(start)
        tail = handle.read(length - start)
    return hashlib.sha1(head + b"\0" + tail).hexdigest()


def plan_read(path: Path, reader: SourceReader, entry: LedgerEntry | None, size: int, mtime: float) -> ReadPlan:
    """Decide between skipping, resuming at the saved offset, and re-reading the whole file."""
    if entry is None:
        return ReadPlan("full")
    if entry.parser_version != reader.parser_version or entry.agent != reader.agent:
        return ReadPlan("full")
    if (
        size == entry.size
        and mtime == entry.mtime
        and not (reader.incremental and entry.bytes_consumed < size and tail_settled(mtime) and unterminated(path))
    ):
        return ReadPlan("skip")
    if not reader.incremental or size < entry.bytes_consumed:
        return ReadPlan("full")
    if entry.head_hash != read_digest(path, entry.bytes_consumed):
        return ReadPlan("full")
    if size == entry.bytes_consumed:
        return ReadPlan("skip")
    return ReadPlan("append", entry.bytes_consumed, entry.lines_consumed, entry.saved_state())


@dataclass
class FileJob:
    """A file the ledger says must be read, and from where."""

    path: Path
    key: str
    reader: SourceReader
    entry: LedgerEntry | None
    plan: ReadPlan
    size: int
    mtime: float


@dataclass
class Tally:
    """Counts of one load transaction, added to the summary only once it commits."""

    files: list[FileJob] = field(default_factory=list)
    sessions: set[tuple[str, str]] = field(default_factory=set)
    messages: int = 0
    tool_calls: int = 0
    usage_rows: int = 0
    problems: int = 0
    events: int = 0
    redactions: Counter = field(default_factory=Counter)

    def reset(self) -> None:
        Tally.__init__(self)


class UnreadableFile(Exception):
    """A file failed to read part-way (vanished, I/O error); its group is rolled back."""

    def __init__(self, job: FileJob, reason: str):
        super().__init__(reason)
        self.job = job
        self.reason = reason


class Ingestor:
    """One ingest run into an open write connection.

    Files are read in groups: one transaction, batched inserts and one ledger write per
    group. If a file fails part-way, the group is rolled back and loaded again without it.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        user_name: str,
        strict: bool = False,
        on_file: Callable[[Path], None] | None = None,
        source_key: Callable[[Path], str] | None = None,
        facts: bool = True,
    ):
        self.con = con
        self.facts = facts  # compute the audit facts of the sessions this run touched, at its end
        self.source_key = source_key  # the name rows and ledger use (default: the real path)
        self.user_name = user_name
        self.strict = strict
        self.on_file = on_file or _no_progress
        self.run_id = uuidlib.uuid4().hex
        self.summary = IngestSummary()
        self.ledger: dict[str, LedgerEntry] = {}
        self.pool: ProcessPoolExecutor | None = None  # read workers, started by the first large group
        self.prices = PriceBook(con)  # the prices of models already priced: no catalogue import for them

    def run(self, roots: Iterable[Path]) -> IngestSummary:
        # The fact extractors are imported where facts are computed, not at the top: the
        # commands that only name this module (costs, audit, team) never load them, nor does a
        # run that defers facts. Pricing (pandas, genai-prices: most of a second) is imported by
        # the first batch that has usage rows the store's price book cannot price, so a run that
        # finds nothing new, or only calls of models priced before, never loads it; the run's
        # price source is recorded at its end, when some rows were priced.
        from ingest.summaries import refresh_summaries

        roots = list(roots)
        paths = [str(r) for r in roots]
        record_run_start(self.con, self.run_id, self.user_name, TOOL_VERSION, _loaded_price_source(), paths)
        self.ledger = ledger_entries(self.con)
        status = "failed"
        try:
            group: list[FileJob] = []
            for candidate in self.candidates(roots):
                if self.on_file is not _no_progress:
                    self.on_file(candidate.path)
                job = self.prepare(candidate)
                if job is not None:
                    group.append(job)
                if len(group) >= GROUP_FILES:
                    self.load_group(group)
                    group = []
            self.load_group(group)
            self.prices.save()
            refresh_summaries(self.con)  # what this run wrote, so its bill reads them
            billed = execute(self.con, "run_billed_cost", run_id=self.run_id).fetchone()
            assert billed is not None  # an aggregate without GROUP BY: always one row
            self.summary.cost_usd, self.summary.unpriced_rows, self.summary.assumed_model_rows = billed
            if self.facts:
                from ingest.refresh import refresh_facts

                self.summary.fact_sessions = refresh_facts(self.con).sessions_refreshed
            status = "ok"
        except StrictModeStop:
            status = "stopped"
            raise
        except duckdb.Error as error:
            if is_temp_limit_error(error) or isinstance(error, duckdb.OutOfMemoryException):
                raise out_of_memory(error, "Loading transcripts") from error
            raise
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)
                self.pool = None
            record_run_end(
                self.con,
                self.run_id,
                self.summary.files_read,
                self.summary.problems,
                status,
                _loaded_price_source() or (self.prices.source if self.prices.priced else None),
            )
        return self.summary

    def candidates(self, roots: list[Path]) -> Iterator[Candidate]:
        seen: set[str] = set()
        for root in roots:
            for candidate in iter_candidates(root, on_error=self.unreachable):
                if candidate.resolved not in seen:
                    seen.add(candidate.resolved)
                    yield candidate

    def unreachable(self, path: str, reason: str) -> None:
        self.summary.unreadable.append((storable(path), reason))

    def prepare(self, candidate: Candidate) -> FileJob | None:
        """Consult the ledger, then recognize the file; None when there is nothing to read.

        A file whose size and mtime are those the ledger recorded, read by the same reader
        version, is unchanged: it is neither opened nor sniffed again (a warm run over
        thousands of files makes no system call per file beyond the walk's ``stat``)."""
        self.summary.files_seen += 1
        stat = candidate.stat
        if stat.st_size == 0:
            self.summary.empty_files.append(storable(str(candidate.path)))
            return None
        key = storable(self.source_key(candidate.path) if self.source_key else candidate.resolved)
        entry = self.ledger.get(key)
        if entry is not None and self.unchanged(candidate, entry):
            self.summary.files_unchanged += 1
            return None
        path = candidate.path
        try:
            head = read_head(path)
        except OSError as error:
            self.unreachable(str(path), os_reason(error))
            return None
        reader = detect_reader(path, head) or (detect_past_garbage(path) if len(head) >= HEAD_BYTES else None)
        if reader is None:
            self.summary.not_transcripts.append(storable(str(path)))
            return None
        try:
            plan = plan_read(path, reader, entry, stat.st_size, stat.st_mtime)
        except OSError as error:
            self.unreachable(str(path), os_reason(error))
            return None
        if plan.mode == "skip":
            self.summary.files_unchanged += 1
            return None
        return FileJob(path, key, reader, entry, plan, stat.st_size, stat.st_mtime)

    @staticmethod
    def unchanged(candidate: Candidate, entry: LedgerEntry) -> bool:
        """The ledger's own verdict, taken before the file is read: same size, same mtime, the
        reader that stored it at the same version, and no settled unterminated tail to add."""
        size, mtime = candidate.stat.st_size, candidate.stat.st_mtime
        reader = READERS.get(entry.agent)
        if reader is None or reader.parser_version != entry.parser_version:
            return False
        if size != entry.size or mtime != entry.mtime:
            return False
        if not (reader.incremental and entry.bytes_consumed < size and tail_settled(mtime)):
            return True
        try:
            return not unterminated(candidate.path)
        except OSError:
            return False

    def load_group(self, jobs: list[FileJob]) -> None:
        """Load ``jobs``; a file that fails part-way is reported and the rest loaded again without it."""
        pending = list(jobs)
        while pending:
            committed: list[FileJob] = []
            try:
                self.load_jobs(pending, committed)
                return
            except UnreadableFile as failure:
                self.unreachable(str(failure.job.path), failure.reason)
                done = {id(job) for job in committed} | {id(failure.job)}
                pending = [job for job in pending if id(job) not in done]

    def load_jobs(self, jobs: list[FileJob], committed: list[FileJob]) -> None:
        """Read ``jobs`` into transactions committed every GROUP_EVENTS events (at line starts)."""
        from ingest.read_workers import read_ahead

        tally = Tally()
        with LoadTransaction(self.con) as txn:
            batch = RowBatch(self.run_id, self.prices)
            for job, read in read_ahead(self.workers_for(jobs), jobs, self.worker_spec, lambda job: job.size):
                if read is None:
                    batch = self.load_file(txn, batch, job, tally, committed)
                else:
                    self.load_read(txn, job, read, tally)
                if tally.events >= GROUP_EVENTS:
                    self.commit(txn, batch, tally, committed)
                    batch = batch.fresh()
            self.flush(txn, batch, tally)
            add_redactions(self.con, self.run_id, tally.redactions)
        self.commit_tally(tally, committed)

    def load_file(
        self, txn: LoadTransaction, batch: RowBatch, job: FileJob, tally: Tally, committed: list[FileJob]
    ) -> RowBatch:
        if job.entry is not None:
            txn.replace_from(job.key, job.plan.offset)
        plan = job.plan
        ctx = ReadContext(
            path=str(job.path.resolve()),
            offset=plan.offset,
            line_no=plan.line_no,
            state=plan.state,
            read_unterminated=tail_settled(job.mtime),
        )
        user_name = self.user_of(job)
        batch.switch_file(job.key, job.reader.agent, user_name)
        try:
            for event in job.reader.read(ctx):
                event = vet(event, ctx.path)
                if ctx.checkpoint is not None:
                    self.commit_part_of_file(txn, batch, job, ctx, user_name, tally, committed)
                    batch = batch.fresh()
                if isinstance(event, Problem):
                    tally.problems += 1
                    if self.strict:
                        raise StrictModeStop(f"{job.key}:{event.pos.line_no}: {event.reason} (stopped by --strict)")
                else:
                    self.count(event, tally)
                batch.add(event)
                tally.events += 1
                if len(batch) >= BATCH_EVENTS:
                    self.flush(txn, batch, tally)
                    batch = batch.fresh()
                if tally.events >= GROUP_EVENTS:
                    ctx.want_checkpoint = True
            bytes_hash = read_digest(job.path, ctx.offset)
        except OSError as error:
            raise UnreadableFile(job, os_reason(error)) from error
        txn.record(self.whole_file_entry(job, ctx.offset, ctx.line_no, bytes_hash, ctx.state), self.run_id)
        tally.files.append(job)
        return batch

    def workers_for(self, jobs: list[FileJob]) -> ProcessPoolExecutor | None:
        """The read workers, started the first time a group has enough files to pay for them
        (never with ``--strict``, which stops at a file's first problem, in its order)."""
        from ingest.read_workers import PARALLEL_MIN_FILES, read_workers, start_pool

        if self.pool is None and not self.strict and len(jobs) >= PARALLEL_MIN_FILES and (count := read_workers()):
            self.pool = start_pool(count)
        return self.pool

    def worker_spec(self, job: FileJob) -> FileSpec | None:
        """What a worker needs to read ``job``, or None to read it here (a large file)."""
        from ingest.read_workers import WORKER_MAX_BYTES, FileSpec

        if job.size - job.plan.offset > WORKER_MAX_BYTES:
            return None
        return FileSpec(
            agent=job.reader.agent,
            path=str(job.path.resolve()),
            key=job.key,
            offset=job.plan.offset,
            line_no=job.plan.line_no,
            state=job.plan.state,
            read_unterminated=tail_settled(job.mtime),
            user_name=self.user_of(job),
            run_id=self.run_id,
            max_events=GROUP_EVENTS,
        )

    def user_of(self, job: FileJob) -> str:
        """An appended file keeps the user its first lines were ingested as."""
        return job.entry.user_name if job.entry and job.plan.mode == "append" else self.user_name

    def whole_file_entry(self, job: FileJob, offset: int, line_no: int, digest: str, state: dict) -> LedgerEntry:
        """The ledger entry of a file read to its end (``offset``), at the size and mtime it had."""
        return LedgerEntry(
            path=job.key,
            agent=job.reader.agent,
            size=job.size,
            mtime=job.mtime,
            bytes_consumed=offset,
            lines_consumed=line_no,
            head_hash=digest,
            parser_version=job.reader.parser_version,
            reader_state=state,
            user_name=self.user_of(job),
        )

    def load_read(self, txn: LoadTransaction, job: FileJob, read: FileRead, tally: Tally) -> None:
        """Insert a file a worker read, with the ledger entry ``load_file`` would record."""
        try:
            digest = read_digest(job.path, read.offset)
        except OSError as error:
            raise UnreadableFile(job, os_reason(error)) from error
        if job.entry is not None:
            txn.replace_from(job.key, job.plan.offset)
        for table, frame in read.tables.items():
            txn.insert_later(table, frame)
        txn.record(self.whole_file_entry(job, read.offset, read.line_no, digest, read.state), self.run_id)
        tally.files.append(job)
        tally.sessions |= read.sessions
        tally.messages += read.messages
        tally.tool_calls += read.tool_calls
        tally.usage_rows += read.usage_rows
        tally.problems += read.problems
        tally.events += read.events
        tally.redactions.update(read.redactions)

    def commit_part_of_file(
        self,
        txn: LoadTransaction,
        batch: RowBatch,
        job: FileJob,
        ctx: ReadContext,
        user_name: str,
        tally: Tally,
        committed: list[FileJob],
    ) -> None:
        """Commit a large file up to the checkpoint its reader took, so memory stays flat.

        The ledger entry records the checkpoint with size = offset and no mtime, so a run
        interrupted after this commit resumes at the checkpoint instead of calling the
        file unchanged.
        """
        assert ctx.checkpoint is not None  # called only once the reader took a checkpoint
        offset, line_no, state = ctx.checkpoint
        ctx.checkpoint = None
        txn.record(
            LedgerEntry(
                path=job.key,
                agent=job.reader.agent,
                size=offset,
                mtime=0.0,
                bytes_consumed=offset,
                lines_consumed=line_no,
                head_hash=read_digest(job.path, offset),
                parser_version=job.reader.parser_version,
                reader_state=json.loads(state),
                user_name=user_name,
            ),
            self.run_id,
        )
        self.commit(txn, batch, tally, committed)

    def commit(self, txn: LoadTransaction, batch: RowBatch, tally: Tally, committed: list[FileJob]) -> None:
        self.flush(txn, batch, tally)
        add_redactions(self.con, self.run_id, tally.redactions)
        txn.commit_and_continue()
        self.commit_tally(tally, committed)
        tally.reset()

    @staticmethod
    def count(event, tally: Tally | FileRead) -> None:
        """The summary's counts for one event (a worker keeps the same counts of its file)."""
        if isinstance(event, Message):
            tally.sessions.add((event.ctx.agent, event.ctx.session_id))
            if event.kind in ("text", "thinking"):
                tally.messages += 1
        elif isinstance(event, Usage):
            tally.sessions.add((event.ctx.agent, event.ctx.session_id))
            tally.usage_rows += 1
        elif isinstance(event, ToolCall):
            tally.tool_calls += 1

    @staticmethod
    def flush(txn: LoadTransaction, batch: RowBatch, tally: Tally) -> None:
        tables = batch.tables()
        tally.redactions.update(batch.redactions)
        for table, rows in tables.items():
            txn.insert_rows(table, rows)

    def commit_tally(self, tally: Tally, committed: list[FileJob]) -> None:
        committed.extend(tally.files)
        summary = self.summary
        summary.files_read += len(tally.files)
        for job in tally.files:
            summary.by_agent[job.reader.agent] = summary.by_agent.get(job.reader.agent, 0) + 1
        summary.sessions |= tally.sessions
        summary.messages += tally.messages
        summary.tool_calls += tally.tool_calls
        summary.usage_rows += tally.usage_rows
        summary.problems += tally.problems
        for kind, count in tally.redactions.items():
            summary.redactions[kind] = summary.redactions.get(kind, 0) + count


def _no_progress(_path: Path) -> None:
    """The default ``on_file``: nothing to show (and no ``Path`` made per file for it)."""


def _loaded_price_source() -> str | None:
    """The price source when pricing is loaded (rows were priced in this process), else None."""
    pricing = sys.modules.get("ingest.pricing")
    return pricing.price_source_version() if pricing is not None else None


def ingest_paths(
    con: duckdb.DuckDBPyConnection,
    roots: Iterable[Path],
    user_name: str,
    strict: bool = False,
    on_file: Callable[[Path], None] | None = None,
    source_key: Callable[[Path], str] | None = None,
    facts: bool = True,
) -> IngestSummary:
    """Ingest every transcript under ``roots`` into ``con``; see :class:`Ingestor`.

    ``source_key`` names a file in the stored rows and the ledger (default: its resolved path);
    an archive import names its files ``archive:<user>/<member>`` so a re-import is recognized.
    With ``facts`` False the audit facts of the touched sessions are left stale, to be computed
    by the first command that reads them (:func:`ingest.api.ensure_current_facts`)."""
    return Ingestor(con, user_name, strict=strict, on_file=on_file, source_key=source_key, facts=facts).run(roots)
