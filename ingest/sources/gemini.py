"""Reader for Gemini CLI chat recordings (``~/.gemini/tmp/<project>/chats/session-*.json[l]``).

Gemini CLI has written two formats, both whole documents (``incremental = False``: the
store re-reads a changed file and replaces its rows):

* **legacy JSON**: one object ``{sessionId, projectHash, startTime, lastUpdated, messages:
  [...]}``, rewritten in full on every update, often pretty-printed.
* **JSONL** (since about April 2026): a metadata line ``{sessionId, projectHash, startTime,
  ...}``, then appended records. A message record (it has a string ``id``) re-appended with
  the same id replaces the earlier one but keeps its place; ``{"$set": {...}}`` updates the
  metadata (a non-empty ``$set.messages`` replaces the whole message list);
  ``{"$rewindTo": id}`` removes that message and everything after it (all messages when the
  id is unknown). These rules mirror ``loadConversationRecord`` in Gemini CLI's
  ``chatRecordingService.ts`` and decide which messages the conversation shows. A response
  that a rewind removed was still paid for, so its usage is kept (last version per id, as
  ccusage counts it). Sub-agent recordings live in ``chats/<parent session>/``.

Messages: ``user`` -> user text, ``gemini`` -> assistant thinking (``thoughts``), text, tool
calls with their results, and usage; ``info``/``error``/``warning`` -> system notes; other
types are kept as ``kind="other"``. Legacy messages are positioned at the line where their
object starts (several on one line get seq 0, 1, 2…); JSONL messages at their record's line.

Token accounting mirrors ccusage's Gemini adapter so per-day totals agree with
``ccusage gemini daily``: Gemini's ``input`` includes the cached prompt, so when ``total``
equals ``input + output + thoughts + tool`` (cache inside ``input``) the cache is
subtracted; ``tool`` (tool-use prompt) tokens count as input; ``thoughts`` are billed as
output but reported apart: ``output_tokens`` = ``output`` and ``reasoning_tokens`` =
thoughts with ``reasoning_in_output=False`` (ccusage's ``outputTokens`` leaves them out
too and adds them to ``totalTokens``; both bill them at the output price). Tokens
that ``total`` holds beyond the parts are output when the response reports none, else
reasoning, as ccusage assigns them.
A ``gemini`` message whose tokens are missing or all zero gets an ``estimated`` usage from
its own text (output) and the text it answered (input); ccusage reports nothing for those.
``dedup_key`` = ``<sessionId>:<message id>``, so a legacy file and the JSONL file Gemini
CLI migrates it into on resume count each response once.

The ``/chat save`` checkpoints and the ``logs.json`` prompt log beside the chats (bare JSON
arrays) are read by ``gemini_saved``, which explains how they avoid counting twice.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from ingest.events import (
    Event,
    Message,
    Position,
    Problem,
    ReadContext,
    SessionContext,
    ToolCall,
    ToolResult,
    Usage,
)
from ingest.sanity import NOT_A_COUNT
from ingest.sources import bounded_json
from ingest.sources.base import Recognition, iter_json_lines
from ingest.sources.base import parse_timestamp as parse_iso_or_epoch
from ingest.sources.gemini_saved import is_saved_file, read_saved
from ingest.sources.text import as_list, mapping, string, to_json
from ingest.tokens import estimate_tokens

SHELL_TOOLS = frozenset({"run_shell_command"})
REPLACE_TOOLS = frozenset({"replace", "edit"})
WRITE_TOOLS = frozenset({"write_file"})
SYSTEM_TYPES = frozenset({"info", "error", "warning"})

# Field names ccusage accepts for each token count, first match wins.
TOKEN_FIELDS = {
    "input": ("input", "prompt", "input_tokens", "prompt_tokens"),
    "output": ("output", "candidates", "output_tokens", "candidates_tokens"),
    "cached": ("cached", "cached_tokens"),
    "thoughts": ("thoughts", "reasoning", "thoughts_tokens", "reasoning_tokens"),
    "tool": ("tool", "tool_tokens"),
}

_SESSION_KEY = re.compile(rb'"sessionId"\s*:')
_PROJECT_HASH_KEY = re.compile(rb'"projectHash"\s*:')
_EXIT_CODE = re.compile(r"^Exit Code: (-?\d+)\s*$", re.MULTILINE)
_SHELL_FAILURE_LINE = re.compile(r"^(Signal|Error): ", re.MULTILINE)
_SHELL_COMPLETED_LINE = re.compile(r"^Process Group PGID: ", re.MULTILINE)


class GeminiReader:
    agent = "gemini"
    provider = "google"
    suffixes = (".json", ".jsonl")
    parser_version = 1
    incremental = False

    def default_locations(self, home: Path, environ: Mapping[str, str]) -> list[Path]:
        return [home / ".gemini" / "tmp"]

    def sniff(self, path: Path, head: bytes) -> Recognition:
        """A JSON object whose opening (the legacy document's first keys, or the JSONL
        metadata line) names both ``sessionId`` and ``projectHash``; or a JSON array that
        opens like a ``/chat save`` checkpoint or a ``logs.json`` prompt log (``gemini_saved``)."""
        start = head.lstrip()
        if start.startswith(b"["):
            return Recognition.CERTAIN if is_saved_file(start) else Recognition.NO
        if not start.startswith(b"{"):
            return Recognition.NO
        probe = start[:4096]
        found = _SESSION_KEY.search(probe) and _PROJECT_HASH_KEY.search(probe)
        return Recognition.CERTAIN if found else Recognition.NO

    def read(self, ctx: ReadContext) -> Iterator[Event]:
        # A whole-document format: always read from the start, whatever the ledger says.
        ctx.offset, ctx.line_no = 0, 0
        try:
            with open(ctx.path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            yield Problem(Position(1, 0), f"cannot read file: {error}")
            return
        if not data.strip():
            ctx.offset, ctx.line_no = len(data), data.count(b"\n")
            yield Problem(Position(1, 0), "empty file: no Gemini CLI session in it", data)
            return
        document, failure = parse_document(data)
        if failure is None:
            assert document is not None  # parse_document gives a document or an error
            ctx.offset, ctx.line_no = len(data), data.count(b"\n")
            yield from read_legacy(ctx.path, *document)
        elif looks_like_jsonl(data, failure):
            yield from read_jsonl(ctx)
        else:
            ctx.offset, ctx.line_no = len(data), data.count(b"\n")
            yield Problem(Position(1, 0), legacy_problem(failure), data[:4096])


def parse_document(data: bytes) -> tuple[tuple[str, Any] | None, UnicodeDecodeError | json.JSONDecodeError | None]:
    """((text, value), None) when the whole file is one JSON document, else (None, error)."""
    try:
        text = data.decode("utf-8")
        return (text, bounded_json.loads(text)), None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, error


def looks_like_jsonl(data: bytes, error: ValueError) -> bool:
    """A file that is not one document is JSONL when its first line is a complete object.

    A broken document whose first line is not an object is a truncated legacy file.
    """
    if isinstance(error, json.JSONDecodeError) and error.msg == "Extra data":
        return True
    first_line = data.lstrip().split(b"\n", 1)[0]
    try:
        return isinstance(bounded_json.loads(first_line.decode("utf-8")), dict)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False


def legacy_problem(error: UnicodeDecodeError | json.JSONDecodeError) -> str:
    if isinstance(error, UnicodeDecodeError):
        return f"invalid UTF-8 at byte {error.start}: not a readable Gemini CLI session"
    return f"truncated or invalid JSON document: {error.msg} at line {error.lineno} column {error.colno}"


# ---------------------------------------------------------------- legacy single JSON


def read_legacy(path: str, text: str, document: Any) -> Iterator[Event]:
    if isinstance(document, list) and is_saved_file(text[:4096].encode()):
        yield from read_saved(path, text, document, LinePositions(text))
        return
    if not isinstance(document, dict) or not isinstance(document.get("sessionId"), str):
        yield Problem(Position(1, 0), "valid JSON but not a Gemini CLI session (no sessionId)", text[:4096].encode())
        return
    messages = as_list(document.get("messages"))
    positions = LinePositions(text)
    emitter = SessionEmitter(session_context(document, path), document)
    for message, start in zip(messages, message_starts(text, len(messages))):
        yield from emitter.events_of(message, positions.at(start))


def message_starts(text: str, count: int) -> list[int]:
    """Character index where each element of the top-level ``messages`` array starts.

    Walks the top-level object with ``raw_decode`` (the document is already known valid);
    falls back to index 0 for all when the layout is unexpected.
    """
    decoder = json.JSONDecoder()
    try:
        index = skip_space(text, 0)
        if text[index] != "{":
            return [0] * count
        index = skip_space(text, index + 1)
        while index < len(text) and text[index] != "}":
            key, index = decoder.raw_decode(text, index)
            index = skip_space(text, index)
            index = skip_space(text, index + 1)  # past ':'
            if key == "messages" and text[index] == "[":
                starts = array_element_starts(text, index, decoder)
                if len(starts) == count:
                    return starts
            _, index = decoder.raw_decode(text, index)
            index = skip_space(text, index)
            if text[index] == ",":
                index = skip_space(text, index + 1)
    except (ValueError, IndexError, RecursionError):  # ValueError: also a hostile number
        pass
    return [0] * count


def array_element_starts(text: str, index: int, decoder: json.JSONDecoder) -> list[int]:
    starts: list[int] = []
    index = skip_space(text, index + 1)
    while text[index] != "]":
        starts.append(index)
        _, index = decoder.raw_decode(text, index)
        index = skip_space(text, index)
        if text[index] == ",":
            index = skip_space(text, index + 1)
    return starts


def skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


class LinePositions:
    """Turns increasing character indexes into Positions (line number, byte offset of the line)."""

    def __init__(self, text: str):
        self.text = text
        self.char = 0  # start of the current line, as a character index
        self.byte = 0  # ... and as a byte offset
        self.line_no = 1

    def at(self, index: int) -> Position:
        line_start = self.text.rfind("\n", 0, index) + 1
        if line_start > self.char:
            self.line_no += self.text.count("\n", self.char, line_start)
            self.byte += len(self.text[self.char : line_start].encode("utf-8"))
            self.char = line_start
        return Position(self.line_no, self.byte)


# ---------------------------------------------------------------- JSONL


def read_jsonl(ctx: ReadContext) -> Iterator[Event]:
    metadata: dict = {}
    records: dict[Any, tuple[dict, Position]] = {}  # insertion-ordered like the JS Map it mirrors
    billed: dict[str, tuple[dict, Position]] = {}  # last version of each response that reports tokens
    replacement: tuple[list, Position] | None = None
    for item in iter_json_lines(ctx):
        if isinstance(item, Problem):
            yield item
            continue
        pos, record = item
        if isinstance(record.get("$rewindTo"), str):
            rewind(records, record["$rewindTo"])
        elif isinstance(record.get("id"), str):
            records[record["id"]] = (record, pos)
            if record.get("type") == "gemini" and ccusage_tokens(record.get("tokens")) is not None:
                billed[record["id"]] = (record, pos)
        elif isinstance(record.get("$set"), dict):
            metadata.update(record["$set"])
            if "messages" in record["$set"]:
                replacement = (as_list(record["$set"]["messages"]), pos)
        elif isinstance(record.get("sessionId"), str) and isinstance(record.get("projectHash"), str):
            metadata.update(record)
        else:
            records[("unknown record", pos.line_no)] = (record, pos)
    if not isinstance(metadata.get("sessionId"), str):
        yield Problem(Position(1, 0), "no metadata line with sessionId and projectHash; session named after the file")
        metadata["sessionId"] = Path(ctx.path).stem
    emitter = SessionEmitter(session_context(metadata, ctx.path), metadata, billed)
    if replacement is not None and replacement[0]:
        yield from replaced_messages(emitter, *replacement)
    else:
        for record, pos in records.values():
            yield from emitter.events_of(record, pos)
    for message_id, (record, pos) in billed.items():
        if message_id not in emitter.billed_ids:  # rewound or rewritten away, but paid for
            yield from emitter.usage_of(record, pos)


def rewind(records: dict, message_id: str) -> None:
    """Drop ``message_id`` and every record after it; everything when the id is unknown."""
    if message_id not in records:
        records.clear()
        return
    keys = list(records)
    for key in keys[keys.index(message_id) :]:
        del records[key]


def replaced_messages(emitter: SessionEmitter, messages: list, pos: Position) -> Iterator[Event]:
    """Messages a ``$set`` rewrote as a whole; they all sit on that record's line."""
    for message in messages:
        if isinstance(message, dict):
            yield from emitter.events_of(message, pos)


