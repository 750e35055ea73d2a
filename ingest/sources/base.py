"""What every source reader shares: the reader contract and safe line iteration.

A reader turns one transcript file into normalized events (``ingest.events``). Readers of
line-oriented formats are *incremental*: they resume at the byte offset where the previous
run stopped and consume only newline-terminated lines. Readers of whole-document formats
(a single JSON file) re-read the file whenever it changes and the store replaces that
file's rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from enum import IntEnum
from pathlib import Path
from typing import Protocol

from ingest.events import Event, Position, Problem, ReadContext
from ingest.sources import bounded_json

READ_CHUNK = 1 << 20


class Recognition(IntEnum):
    """How surely a reader recognizes a file; the registry takes the surest reader."""

    NO = 0
    LIKELY = 1  # shapes other formats may share (a bare ``sessionId``, the keys of a cut line)
    CERTAIN = 2


class SourceReader(Protocol):
    """What a format module declares; ``ingest.sources`` registers one instance per format."""

    agent: str  # the name users type (``--agent``) and rows carry
    provider: str | None  # genai-prices provider id; None when the model id names it (LiteLLM style)
    suffixes: tuple[str, ...]  # file name endings worth sniffing
    parser_version: int
    incremental: bool

    def default_locations(self, home: Path, environ: Mapping[str, str]) -> list[Path]:
        """Where the agent writes transcripts on this machine (existing or not)."""

    def sniff(self, path: Path, head: bytes) -> Recognition:
        """How surely the file is this agent's transcript (``head`` is its first 64 KiB)."""

    def read(self, ctx: ReadContext) -> Iterator[Event]:
        """Yield the events of ``ctx.path`` from ``ctx.offset``; advance ``ctx`` as lines are consumed."""


def iter_complete_lines(ctx: ReadContext) -> Iterator[tuple[Position, bytes]]:
    """Yield (position, line without newline) for each newline-terminated line after ``ctx.offset``.

    Advances ``ctx.offset`` and ``ctx.line_no`` only past lines that end in ``\\n``: a
    partially written last line stays unread until a later run finds it complete, or until
    the store says the file has stopped changing (``ctx.read_unterminated``). Takes the
    checkpoint the store asked for (``ctx.want_checkpoint``) before handing out a line: the
    reader has then finished with every earlier line.
    Streams in chunks, so memory stays flat whatever the file size.
    """
    with open(ctx.path, "rb") as handle:
        handle.seek(ctx.offset)
        pending = b""
        pending_offset = ctx.offset
        while True:
            chunk = handle.read(READ_CHUNK)
            if not chunk:
                if pending and ctx.read_unterminated:
                    ctx.line_no += 1
                    ctx.offset = pending_offset + len(pending)
                    yield Position(ctx.line_no, pending_offset), pending.rstrip(b"\r")
                return
            pending += chunk
            start = 0
            while True:
                newline = pending.find(b"\n", start)
                if newline < 0:
                    break
                line = pending[start:newline]
                line_offset = pending_offset + start
                if ctx.want_checkpoint:
                    ctx.checkpoint = (line_offset, ctx.line_no, json.dumps(ctx.state))
                    ctx.want_checkpoint = False
                ctx.line_no += 1
                ctx.offset = line_offset + len(line) + 1
                yield Position(ctx.line_no, line_offset), line.rstrip(b"\r")
                start = newline + 1
            pending_offset += start
            pending = pending[start:]


def iter_json_lines(ctx: ReadContext) -> Iterator[tuple[Position, dict] | Problem]:
    """Like :func:`iter_complete_lines` but decoded: yields (position, object) or a Problem.

    Blank lines are skipped; invalid UTF-8, invalid JSON and non-object values become
    Problems carrying the raw bytes.
    """
    for pos, raw in iter_complete_lines(ctx):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield Problem(pos, f"invalid UTF-8 at byte {error.start} of the line", raw)
            continue
        try:
            value = bounded_json.loads(text)
        except json.JSONDecodeError as error:
            yield Problem(pos, f"invalid JSON: {error.msg} (column {error.colno})", raw)
            continue
        if not isinstance(value, dict):
            yield Problem(pos, f"expected a JSON object, got {type(value).__name__}", raw)
            continue
        yield pos, value


def parse_timestamp(value: object) -> datetime | None:
    """Parse ISO-8601 strings (``Z`` or offset) and epoch seconds/milliseconds into aware UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (ValueError, OverflowError, OSError):
            return None
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return parsed.astimezone(UTC)
        except (ValueError, OverflowError):
            return None
    return None


def read_head(path: Path, size: int = 65536) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)
