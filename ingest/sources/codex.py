"""Reader for Codex CLI rollouts (``$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl``).

Every line is ``{"timestamp", "type", "payload"}`` with ``type`` one of ``session_meta``
(session id, cwd, git), ``turn_context`` (model of the coming turn), ``response_item``
(what the model saw and said: messages, reasoning, tool calls and their outputs),
``event_msg`` (UI events: token counts, task start/end, copies of messages) and
``compacted`` (a context compaction with its replacement history). The reader keeps what
later lines depend on in ``ctx.state``: session id, cwd, git, current model and the
previous running token total.

Tool calls changed across versions and all are read: 0.4x ``shell`` with an argv array
and outputs as a JSON string ``{"output", "metadata": {"exit_code", "duration_seconds"}}``;
0.10x+ ``exec_command``/``write_stdin`` with plain-text outputs that state
"Process exited with code N" and "Wall time: X seconds"; ``apply_patch`` as a custom tool
call with the patch as input; MCP tools as ``mcp__server__tool`` function calls;
``web_search_call`` with no separate output.

Token usage agrees with ``ccusage codex`` 20.0.24 per (date, model) on real rollouts:

* ``event_msg``/``token_count`` rows carry ``info.last_token_usage`` (the last response)
  and ``info.total_token_usage`` (running total of the session). A row counts the increase
  of the total over the file's previous total, so a row repeating the total (Codex writes
  each count twice) counts nothing, and a response whose own row is missing is still
  counted by the next total. Only when the total is missing or drops (a reset) does the row
  count ``last_token_usage``. ccusage counts ``last_token_usage`` first: on real rollouts,
  where every new total is the previous one plus the last response, the two agree. A row
  counting all zeros is dropped; ``info: null`` rows and rows without a timestamp are
  ignored.
* ``cached_input_tokens`` is part of ``input_tokens`` (capped at it), so the Usage has
  ``input_tokens = input - cached`` and ``cache_read_tokens = cached``; reasoning tokens are
  already inside ``output_tokens``.
* model: the token_count payload's own model, else the current model (set by
  ``turn_context`` and by models named on earlier counted rows), else ``gpt-5`` as
  ccusage assumes; the placeholder model ``codex-auto-review`` maps to the newest model
  released on or before the row's date.
* sub-agent rollouts (``thread_spawn`` in the first 16 KiB) start by replaying the parent's
  token counts within one second; when their first two counted rows share a second, the
  rows of that second are skipped (the parent's file already holds them).
* ccusage counts identical events (same timestamp, model and token numbers) once across
  all files, which removes history copied into forked rollouts. ``dedup_key`` carries that
  identity so the store does the same.

One difference: ccusage decides a sub-agent replay by re-reading the file from the start;
here it is decided when the file is first read, so a sub-agent file caught with only one
replayed row written may count that row.

Messages: ``event_msg`` ``user_message``/``agent_message`` repeat the ``response_item``
messages and are kept as ``meta`` without text. Text Codex injects into the user role
(environment context, AGENTS.md instructions) is ``meta`` too, so user text is what a
person typed. Rollouts from before ``session_meta`` existed (mid-2025: a header object,
then bare response items) are read as well.
"""

from __future__ import annotations

import json
import re
import shlex
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
from ingest.sanity import BadCount, check_count
from ingest.sources import bounded_json
from ingest.sources.base import Recognition, iter_complete_lines, iter_json_lines
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
    wall_time_in_text,
)

