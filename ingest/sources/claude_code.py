"""Reader for Claude Code transcripts (``~/.claude/projects/<slug>/<session>.jsonl``).

Each line is one record: ``user`` and ``assistant`` messages (the API message under
``message``), ``system`` notes, ``summary`` titles, and bookkeeping records such as
``progress``, ``file-history-snapshot`` and ``queue-operation``. Sub-agents write their own
files (``<session>/subagents/agent-*.jsonl``, formerly ``agent-*.jsonl`` beside the session);
their lines carry the parent's ``sessionId`` plus ``agentId`` and ``isSidechain``.

Token accounting follows ccusage:

* one ``Usage`` per assistant line with ``message.usage``. Claude Code writes one line per
  content block of a streamed response, each repeating the usage so far, so lines of one
  response share ``dedup_key`` = ``<message.id>:<requestId>`` and the store keeps the
  largest; the early lines of a response carry placeholder output counts.
* ``input_tokens`` excludes cache reads and writes, as in the API. Cache writes are split
  into 5-minute and 1-hour writes when ``usage.cache_creation`` gives the split; tokens the
  split does not account for count as 5-minute writes (the cheaper, default TTL).
* no ``Usage`` for ``<synthetic>`` messages and API-error entries: Claude Code made them up
  locally and nothing was billed.
* ``progress`` records of running sub-agents embed the sub-agent's API responses, usage
  included. That usage is billed (with the embedded response's own dedup key, so it counts
  once when the sub-agent's own file is ingested too, and is not lost when that file is
  missing), as ccusage does; the embedded text stays out of the conversation.

Exit codes of tool results come from the result text first (``Exit code 2`` opens the
text of a failed Bash call; background tasks report ``<exit_code>0</exit_code>``), then
from ``toolUseResult`` fields. The text is matched at its start only, so output that
merely mentions an exit code is not mistaken for one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
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
from ingest.sources.base import Recognition, iter_json_lines
from ingest.sources.text import (
    as_list,
    exit_code_in_text,
    head_objects,
    joined_text,
    mapping,
    number,
    numbered,
    optional_float,
    optional_int,
    safe_timestamp,
    string,
    to_json,
)

SYNTHETIC_MODEL = "<synthetic>"

CLAUDE_RECORD_TYPES = frozenset(
    {
        "user",
        "assistant",
        "system",
        "summary",
        "progress",
        "file-history-snapshot",
        "queue-operation",
        "last-prompt",
        "custom-title",
    }
)
GENERIC_RECORD_TYPES = frozenset({"user", "assistant", "system"})
BOOKKEEPING_TYPES = frozenset({"progress", "file-history-snapshot", "queue-operation", "last-prompt"})
TITLE_FIELDS = {"custom-title": "customTitle"}

_LONG_FIRST_LINE = re.compile(rb'\A\s*\{"(parentUuid|isSidechain|sessionId|leafUuid|type)"')


class ClaudeCodeReader:
    agent = "claude"
    provider = "anthropic"
    suffixes = (".jsonl",)
    parser_version = 1
    incremental = True

    def default_locations(self, home: Path, environ: Mapping[str, str]) -> list[Path]:
        configured = [
            Path(d.strip()).expanduser() / "projects"
            for d in environ.get("CLAUDE_CONFIG_DIR", "").split(",")
            if d.strip()
        ]
        return configured + [home / ".claude" / "projects", home / ".config" / "claude" / "projects"]

    def sniff(self, path: Path, head: bytes) -> Recognition:
        objects, first_line_incomplete = head_objects(head)
        if objects:
            first = recognize_claude_record(objects[0])
            # one odd first record (an unknown type, a mangled line) must not hide the file:
            # then every later record of the head decides
            if (
                first == Recognition.NO
                and len(objects) > 1
                and all(recognize_claude_record(o) == Recognition.CERTAIN for o in objects[1:])
            ):
                return Recognition.LIKELY
            return first
        if first_line_incomplete and _LONG_FIRST_LINE.match(head[:4096]):
            return Recognition.LIKELY  # only the opening keys of a line too long for the head
        return Recognition.NO

    def read(self, ctx: ReadContext) -> Iterator[Event]:
        stem = Path(ctx.path).stem
        for item in iter_json_lines(ctx):
            if isinstance(item, Problem):
                yield item
                continue
            pos, record = item
            try:
                events = events_of_record(record, pos, ctx.state, stem)
            except Exception as error:  # a record shape nobody foresaw must not stop the file
                yield Problem(pos, f"could not interpret record: {error!r}", to_json(record).encode())
                continue
            yield from numbered(events, pos)


def recognize_claude_record(record: dict) -> Recognition:
    """How surely a file's first record is Claude Code's: a known record type with an identity
    is certain; a bare ``sessionId`` or chat message is only likely (other formats carry those
    too, and the registry prefers the reader that is certain)."""
    record_type = string(record.get("type"))  # a non-string type (a list, an object) names no record kind
    message = record.get("message")
    has_message = isinstance(message, dict) and message.get("role") in ("user", "assistant")
    has_identity = any(isinstance(record.get(key), str) for key in ("sessionId", "uuid", "leafUuid"))
    if record_type in GENERIC_RECORD_TYPES:
        # a bare {"type": "user"} could be anything
        return Recognition.CERTAIN if has_identity or has_message else Recognition.NO
    if record_type in CLAUDE_RECORD_TYPES:
        return Recognition.CERTAIN
    if isinstance(record.get("sessionId"), str) or has_message:
        return Recognition.LIKELY
    return Recognition.NO


def events_of_record(record: dict, pos: Position, state: dict, stem: str) -> list[Event]:
    record_type = record_type_of(record)
    if record_type == "summary" and string(record.get("summary")):
        state["title"] = record["summary"]
    if record_type in TITLE_FIELDS and string(record.get(TITLE_FIELDS[record_type])):
        state["title"] = record[TITLE_FIELDS[record_type]]
    session = session_context(record, state, stem)
    ts = safe_timestamp(record.get("timestamp"))
    if record_type == "assistant":
        return assistant_events(record, session, pos, ts)
    if record_type == "user":
        return user_events(record, session, pos, ts)
    if record_type == "system":
        return [system_message(record, session, pos, ts)]
    if record_type == "summary":
        return [note(record, session, pos, ts, "summary", string(record.get("summary")), "summary")]
    if record_type == "progress":
        return [
            bookkeeping_message(record, record_type, session, pos, ts),
            *embedded_subagent_usage(record, session, pos),
        ]
    if record_type in BOOKKEEPING_TYPES or record_type in TITLE_FIELDS:
        return [bookkeeping_message(record, record_type, session, pos, ts)]
    return [note(record, session, pos, ts, "other", None, str(record_type))]


def record_type_of(record: dict) -> str:
    """The record's type; minimal usage-only lines without ``type`` are typed by their role."""
    record_type = record.get("type")
    if isinstance(record_type, str):
        return record_type
    role = mapping(record.get("message")).get("role")
    return role if role in ("user", "assistant") else "unknown"