# ---------------------------------------------------------------- shared by both formats


def session_context(metadata: dict, path: str) -> SessionContext:
    parent = subagent_parent(path) if metadata.get("kind") == "subagent" else None
    return SessionContext(
        agent="gemini",
        session_id=metadata["sessionId"],
        project=project_of(path) or string(metadata.get("projectHash")),
        parent_session_id=parent,
        is_sidechain=metadata.get("kind") == "subagent",
        title=string(metadata.get("summary")),
    )


def project_of(path: str) -> str | None:
    """``<project>`` in ``…/.gemini/tmp/<project>/chats/…``, else None."""
    parts = Path(path).parts
    for index in range(len(parts) - 3):
        if parts[index] == ".gemini" and parts[index + 1] == "tmp" and parts[index + 3] == "chats":
            return parts[index + 2]
    return None


def subagent_parent(path: str) -> str | None:
    """A sub-agent file sits in ``chats/<parent session id>/``."""
    parent = Path(path).parent
    return parent.name if parent.parent.name == "chats" else None


class SessionEmitter:
    """Turns message records into events, remembering what the next estimate needs: the
    text the model has been given since its previous reply, and the latest model seen."""

    def __init__(self, session: SessionContext, metadata: dict, billed: dict | None = None):
        self.session = session
        self.session_start = parse_timestamp(metadata.get("startTime"))
        self.billed = billed or {}
        self.billed_ids: set[str] = set()
        self.model: str | None = None
        self.unanswered_text: list[str] = []
        self.next_seq: dict[tuple[int, int], int] = {}

    def events_of(self, message: dict, pos: Position) -> Iterator[Event]:
        """Events of one message at ``pos``; messages sharing a line continue its seq."""
        yield from self.positioned(pos, message, lambda: self.build(message))

    def usage_of(self, message: dict, pos: Position) -> Iterator[Event]:
        """Only the usage of a response that is no longer part of the conversation."""

        def build() -> list[Event]:
            self.model = string(message.get("model")) or self.model
            ts = parse_timestamp(message.get("timestamp")) or self.session_start
            return [self.usage(message, ts, [], None, [])]

        yield from self.positioned(pos, message, build)

    def positioned(self, pos: Position, message: Any, build) -> Iterator[Event]:
        try:
            if not isinstance(message, dict):
                raise TypeError(f"message is a {type(message).__name__}, not an object")
            events = build()
        except Exception as error:  # an unforeseen shape must not cost the rest of the file
            events = [Problem(pos, f"could not interpret message: {error!r}", to_json(message).encode())]
        line = (pos.line_no, pos.byte_offset)
        first_seq = self.next_seq.get(line, 0)
        for seq, event in enumerate(events, start=first_seq):
            event.pos = Position(pos.line_no, pos.byte_offset, seq)
            yield event
        self.next_seq[line] = first_seq + len(events)

    def build(self, message: dict) -> list[Event]:
        kind = string(message.get("type"))
        ts = parse_timestamp(message.get("timestamp")) or self.session_start
        if kind == "user":
            text = content_text(message.get("content"))
            if text:
                self.unanswered_text.append(text)
            return [self.message(message, ts, "user", "text", text, "user")]
        if kind == "gemini":
            return self.gemini_events(message, ts)
        if kind in SYSTEM_TYPES:
            return [self.message(message, ts, "system", "system", content_text(message.get("content")), kind)]
        record_type = kind if isinstance(kind, str) else "unknown"
        return [
            self.message(
                message, ts, "system", "other", content_text(message.get("content")) or to_json(message), record_type
            )
        ]

    def message(self, message, ts, role, kind, text, record_type, model=None) -> Message:
        return Message(
            ctx=self.session,
            pos=Position(0, 0),
            ts=ts,
            role=role,
            kind=kind,
            text=text,
            record_type=record_type,
            model=model,
            uuid=string(message.get("id")),
        )

    def gemini_events(self, message: dict, ts: datetime | None) -> list[Event]:
        self.model = string(message.get("model")) or self.model
        events: list[Event] = []
        thoughts: list[str] = []
        for thought in as_list(message.get("thoughts")):
            summary = thought_text(thought) if isinstance(thought, dict) else None
            if summary:
                thoughts.append(summary)
                thought_ts = parse_timestamp(thought.get("timestamp")) or ts
                events.append(
                    self.message(message, thought_ts, "assistant", "thinking", summary, "gemini/thought", self.model)
                )
        text = content_text(message.get("content"))
        if text:
            events.append(self.message(message, ts, "assistant", "text", text, "gemini", self.model))
        calls = [
            (index, call) for index, call in enumerate(as_list(message.get("toolCalls"))) if isinstance(call, dict)
        ]
        results_text: list[str] = []
        for index, call in calls:
            tool_call = self.tool_call(message, call, index, ts)
            events.append(tool_call)
            result = self.tool_result(call, tool_call, ts)
            if result is not None:
                events.append(result)
                if result.text:
                    results_text.append(result.text)
        events.append(self.usage(message, ts, thoughts, text, [call for _, call in calls]))
        self.unanswered_text = results_text
        return events

    def tool_call(self, message: dict, call: dict, index: int, ts) -> ToolCall:
        name = string(call.get("name")) or "unknown"
        args = mapping(call.get("args"))
        tool_call = ToolCall(
            ctx=self.session,
            pos=Position(0, 0),
            ts=parse_timestamp(call.get("timestamp")) or ts,
            call_id=string(call.get("id")) or f"{string(message.get('id')) or 'message'}:{index}",
            name=name,
            input_json=to_json(call.get("args")),
            message_uuid=string(message.get("id")),
        )
        if name in SHELL_TOOLS:
            tool_call.command = string(args.get("command"))
        elif name in REPLACE_TOOLS:
            tool_call.file_path = string(args.get("file_path"))
            tool_call.old_text = args.get("old_string") if isinstance(args.get("old_string"), str) else None
            tool_call.new_text = args.get("new_string") if isinstance(args.get("new_string"), str) else None
        elif name in WRITE_TOOLS:
            tool_call.file_path = string(args.get("file_path"))
            tool_call.new_text = args.get("content") if isinstance(args.get("content"), str) else None
        return tool_call

    def tool_result(self, call: dict, tool_call: ToolCall, ts) -> ToolResult | None:
        status = call.get("status")
        if "result" not in call and status not in ("success", "error", "cancelled"):
            return None
        text = result_text(call)
        exit_code = shell_exit_code(text) if tool_call.name in SHELL_TOOLS else None
        return ToolResult(
            ctx=self.session,
            pos=Position(0, 0),
            ts=parse_timestamp(call.get("timestamp")) or ts,
            call_id=tool_call.call_id,
            text=text,
            is_error=status == "error",
            exit_code=exit_code,
        )

    def usage(self, message: dict, ts, thoughts: list[str], text: str | None, calls: list[dict]) -> Usage:
        message_id = string(message.get("id"))
        billed = self.billed.get(message_id)
        tokens = ccusage_tokens((billed[0] if billed else message).get("tokens"))
        if billed and message_id is not None:  # billed is keyed by string ids
            self.billed_ids.add(message_id)
        usage = Usage(
            ctx=self.session,
            pos=Position(0, 0),
            ts=ts,
            model=self.model,
            message_uuid=message_id,
            dedup_key=f"{self.session.session_id}:{message_id}" if message_id else None,
            reasoning_in_output=False,
        )
        if tokens is None:
            return self.estimated(usage, thoughts, text, calls)
        usage.input_tokens, usage.output_tokens, usage.cache_read_tokens, usage.reasoning_tokens = tokens
        return usage

    def estimated(self, usage: Usage, thoughts: list[str], text: str | None, calls: list[dict]) -> Usage:
        reasoning = estimate_tokens("\n".join(thoughts))
        written = "\n".join([text or ""] + [to_json(call["args"]) for call in calls if "args" in call])
        usage.input_tokens = estimate_tokens("\n".join(self.unanswered_text))
        usage.output_tokens = estimate_tokens(written)
        usage.reasoning_tokens = reasoning
        usage.estimated = True
        return usage