RECORD_TYPES = frozenset({"session_meta", "response_item", "event_msg", "turn_context", "compacted"})
RESPONSE_ITEM_TYPES = frozenset(
    {
        "message",
        "reasoning",
        "function_call",
        "function_call_output",
        "custom_tool_call",
        "custom_tool_call_output",
        "local_shell_call",
        "web_search_call",
        "ghost_snapshot",
    }
)
TOKEN_FIELDS = ("input_tokens", "cached_input_tokens", "output_tokens", "reasoning_output_tokens", "total_tokens")
FALLBACK_MODEL = "gpt-5"
AUTO_REVIEW_MODEL = "codex-auto-review"
AUTO_REVIEW_MODELS_BY_RELEASE = (  # newest first: (released on, model)
    ("2026-04-23", "gpt-5.5"),
    ("2026-03-05", "gpt-5.4"),
    ("2026-02-05", "gpt-5.3-codex"),
    ("2025-12-11", "gpt-5.2-codex"),
    ("2025-11-13", "gpt-5.1-codex"),
    ("2025-09-15", "gpt-5-codex"),
    ("2025-08-07", "gpt-5"),
)
TEXT_PARTS = ("input_text", "output_text", "text")
SUBAGENT_MARKER = b"thread_spawn"
SUBAGENT_MARKER_WINDOW = 16 * 1024
SHELLS = frozenset({"bash", "zsh", "sh", "dash", "fish", "pwsh", "powershell"})
INJECTED_USER_TEXT = (
    "<environment_context>",
    "<user_instructions>",
    "# AGENTS.md instructions",
    "<user_shell_command>",
    "<turn_aborted>",
)