def session_context(record: dict, state: dict, stem: str) -> SessionContext:
    session_id = string(record.get("sessionId"))
    if session_id:
        state["session_id"] = session_id
    else:
        session_id = state.get("session_id") or stem
    is_sidechain = record.get("isSidechain") is True
    return SessionContext(
        agent="claude",
        session_id=session_id,
        project=string(record.get("cwd")),
        git_branch=string(record.get("gitBranch")),
        subagent_id=string(record.get("agentId")) or legacy_agent_id(stem, is_sidechain),
        is_sidechain=is_sidechain,
        title=state.get("title"),
    )


def legacy_agent_id(stem: str, is_sidechain: bool) -> str | None:
    """Old sub-agent files (``agent-<id>.jsonl``) name the agent only in the file name."""
    if is_sidechain and stem.startswith("agent-"):
        return stem.removeprefix("agent-")
    return None


# --- assistant ---------------------------------------------------------------------------


def assistant_events(record: dict, session: SessionContext, pos: Position, ts) -> list[Event]:
    message = mapping(record.get("message"))
    model = string(message.get("model"))
    uuid = string(record.get("uuid"))
    parent_uuid = string(record.get("parentUuid"))
    events: list[Event] = []
    content = message.get("content")
    if isinstance(content, str):
        content = [{"type": "text", "text": content}]
    for block in as_list(content):
        if isinstance(block, dict):
            events.append(assistant_block_event(block, session, pos, ts, model, uuid, parent_uuid))
    usage = usage_of(record, message, session, pos, ts)
    if usage is not None:
        events.append(usage)
    if not events:
        events.append(note(record, session, pos, ts, "meta", None, "assistant", role="assistant"))
    return events