def ccusage_tokens(value: Any) -> tuple[int, int, int, int] | None:
    """(input, output, cache read, thoughts) as ccusage counts them, or None
    when the message reports no tokens at all (missing, or every count zero)."""
    if not isinstance(value, dict):
        return None
    parts = {name: first_count(value, keys) for name, keys in TOKEN_FIELDS.items()}
    total = token_count(value.get("total", value.get("total_tokens")))
    inclusive = parts["input"] + parts["output"] + parts["thoughts"] + parts["tool"]
    cached = parts["cached"]
    uncached = parts["input"]
    if cached > 0 and total == inclusive and total != inclusive + cached:
        uncached = parts["input"] - min(parts["input"], cached)
    input_tokens = uncached + parts["tool"]
    output, extra = parts["output"], parts["thoughts"]
    if total is not None:
        missing = max(0, total - (input_tokens + output + cached + extra))
        if missing and output == 0:
            output = missing
        elif missing:
            extra += missing
    if input_tokens == output == cached == extra == 0:
        return None
    return input_tokens, output, cached, extra


def first_count(record: dict, keys: tuple[str, ...]) -> int:
    for key in keys:
        count = token_count(record.get(key))
        if count is not None:
            return count
    return 0


def token_count(value: Any) -> int | None:
    """A JSON number as a whole count (fractions truncated), else None. A negative or
    non-finite count is kept (as NOT_A_COUNT when infinite) so the usage becomes a problem."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return NOT_A_COUNT
    return int(value)


def parse_timestamp(value: Any) -> datetime | None:
    """Like the shared parser, but an out-of-range epoch number is None, not an error."""
    try:
        return parse_iso_or_epoch(value)
    except (OverflowError, OSError, ValueError):
        return None


def content_text(content: Any) -> str | None:
    """Text of a message's content: a string, one Part, or a Part list (text parts joined)."""
    if isinstance(content, str):
        return content or None
    if isinstance(content, dict):
        content = [content]
    texts = [part["text"] for part in as_list(content) if isinstance(part, dict) and isinstance(part.get("text"), str)]
    joined = "".join(texts)
    return joined or None