_ROLLOUT_UUID = re.compile(r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", re.IGNORECASE)
_PATCH_FILE = re.compile(r"^\*\*\* (?:Update|Add|Delete) File: (.+?)\s*$", re.MULTILINE)
_LONG_FIRST_LINE = re.compile(
    rb'\A\s*\{"timestamp":"[^"]*","type":"(session_meta|response_item|event_msg|turn_context|compacted)"'
)


class CodexReader:
    agent = "codex"
    provider = "openai"
    suffixes = (".jsonl",)
    parser_version = 3  # 3: usage rows say when their model is assumed
    incremental = True

    def default_locations(self, home: Path, environ: Mapping[str, str]) -> list[Path]:
        codex_home = Path(environ["CODEX_HOME"]).expanduser() if environ.get("CODEX_HOME") else home / ".codex"
        return [codex_home / "sessions", codex_home / "archived_sessions"]

    def sniff(self, path: Path, head: bytes) -> Recognition:
        objects, first_line_incomplete = head_objects(head)
        if objects:
            if looks_like_rollout(objects[0]):
                return Recognition.CERTAIN
            # one odd first record must not hide the file: then every later record decides
            if len(objects) > 1 and all(looks_like_rollout(o) for o in objects[1:]):
                return Recognition.LIKELY
            return Recognition.NO
        if first_line_incomplete and _LONG_FIRST_LINE.match(head[:4096]):
            return Recognition.LIKELY
        return Recognition.NO

    def read(self, ctx: ReadContext) -> Iterator[Event]:
        state = ctx.state
        if "replay_second" not in state:
            state["replay_second"] = subagent_replay_second(ctx.path)
            state["skipping_replay"] = state["replay_second"] is not None
        for item in iter_json_lines(ctx):
            if isinstance(item, Problem):
                yield item
                continue
            pos, record = item
            try:
                events = events_of_record(record, pos, state, ctx.path)
            except BadCount as error:  # before the running totals take it in
                yield Problem(pos, str(error), to_json(record).encode())
                continue
            except Exception as error:  # a record shape nobody foresaw must not stop the file
                yield Problem(pos, f"could not interpret record: {error!r}", to_json(record).encode())
                continue
            yield from numbered(events, pos)


def looks_like_rollout(record: dict) -> bool:
    if string(record.get("type")) in RECORD_TYPES and "payload" in record:
        return True
    return is_legacy_header(record)


def is_legacy_header(record: dict) -> bool:
    """The first line of a rollout from before ``session_meta``: id, timestamp, instructions."""
    return (
        "type" not in record
        and isinstance(record.get("id"), str)
        and "timestamp" in record
        and ("instructions" in record or "git" in record)
        and "sessionId" not in record
    )


def events_of_record(record: dict, pos: Position, state: dict, path: str) -> list[Event]:
    record_type = string(record.get("type"))  # a list or an object names no record kind
    payload = record.get("payload")
    if record_type not in RECORD_TYPES and payload is None:
        record_type, payload = legacy_shape(record)
    payload = mapping(payload)
    ts = safe_timestamp(record.get("timestamp"))
    if record_type == "session_meta":
        remember_session(payload, state)
        return [meta(session_context(state, path), pos, ts, "session_meta", "system")]
    if record_type == "turn_context":
        remember_turn(payload, state)
        return [meta(session_context(state, path), pos, ts, "turn_context", "system")]
    session = session_context(state, path)
    if record_type == "response_item":
        return response_item_events(payload, session, pos, ts, state)
    if record_type == "event_msg":
        return event_msg_events(record, payload, session, pos, ts, state)
    if record_type == "legacy_state":
        return [meta(session, pos, ts, "state", "system")]
    if record_type == "compacted":
        text = string(payload.get("message"))
        return [Message(ctx=session, pos=pos, ts=ts, role="system", kind="summary", text=text, record_type="compacted")]
    return [Message(ctx=session, pos=pos, ts=ts, role="system", kind="other", text=None, record_type=str(record_type))]


def legacy_shape(record: dict) -> tuple[str, Any]:
    """Map a pre-``session_meta`` line onto the current shape: header, state or bare item."""
    if is_legacy_header(record):
        return "session_meta", record
    if record.get("record_type") == "state":
        return "legacy_state", None
    if string(record.get("type")) in RESPONSE_ITEM_TYPES:
        return "response_item", record
    return str(record.get("type") or record.get("record_type") or "unknown"), None


# --- session state -----------------------------------------------------------------------


def remember_session(payload: dict, state: dict) -> None:
    """The first ``session_meta`` describes this file; later ones are copied parent history."""
    if state.get("session_meta_seen"):
        return
    state["session_meta_seen"] = True
    if string(payload.get("id")):
        state["session_id"] = payload["id"]
    if string(payload.get("cwd")):
        state["cwd"] = payload["cwd"]
    git = mapping(payload.get("git"))
    state["git_branch"] = string(git.get("branch"))
    state["git_commit"] = string(git.get("commit_hash"))
    state["git_repo"] = string(git.get("repository_url"))
    spawn = mapping(mapping(mapping(payload.get("source")).get("subagent")).get("thread_spawn"))
    state["parent_session_id"] = (
        string(payload.get("parent_thread_id"))
        or string(spawn.get("parent_thread_id"))
        or string(payload.get("forked_from_id"))
    )
    state["is_subagent"] = bool(spawn) or bool(string(payload.get("parent_thread_id")))


def remember_turn(payload: dict, state: dict) -> None:
    model = model_named_in(payload)
    if model:
        state["model"] = model
        state["model_assumed"] = False
    if string(payload.get("cwd")) and not state.get("cwd"):
        state["cwd"] = payload["cwd"]


def session_context(state: dict, path: str) -> SessionContext:
    session_id = state.get("session_id") or session_id_from_path(path)
    is_subagent = bool(state.get("is_subagent"))
    return SessionContext(
        agent="codex",
        session_id=session_id,
        project=state.get("cwd"),
        git_branch=state.get("git_branch"),
        git_repo=state.get("git_repo"),
        git_commit=state.get("git_commit"),
        parent_session_id=state.get("parent_session_id"),
        subagent_id=session_id if is_subagent else None,
        is_sidechain=is_subagent,
    )


def session_id_from_path(path: str) -> str:
    """``rollout-<timestamp>-<uuid>.jsonl`` names its session; other names stand for themselves."""
    stem = Path(path).stem
    match = _ROLLOUT_UUID.search(stem)
    return match.group(1) if match else stem


def model_named_in(fields: dict) -> str | None:
    candidates = (fields.get("model"), fields.get("model_name"), mapping(fields.get("metadata")).get("model"))
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()
    return None


# --- response items ----------------------------------------------------------------------


def response_item_events(payload: dict, session: SessionContext, pos: Position, ts, state: dict) -> list[Event]:
    item_type = payload.get("type")
    record_type = f"response_item/{item_type}"
    model = state.get("model")
    if item_type == "message":
        return [response_message(payload, session, pos, ts, model, record_type)]
    if item_type == "reasoning":
        text = joined_text(payload.get("summary"), ("summary_text",)) or joined_text(
            payload.get("content"), ("reasoning_text", "text")
        )
        return [
            Message(
                ctx=session,
                pos=pos,
                ts=ts,
                role="assistant",
                kind="thinking",
                text=text,
                record_type=record_type,
                model=model,
            )
        ]
    if item_type in ("function_call", "custom_tool_call", "local_shell_call", "web_search_call"):
        return [tool_call(payload, session, pos, ts)]
    if item_type in ("function_call_output", "custom_tool_call_output"):
        return [tool_result(payload, session, pos, ts)]
    if item_type == "ghost_snapshot":
        return [meta(session, pos, ts, record_type, "system")]
    return [Message(ctx=session, pos=pos, ts=ts, role="system", kind="other", text=None, record_type=record_type)]


def response_message(payload: dict, session, pos, ts, model, record_type: str) -> Message:
    role = payload.get("role")
    text = joined_text(payload.get("content"), TEXT_PARTS)
    if role == "assistant":
        return Message(
            ctx=session, pos=pos, ts=ts, role="assistant", kind="text", text=text, record_type=record_type, model=model
        )
    if role == "user":
        kind = "meta" if text and text.lstrip().startswith(INJECTED_USER_TEXT) else "text"
        return Message(ctx=session, pos=pos, ts=ts, role="user", kind=kind, text=text, record_type=record_type)
    return Message(ctx=session, pos=pos, ts=ts, role="system", kind="text", text=text, record_type=record_type)


def tool_call(payload: dict, session: SessionContext, pos: Position, ts) -> ToolCall:
    item_type = payload.get("type")
    call_id = string(payload.get("call_id")) or string(payload.get("id")) or f"line-{pos.line_no}"
    if item_type == "web_search_call":
        return ToolCall(
            ctx=session, pos=pos, ts=ts, call_id=call_id, name="web_search", input_json=to_json(payload.get("action"))
        )
    if item_type == "local_shell_call":
        action = mapping(payload.get("action"))
        return ToolCall(
            ctx=session,
            pos=pos,
            ts=ts,
            call_id=call_id,
            name="local_shell",
            input_json=to_json(action),
            command=command_of_argv(action.get("command")),
        )
    name = string(payload.get("name")) or "unknown"
    if item_type == "custom_tool_call":
        raw_input = payload.get("input")
        call = ToolCall(ctx=session, pos=pos, ts=ts, call_id=call_id, name=name, input_json=to_json(raw_input))
        if name == "apply_patch" and isinstance(raw_input, str):
            attach_patch(call, raw_input)
        return call
    raw_arguments = payload.get("arguments")
    arguments = decoded_arguments(raw_arguments)
    call = ToolCall(
        ctx=session, pos=pos, ts=ts, call_id=call_id, name=name, input_json=arguments_json(raw_arguments, arguments)
    )
    fields = mapping(arguments)
    if name in ("shell", "container.exec", "shell_command", "local_shell"):
        call.command = command_of_argv(fields.get("command"))
        patch = patch_in_argv(fields.get("command"))
        if patch is not None:
            attach_patch(call, patch)
    elif name == "exec_command":
        call.command = command_of_argv(fields.get("cmd"))
    elif name == "apply_patch" and isinstance(fields.get("input"), str):
        attach_patch(call, fields["input"])
    return call


def decoded_arguments(raw: Any) -> Any:
    """Function arguments are a JSON string; a string that is not JSON stays a string."""
    if isinstance(raw, str):
        try:
            return bounded_json.loads(raw)
        except json.JSONDecodeError:
            return raw
    return raw


def arguments_json(raw: Any, decoded: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, str) and decoded is not raw:
        return raw
    return to_json(decoded)


def command_of_argv(command: Any) -> str | None:
    """A shell command line: the script of ``bash -lc <script>``, else the argv joined."""
    if isinstance(command, str):
        return command or None
    argv = [part for part in as_list(command) if isinstance(part, str)]
    if not argv or len(argv) != len(as_list(command)):
        return None
    if len(argv) == 3 and Path(argv[0]).name in SHELLS and argv[1] in ("-lc", "-c", "-Command"):
        return argv[2]
    return shlex.join(argv)


def patch_in_argv(argv: Any) -> str | None:
    """Early Codex applied patches by running ``["apply_patch", <patch>]`` through the shell tool."""
    if isinstance(argv, list) and len(argv) == 2 and argv[0] == "apply_patch" and isinstance(argv[1], str):
        return argv[1]
    return None


def attach_patch(call: ToolCall, patch: str) -> None:
    call.patch = patch
    match = _PATCH_FILE.search(patch)
    call.file_path = match.group(1) if match else None


def tool_result(payload: dict, session: SessionContext, pos: Position, ts) -> ToolResult:
    text, metadata = output_text_and_metadata(payload.get("output"))
    exit_code = optional_int(metadata.get("exit_code"))
    if exit_code is None:
        exit_code = exit_code_in_text(text)
    duration = optional_float(metadata.get("duration_seconds"))
    if duration is None:
        duration = wall_time_in_text(text)
    return ToolResult(
        ctx=session,
        pos=pos,
        ts=ts,
        call_id=string(payload.get("call_id")) or f"line-{pos.line_no}",
        text=text,
        is_error=is_failure(exit_code, text, payload.get("output")),
        exit_code=exit_code,
        duration_s=duration,
    )


def is_failure(exit_code: int | None, text: str | None, output: Any) -> bool:
    """A non-zero exit, a patch Codex refused to apply, or an output flagged unsuccessful."""
    if exit_code not in (None, 0):
        return True
    if text and text.startswith("apply_patch verification failed"):
        return True
    return mapping(output).get("success") is False


def output_text_and_metadata(output: Any) -> tuple[str | None, dict]:
    """Tool output is text, a JSON string ``{"output", "metadata"}``, or content parts."""
    if isinstance(output, str):
        decoded = decoded_arguments(output)
        if isinstance(decoded, dict) and "output" in decoded and isinstance(decoded.get("metadata"), dict):
            return string(decoded.get("output")) or "", decoded["metadata"]
        return output, {}
    if isinstance(output, list):
        return joined_text(output, TEXT_PARTS), {}
    if isinstance(output, dict):
        return joined_text(output.get("content"), TEXT_PARTS), mapping(output.get("metadata"))
    return None, {}


# --- event messages and token usage ------------------------------------------------------


def event_msg_events(
    record: dict, payload: dict, session: SessionContext, pos: Position, ts, state: dict
) -> list[Event]:
    event_type = payload.get("type")
    if event_type == "token_count":
        usage = token_usage(record, payload, session, pos, ts, state)
        return [usage] if usage else []
    roles: dict[object, str] = {"user_message": "user", "agent_message": "assistant", "agent_reasoning": "assistant"}
    role = roles.get(event_type, "system")
    return [meta(session, pos, ts, f"event_msg/{event_type}", role)]


def token_usage(record: dict, payload: dict, session: SessionContext, pos: Position, ts, state: dict) -> Usage | None:
    timestamp = record.get("timestamp")
    if timestamp is None or (isinstance(timestamp, str) and not timestamp.strip()):
        return None
    if payload.get("info") is not None and not isinstance(payload.get("info"), dict):
        raise BadCount(f"token_count info is a {type(payload['info']).__name__}, not an object")
    info = mapping(payload.get("info"))
    total = token_fields(info.get("total_token_usage"))
    last = token_fields(info.get("last_token_usage"))
    if is_replayed_parent_count(timestamp, total, state):
        return None
    counted = counted_tokens(total, last, state.get("previous_total"))
    if total is not None:
        state["previous_total"] = total
    if counted is None or not any(counted[field] for field in TOKEN_FIELDS[:4]):
        return None
    model = usage_model(model_named_in(payload) or model_named_in(info), state, timestamp)
    input_tokens = counted["input_tokens"]
    cached = min(counted["cached_input_tokens"], input_tokens)
    return Usage(
        ctx=session,
        pos=pos,
        ts=ts,
        model=model,
        model_assumed=bool(state.get("model_assumed")),
        input_tokens=input_tokens - cached,
        output_tokens=counted["output_tokens"],
        cache_read_tokens=cached,
        reasoning_tokens=counted["reasoning_output_tokens"],
        dedup_key=":".join(
            [
                "codex",
                str(timestamp).strip(),
                model,
                str(input_tokens),
                str(cached),
                str(counted["output_tokens"]),
                str(counted["reasoning_output_tokens"]),
                str(counted["total_tokens"]),
            ]
        ),
    )


def token_fields(value: Any) -> dict | None:
    if not isinstance(value, dict):
        return None
    return {field: check_count(field, number(value.get(field))) for field in TOKEN_FIELDS}


def counted_tokens(total: dict | None, last: dict | None, previous: dict | None) -> dict | None:
    """The tokens one token_count row adds (see the module docstring for the rules)."""
    if total is not None and (previous is None or all(total[f] >= previous[f] for f in TOKEN_FIELDS)):
        return {field: total[field] - (previous or {}).get(field, 0) for field in TOKEN_FIELDS}
    return last


def usage_model(named: str | None, state: dict, timestamp: Any) -> str:
    if named:
        state["model"] = named
        state["model_assumed"] = False
    model = state.get("model")
    if not model:
        # No turn_context or token_count named a model yet (early rollouts): priced as gpt-5, as
        # ccusage does, and flagged so the report says it is a guess (ccusage's isFallback).
        model = state["model"] = FALLBACK_MODEL
        state["model_assumed"] = True
    if model == AUTO_REVIEW_MODEL:
        return auto_review_model(str(timestamp))
    return model


def auto_review_model(timestamp: str) -> str:
    date = timestamp.strip()[:10]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return FALLBACK_MODEL
    for released_on, model in AUTO_REVIEW_MODELS_BY_RELEASE:
        if date >= released_on:
            return model
    return FALLBACK_MODEL


def is_replayed_parent_count(timestamp: Any, total: dict | None, state: dict) -> bool:
    """While a sub-agent file opens with the parent's replayed counts, skip them (keeping the total)."""
    if not state.get("skipping_replay"):
        return False
    if isinstance(timestamp, str) and timestamp.strip()[:19] == state.get("replay_second"):
        if total is not None:
            state["previous_total"] = total
        return True
    state["skipping_replay"] = False
    return False


def subagent_replay_second(path: str) -> str | None:
    """The second (``YYYY-MM-DDTHH:MM:SS``) in which a sub-agent file replays its parent's counts.

    Only files marked as spawned sub-agents are checked; the replay shows as the first two
    token counts carrying usage falling within the same second.
    """
    try:
        with open(path, "rb") as handle:
            if SUBAGENT_MARKER not in handle.read(SUBAGENT_MARKER_WINDOW):
                return None
    except OSError:
        return None
    seconds: list[str] = []
    scan = ReadContext(path=path)
    for _, raw in iter_complete_lines(scan):
        if b'"token_count"' not in raw:
            continue
        second = usage_row_second(raw)
        if second is None:
            continue
        seconds.append(second)
        if len(seconds) == 2:
            return seconds[0] if seconds[0] == seconds[1] else None
    return None


def usage_row_second(raw: bytes) -> str | None:
    try:
        record = bounded_json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(record, dict) or record.get("type") != "event_msg":
        return None
    payload = mapping(record.get("payload"))
    info = mapping(payload.get("info"))
    if payload.get("type") != "token_count" or not (
        isinstance(info.get("last_token_usage"), dict) or isinstance(info.get("total_token_usage"), dict)
    ):
        return None
    timestamp = record.get("timestamp")
    if not isinstance(timestamp, str) or len(timestamp.strip()) < 19:
        return None
    return timestamp.strip()[:19]


def meta(session: SessionContext, pos: Position, ts, record_type: str, role: str) -> Message:
    return Message(ctx=session, pos=pos, ts=ts, role=role, kind="meta", text=None, record_type=record_type)


READER = CodexReader()