def assistant_block_event(block: dict, session: SessionContext, pos: Position, ts, model, uuid, parent_uuid) -> Event:
    block_type = block.get("type")
    if block_type in ("tool_use", "server_tool_use"):
        return tool_call(block, session, pos, ts, uuid)
    if isinstance(block_type, str) and block_type.endswith("_tool_result"):
        return tool_result(block, None, session, pos, ts)
    if block_type == "text":
        kind, text = "text", string(block.get("text"))
    elif block_type == "thinking":
        kind, text = "thinking", string(block.get("thinking"))
    elif block_type == "redacted_thinking":
        kind, text = "thinking", None
    else:
        kind, text = "other", None
    return Message(
        ctx=session,
        pos=pos,
        ts=ts,
        role="assistant",
        kind=kind,
        text=text,
        record_type="assistant" if kind != "other" else f"assistant/{block_type}",
        model=model,
        uuid=uuid,
        parent_uuid=parent_uuid,
    )


def tool_call(block: dict, session: SessionContext, pos: Position, ts, uuid) -> ToolCall:
    name = string(block.get("name")) or "unknown"
    tool_input = block.get("input")
    fields = mapping(tool_input)
    call = ToolCall(
        ctx=session,
        pos=pos,
        ts=ts,
        call_id=string(block.get("id")) or f"line-{pos.line_no}",
        name=name,
        input_json=to_json(tool_input) if tool_input is not None else None,
        message_uuid=uuid,
    )
    if name == "Bash":
        call.command = string(fields.get("command"))
    elif name == "Edit":
        call.file_path = string(fields.get("file_path"))
        call.old_text = string(fields.get("old_string"))
        call.new_text = string(fields.get("new_string"))
    elif name == "MultiEdit":
        edits = [mapping(edit) for edit in as_list(fields.get("edits"))]
        call.file_path = string(fields.get("file_path"))
        call.old_text = "\n".join(str(edit.get("old_string", "")) for edit in edits) or None
        call.new_text = "\n".join(str(edit.get("new_string", "")) for edit in edits) or None
    elif name == "Write":
        call.file_path = string(fields.get("file_path"))
        call.new_text = string(fields.get("content"))
    elif name == "NotebookEdit":
        call.file_path = string(fields.get("notebook_path")) or string(fields.get("file_path"))
        call.new_text = string(fields.get("new_source"))
    return call


def usage_of(record: dict, message: dict, session: SessionContext, pos: Position, ts) -> Usage | None:
    usage = message.get("usage")
    if not isinstance(usage, dict):
        return None
    model = string(message.get("model"))
    if model == SYNTHETIC_MODEL or record.get("isApiErrorMessage") is True or record.get("error"):
        return None
    cache_5m, cache_1h = cache_writes(usage)
    return Usage(
        ctx=session,
        pos=pos,
        ts=ts,
        model=model,
        input_tokens=number(usage.get("input_tokens")),
        output_tokens=number(usage.get("output_tokens")),
        cache_read_tokens=number(usage.get("cache_read_input_tokens")),
        cache_write_5m_tokens=cache_5m,
        cache_write_1h_tokens=cache_1h,
        dedup_key=dedup_key(message, record),
        message_uuid=string(record.get("uuid")),
        speed=string(usage.get("speed")),
    )


def embedded_subagent_usage(record: dict, session: SessionContext, pos: Position) -> list[Usage]:
    """Usage of a sub-agent response embedded in an ``agent_progress`` record (see module doc)."""
    data = mapping(record.get("data"))
    embedded = mapping(data.get("message"))
    if embedded.get("type") != "assistant":
        return []
    sub_session = SessionContext(
        agent=session.agent,
        session_id=session.session_id,
        project=session.project,
        git_branch=session.git_branch,
        subagent_id=string(data.get("agentId")),
        is_sidechain=True,
        title=session.title,
    )
    usage = usage_of(
        embedded,
        mapping(embedded.get("message")),
        sub_session,
        Position(pos.line_no, pos.byte_offset, pos.seq + 1),
        safe_timestamp(embedded.get("timestamp")) or safe_timestamp(record.get("timestamp")),
    )
    return [usage] if usage is not None else []


def cache_writes(usage: dict) -> tuple[int, int]:
    """(5-minute, 1-hour) cache write tokens; whatever the split leaves out counts as 5-minute."""
    total = number(usage.get("cache_creation_input_tokens"))
    split = usage.get("cache_creation")
    if not isinstance(split, dict):
        return total, 0
    five_minutes = number(split.get("ephemeral_5m_input_tokens"))
    one_hour = number(split.get("ephemeral_1h_input_tokens"))
    if "cache_creation_input_tokens" in usage and five_minutes + one_hour != total:
        five_minutes = max(total - one_hour, 0)
    return five_minutes, one_hour


