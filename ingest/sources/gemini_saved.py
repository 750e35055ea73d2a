"""Two older Gemini CLI files that are not chat recordings, read by the Gemini reader.

Both live in ``~/.gemini/tmp/<project hash>/`` and are bare JSON arrays (the shapes of
``Logger`` in Gemini CLI's ``packages/core/src/core/logger.ts``):

* **``/chat save`` checkpoint** (``checkpoint-<tag>.json``, ``saveCheckpoint``): the API
  history, ``Content[]`` = ``[{role: "user"|"model", parts: [...]}, ...]``. Parts are
  ``text`` (``thought: true`` marks a thought summary), ``functionCall`` {name, args, id?},
  ``functionResponse`` {name, id?, response: {output} | {error}}, ``inlineData``
  {mimeType, data (base64)}, ``fileData``. Nothing records time, model or tokens, so every
  ``ts`` is None (NULL) and model is None. Like the chat reader does for a response without
  token counts, each model turn gets an ``estimated`` usage (tiktoken, its own text and
  calls as output, the text it answered as input); it carries no time, so per-day views
  leave it out. The session id is ``<project hash>:checkpoint-<tag>``, stable across
  re-saves of the same tag; the tag comes from the file name, the hash from the folder
  (or from a 64-hex-digit run in the path when the file was copied out of its folder).
  Base64 ``inlineData`` is never stored as text: a placeholder names its type and size.
  A response is paired with its call by ``id`` when both carry one, else with the oldest
  unanswered call of the same name (the order the API requires).
* **prompt log** (``logs.json``, ``logMessage``): ``[{sessionId, messageId, type: "user",
  message, timestamp}]``, every prompt typed in that project, across sessions, no model
  output. Sessions that also have a chat recording (``chats/session-*.json[l]`` beside
  ``logs.json`` naming the same ``sessionId``) already hold those prompts as their own user
  messages, so the log contributes only sessions no chat file has; the prompts it leaves
  to a chat file are counted in one problem line per session, so every entry is accounted
  for. A log read before its chat file exists is read again whenever it changes (the
  format is whole-document), which happens with the next prompt.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from ingest.events import Event, Message, Position, Problem, SessionContext, ToolCall, ToolResult, Usage
from ingest.sources.text import mapping, string, to_json
from ingest.tokens import estimate_tokens

_CHECKPOINT_HEAD = re.compile(rb'^\[\s*\{\s*"(role|parts)"\s*:')
_LOG_HEAD = re.compile(rb'^\[\s*\{\s*"(sessionId|messageId|type|message|timestamp)"\s*:')
_CHECKPOINT_NAME = re.compile(r"checkpoint(?:-(.+))?\.json$")
_PROJECT_HASH = re.compile(r"[0-9a-f]{64}")
_SESSION_ID_VALUE = re.compile(rb'"sessionId"\s*:\s*"([^"]+)"')


def sniff_checkpoint(head: bytes) -> bool:
    """An array whose first element opens with ``role`` or ``parts`` naming user/model."""
    start = head.lstrip()
    return bool(_CHECKPOINT_HEAD.match(start)) and bool(re.search(rb'"role"\s*:\s*"(user|model)"', start[:4096]))


def sniff_prompt_log(head: bytes) -> bool:
    """An array whose first element is a prompt-log entry (``sessionId`` and ``messageId``)."""
    start = head.lstrip()
    probe = start[:2048]
    return bool(_LOG_HEAD.match(start)) and b'"sessionId"' in probe and b'"messageId"' in probe


def is_saved_file(head: bytes) -> bool:
    return sniff_checkpoint(head) or sniff_prompt_log(head)


def read_saved(path: str, text: str, document: list, positions) -> Iterator[Event]:
    """Events of a checkpoint or prompt log already parsed as ``document`` (a list)."""
    head = text[:4096].encode()
    starts = element_starts(text, len(document))
    if sniff_prompt_log(head):
        yield from read_prompt_log(path, document, starts, positions)
    else:
        yield from read_checkpoint(path, document, starts, positions)


def element_starts(text: str, count: int) -> list[int]:
    """Character index where each element of the top-level array starts (0 for all when unexpected)."""
    from ingest.sources.gemini import array_element_starts, skip_space

    try:
        index = skip_space(text, 0)
        starts = array_element_starts(text, index, json.JSONDecoder())
        if len(starts) == count:
            return starts
    except (json.JSONDecodeError, IndexError):
        pass
    return [0] * count


# ---------------------------------------------------------------- checkpoint


def checkpoint_session_id(path: str) -> str:
    file = Path(path)
    match = _CHECKPOINT_NAME.search(file.name)
    tag = (match.group(1) if match and match.group(1) else None) or (file.stem if not match else "")
    hashes = _PROJECT_HASH.findall(str(file))
    project = hashes[-1] if hashes else file.parent.name
    return f"{project}:checkpoint-{tag}" if tag else f"{project}:checkpoint"


def read_checkpoint(path: str, contents: list, starts: list[int], positions) -> Iterator[Event]:
    session_id = checkpoint_session_id(path)
    hashes = _PROJECT_HASH.findall(str(path))
    project = hashes[-1] if hashes else Path(path).parent.name
    session = SessionContext(agent="gemini", session_id=session_id, project=project, title=session_id.split(":", 1)[1])
    turns = CheckpointTurns(session)
    for index, (content, start) in enumerate(zip(contents, starts)):
        pos = positions.at(start)
        try:
            if not isinstance(content, dict):
                raise TypeError(f"entry is a {type(content).__name__}, not a Content object")
            events = turns.events_of(index, content)
        except Exception as error:  # an unforeseen shape must not cost the rest of the file
            events = [
                Problem(
                    pos, f"could not interpret checkpoint entry {index}: {error!r}", to_json(content).encode()[:4096]
                )
            ]
        for seq, event in enumerate(events):
            event.pos = Position(pos.line_no, pos.byte_offset, seq)
            yield event


class CheckpointTurns:
    """Content objects -> events, remembering unanswered calls and the text the next model turn answers."""

    def __init__(self, session: SessionContext):
        self.session = session
        self.pending: list[ToolCall] = []
        self.unanswered_text: list[str] = []

    def events_of(self, index: int, content: dict) -> list[Event]:
        role = content.get("role")
        parts = content.get("parts")
        if not isinstance(parts, list):
            return [
                Problem(Position(0, 0), f"checkpoint entry {index} has no parts list", to_json(content).encode()[:4096])
            ]
        if role == "model":
            return self.model_turn(index, parts)
        if role == "user":
            return self.user_turn(index, parts)
        return [self.message(index, "system", "other", to_json(content)[:4096], f"checkpoint/{role}")]

    def message(self, index, role, kind, text, record_type) -> Message:
        return Message(
            ctx=self.session,
            pos=Position(0, 0),
            ts=None,
            role=role,
            kind=kind,
            text=text,
            record_type=record_type,
            uuid=f"{self.session.session_id}:{index}",
        )

    def user_turn(self, index: int, parts: list) -> list[Event]:
        events: list[Event] = []
        texts: list[str] = []
        for part_index, part in enumerate(parts):
            part = mapping(part)
            if "functionResponse" in part:
                result = self.tool_result(index, part_index, mapping(part["functionResponse"]))
                events.append(result)
                if result.text:
                    self.unanswered_text.append(result.text)
            else:
                piece = part_text(part)
                if piece is not None:
                    texts.append(piece)
        if texts:
            text = "\n".join(texts)
            self.unanswered_text.append(text)
            events.insert(0, self.message(index, "user", "text", text, "checkpoint/user"))
        return events or [self.message(index, "user", "text", None, "checkpoint/user")]

    def model_turn(self, index: int, parts: list) -> list[Event]:
        events: list[Event] = []
        texts: list[str] = []
        thoughts: list[str] = []
        calls: list[ToolCall] = []
        for part_index, part in enumerate(parts):
            part = mapping(part)
            if "functionCall" in part:
                calls.append(self.tool_call(index, part_index, mapping(part["functionCall"])))
            elif part.get("thought") is True and isinstance(part.get("text"), str):
                thoughts.append(part["text"])
            else:
                piece = part_text(part)
                if piece is not None:
                    texts.append(piece)
        for thought in thoughts:
            events.append(self.message(index, "assistant", "thinking", thought, "checkpoint/model/thought"))
        text = "".join(texts) or None
        if text:
            events.append(self.message(index, "assistant", "text", text, "checkpoint/model"))
        events.extend(calls)
        self.pending.extend(calls)
        usage = Usage(
            ctx=self.session,
            pos=Position(0, 0),
            ts=None,
            model=None,
            message_uuid=f"{self.session.session_id}:{index}",
            dedup_key=f"{self.session.session_id}:{index}",
            reasoning_in_output=False,
        )
        usage.input_tokens = estimate_tokens("\n".join(self.unanswered_text))
        usage.output_tokens = estimate_tokens("\n".join([text or ""] + [call.input_json or "" for call in calls]))
        usage.reasoning_tokens = estimate_tokens("\n".join(thoughts))
        usage.estimated = True
        events.append(usage)
        self.unanswered_text = []
        return events

    def tool_call(self, index: int, part_index: int, call: dict) -> ToolCall:
        from ingest.sources.gemini import REPLACE_TOOLS, SHELL_TOOLS, WRITE_TOOLS

        name = string(call.get("name")) or "unknown"
        args = mapping(call.get("args"))
        tool_call = ToolCall(
            ctx=self.session,
            pos=Position(0, 0),
            ts=None,
            call_id=string(call.get("id")) or f"{self.session.session_id}:{index}:{part_index}",
            name=name,
            input_json=to_json(call.get("args")),
            message_uuid=f"{self.session.session_id}:{index}",
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

    def matching_call(self, response: dict) -> ToolCall | None:
        wanted_id, name = string(response.get("id")), string(response.get("name"))
        for candidates in (
            [c for c in self.pending if wanted_id and c.call_id == wanted_id],
            [c for c in self.pending if c.name == name],
        ):
            if candidates:
                self.pending.remove(candidates[0])
                return candidates[0]
        return None

    def tool_result(self, index: int, part_index: int, response: dict) -> ToolResult:
        from ingest.sources.gemini import SHELL_TOOLS, shell_exit_code

        call = self.matching_call(response)
        body = mapping(response.get("response"))
        value = body.get("output", body.get("error"))
        text = value if isinstance(value, str) else to_json(value if value is not None else body)
        name = call.name if call else string(response.get("name"))
        return ToolResult(
            ctx=self.session,
            pos=Position(0, 0),
            ts=None,
            call_id=call.call_id
            if call
            else (string(response.get("id")) or f"{self.session.session_id}:{index}:{part_index}"),
            text=text,
            is_error="error" in body,
            exit_code=shell_exit_code(text) if name in SHELL_TOOLS else None,
        )


def part_text(part: dict) -> str | None:
    """Text of a non-call part; binary parts become a placeholder naming type and size."""
    if isinstance(part.get("text"), str):
        return part["text"]
    if "inlineData" in part:
        blob = mapping(part["inlineData"])
        data = blob.get("data")
        size = len(data) * 3 // 4 - data[-2:].count("=") if isinstance(data, str) else 0
        return f"[inline data: {string(blob.get('mimeType')) or 'unknown type'}, {human_size(size)}]"
    if "fileData" in part:
        blob = mapping(part["fileData"])
        return (
            f"[file data: {string(blob.get('mimeType')) or 'unknown type'}, {string(blob.get('fileUri')) or 'no uri'}]"
        )
    if part:
        return f"[{', '.join(sorted(part))} part]"
    return None


def human_size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1_000:
        return f"{size / 1_000:.1f} KB"
    return f"{size} B"


# ---------------------------------------------------------------- prompt log


def chat_sessions_beside(path: str) -> dict[str, str]:
    """sessionId -> chat file name for every chat recording in ``chats/`` beside the log."""
    found: dict[str, str] = {}
    chats = Path(path).parent / "chats"
    if not chats.is_dir():
        return found
    for chat in sorted(chats.rglob("session-*.json*")):
        try:
            with open(chat, "rb") as handle:
                head = handle.read(4096)
        except OSError:
            continue
        match = _SESSION_ID_VALUE.search(head)
        if match:
            found.setdefault(match.group(1).decode("utf-8", "replace"), chat.name)
    return found


def read_prompt_log(path: str, entries: list, starts: list[int], positions) -> Iterator[Event]:
    from ingest.sources.gemini import parse_timestamp

    hashes = _PROJECT_HASH.findall(str(path))
    project = hashes[-1] if hashes else Path(path).parent.name
    held = chat_sessions_beside(path)
    left_to_chat: dict[str, list[Position]] = {}
    for index, (entry, start) in enumerate(zip(entries, starts)):
        pos = positions.at(start)
        if not isinstance(entry, dict) or not isinstance(entry.get("sessionId"), str) or not entry["sessionId"]:
            yield Problem(pos, f"prompt log entry {index} has no sessionId", to_json(entry).encode()[:4096])
            continue
        session_id = entry["sessionId"]
        if session_id in held:
            left_to_chat.setdefault(session_id, []).append(pos)
            continue
        message = entry.get("message")
        message_id = entry.get("messageId")
        yield Message(
            ctx=SessionContext(agent="gemini", session_id=session_id, project=project),
            pos=pos,
            ts=parse_timestamp(entry.get("timestamp")),
            role="user",
            kind="text",
            text=message if isinstance(message, str) else to_json(message),
            record_type=f"logs/{entry.get('type')}" if isinstance(entry.get("type"), str) else "logs/unknown",
            uuid=f"{session_id}:log:{message_id}",
        )
    for session_id, held_positions in left_to_chat.items():
        yield Problem(
            held_positions[0],
            f"{len(held_positions)} prompt log entries of session {session_id} "
            f"are held by chats/{held[session_id]}: not stored twice",
        )
