"""The normalized event model every source reader yields.

Each agent writes its transcripts differently; once a reader has turned a line into these
events, nothing downstream knows which format it came from. Events carry their position
(line number and byte offset) so every finding can be traced back to the exact line.

Timestamps are timezone-aware UTC datetimes (or None when the format has none).
Token conventions follow ccusage: ``input_tokens`` excludes cache reads and cache writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Position:
    """Where an event was read: 1-based line number and the byte offset of that line."""

    line_no: int
    byte_offset: int
    seq: int = 0  # index of the event within its line (one line may hold several blocks)


@dataclass(slots=True)
class SessionContext:
    """What is known about the session an event belongs to."""

    agent: str
    session_id: str
    project: str | None = None  # working directory
    git_branch: str | None = None
    git_repo: str | None = None
    git_commit: str | None = None
    parent_session_id: str | None = None  # resume / fork / sub-agent parent
    subagent_id: str | None = None
    is_sidechain: bool = False
    title: str | None = None


@dataclass(slots=True)
class Message:
    """A unit of conversation: user prompt, assistant text or thinking, summary, system note.

    ``kind``: text | thinking | summary | system | meta (records with no text such as
    file-history-snapshot, queue-operation, progress) | other (unknown future types, kept).
    """

    ctx: SessionContext
    pos: Position
    ts: datetime | None
    role: str  # user | assistant | system | tool
    kind: str
    text: str | None
    record_type: str  # the format's own record type, e.g. "assistant", "response_item/message"
    model: str | None = None
    uuid: str | None = None
    parent_uuid: str | None = None


@dataclass(slots=True)
class Usage:
    """Tokens billed for one API response.

    ``dedup_key`` identifies the response across lines and files (Claude: message id +
    request id); rows sharing a key are counted once, keeping the one with most tokens.
    ``reasoning_tokens`` are thinking tokens. Claude and Codex report them inside
    ``output_tokens`` (``reasoning_in_output``); Gemini CLI reports them apart from its output
    count, so there they are billed on top of ``output_tokens`` and added to the total.
    """

    ctx: SessionContext
    pos: Position
    ts: datetime | None
    model: str | None
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_5m_tokens: int = 0
    cache_write_1h_tokens: int = 0
    reasoning_tokens: int = 0
    estimated: bool = False
    dedup_key: str | None = None
    message_uuid: str | None = None
    speed: str | None = None  # Claude's usage.speed ("fast" is billed at a premium)
    reasoning_in_output: bool = True
    model_assumed: bool = False  # the transcript names no model: ``model`` is a guess (Codex: gpt-5)


@dataclass(slots=True)
class ToolCall:
    """A tool invocation. Shell calls fill ``command``; edits fill ``file_path`` and
    ``old_text``/``new_text`` (string replacement) or ``patch`` (apply_patch text)."""

    ctx: SessionContext
    pos: Position
    ts: datetime | None
    call_id: str
    name: str
    input_json: str | None = None
    command: str | None = None
    file_path: str | None = None
    old_text: str | None = None
    new_text: str | None = None
    patch: str | None = None
    message_uuid: str | None = None


@dataclass(slots=True)
class ToolResult:
    """The outcome of a tool call, joined to it by ``call_id`` within the session."""

    ctx: SessionContext
    pos: Position
    ts: datetime | None
    call_id: str
    text: str | None
    is_error: bool = False
    exit_code: int | None = None
    duration_s: float | None = None


@dataclass(slots=True)
class Problem:
    """A line that could not be understood. Stored, counted, never silently dropped."""

    pos: Position
    reason: str
    raw: bytes = b""


@dataclass(slots=True)
class ReadContext:
    """Mutable reading state handed to a reader and read back by the store.

    ``offset``/``line_no`` advance only past complete (newline-terminated) lines, so a
    half-written last line is read again next time. ``state`` survives between
    incremental runs (stored as JSON in the ledger) for formats whose lines depend on
    earlier ones (Codex: session id, model, running token totals).
    """

    path: str
    offset: int = 0
    line_no: int = 0
    state: dict = field(default_factory=dict)
    # The store may ask for a checkpoint to commit part of a large file: at the next line
    # start, where every earlier line is fully processed, (offset, line_no, state as JSON)
    # is saved here.
    want_checkpoint: bool = False
    checkpoint: tuple[int, int, str] | None = None
    # Read a last line that lacks its newline too (the store sets it once the file has
    # stopped changing, see ingest.pipeline.TAIL_SETTLED_S).
    read_unterminated: bool = False


Event = Message | Usage | ToolCall | ToolResult | Problem