def dedup_key(message: dict, record: dict) -> str | None:
    message_id = string(message.get("id"))
    request_id = string(record.get("requestId"))
    if message_id and request_id:
        return f"{message_id}:{request_id}"
    return message_id


# --- user --------------------------------------------------------------------------------


def user_events(record: dict, session: SessionContext, pos: Position, ts) -> list[Event]:
    message = mapping(record.get("message"))
    content = message.get("content")
    kind = user_text_kind(record)
    if isinstance(content, str) or content is None:
        return [user_message(record, session, pos, ts, kind, string(content), "user")]
    tool_use_result = record.get("toolUseResult")
    events: list[Event] = []
    for block in as_list(content):
        if not isinstance(block, dict):
            continue
        block_type = block.get("type")
        if block_type == "tool_result":
            events.append(tool_result(block, tool_use_result, session, pos, ts))
        elif block_type == "text":
            events.append(user_message(record, session, pos, ts, kind, string(block.get("text")), "user"))
        elif block_type in ("image", "document"):
            events.append(user_message(record, session, pos, ts, "meta", None, f"user/{block_type}"))
        else:
            events.append(user_message(record, session, pos, ts, "other", None, f"user/{block_type}"))
    if not events:
        events.append(user_message(record, session, pos, ts, kind, None, "user"))
    return events


def user_text_kind(record: dict) -> str:
    if record.get("isCompactSummary") is True:
        return "summary"
    if record.get("isMeta") is True:
        return "meta"
    return "text"


def user_message(record: dict, session, pos, ts, kind: str, text, record_type: str) -> Message:
    return Message(
        ctx=session,
        pos=pos,
        ts=ts,
        role="user",
        kind=kind,
        text=text,
        record_type=record_type,
        uuid=string(record.get("uuid")),
        parent_uuid=string(record.get("parentUuid")),
    )


def tool_result(block: dict, tool_use_result: Any, session: SessionContext, pos: Position, ts) -> ToolResult:
    text = joined_text(block.get("content"))
    details = mapping(tool_use_result)
    exit_code = exit_code_in_text(text)
    if exit_code is None:
        exit_code = exit_code_of(details)
    is_error = block.get("is_error") is True or exit_code not in (None, 0)
    return ToolResult(
        ctx=session,
        pos=pos,
        ts=ts,
        call_id=string(block.get("tool_use_id")) or f"line-{pos.line_no}",
        text=text,
        is_error=is_error,
        exit_code=exit_code,
        duration_s=duration_of(details),
    )


def exit_code_of(details: dict) -> int | None:
    for source in (details, mapping(details.get("task"))):
        for field in ("exit_code", "exitCode"):
            code = optional_int(source.get(field))
            if code is not None:
                return code
    return None


def duration_of(details: dict) -> float | None:
    for field in ("durationMs", "totalDurationMs", "duration_ms"):
        millis = optional_float(details.get(field))
        if millis is not None:
            return millis / 1000
    for field in ("durationSeconds", "duration_seconds"):
        seconds = optional_float(details.get(field))
        if seconds is not None:
            return seconds
    return None


# --- everything else ---------------------------------------------------------------------


def system_message(record: dict, session: SessionContext, pos: Position, ts) -> Message:
    subtype = string(record.get("subtype"))
    text = string(record.get("content")) or subtype
    return note(record, session, pos, ts, "system", text, f"system/{subtype}" if subtype else "system", role="system")


def bookkeeping_message(record: dict, record_type: str, session, pos, ts) -> Message:
    """Records without conversation text: keep a short label, e.g. the progress kind."""
    if record_type == "progress":
        data = mapping(record.get("data"))
        data_type = string(data.get("type"))
        return note(
            record, session, pos, ts, "meta", None, f"progress/{data_type}" if data_type else "progress", role="system"
        )
    if record_type == "queue-operation":
        return note(record, session, pos, ts, "meta", string(record.get("operation")), record_type, role="system")
    if record_type in TITLE_FIELDS:
        return note(
            record, session, pos, ts, "meta", string(record.get(TITLE_FIELDS[record_type])), record_type, role="system"
        )
    return note(record, session, pos, ts, "meta", None, record_type, role="system")


def note(record: dict, session, pos, ts, kind: str, text, record_type: str, role: str = "system") -> Message:
    return Message(
        ctx=session,
        pos=pos,
        ts=ts,
        role=role,
        kind=kind,
        text=text,
        record_type=record_type,
        uuid=string(record.get("uuid")),
        parent_uuid=string(record.get("parentUuid")),
    )


READER = ClaudeCodeReader()