def thought_text(thought: dict) -> str | None:
    subject = string(thought.get("subject"))
    description = string(thought.get("description"))
    if subject and description:
        return f"{subject}\n{description}"
    return subject or description


def result_text(call: dict) -> str | None:
    """The function response the model received (``output`` or ``error``); the display text
    when the call has no recorded result."""
    texts: list[str] = []
    for part in as_list(call.get("result")):
        part = mapping(part)
        response = mapping(mapping(part.get("functionResponse")).get("response"))
        if response:
            value = response.get("output", response.get("error"))
            texts.append(value if isinstance(value, str) else to_json(value if value is not None else response))
        elif isinstance(part.get("text"), str):
            texts.append(part["text"])
    if texts:
        return "\n".join(texts)
    display = call.get("resultDisplay")
    return display if isinstance(display, str) and display else None


def shell_exit_code(text: str | None) -> int | None:
    """Exit code of ``run_shell_command`` output.

    The tool writes ``Exit Code: N`` only when N is not 0; output that ran to completion
    (``Process Group PGID:`` present) with no exit code, signal or error line exited 0.
    """
    if not text:
        return None
    codes = _EXIT_CODE.findall(text)
    if codes:
        return int(codes[-1])
    if _SHELL_COMPLETED_LINE.search(text) and not _SHELL_FAILURE_LINE.search(text):
        return 0
    return None


READER = GeminiReader()
