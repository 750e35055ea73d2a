"""The hook contracts the guard relies on, read from the agents' documentation (Dec 2026).

Only these documented fields are read or written; anything else in a hook's input is ignored,
and a missing field makes the guard allow the call (fail open).

Claude Code (``settings.json`` ``hooks``: event -> [{matcher, hooks: [{type: "command", command,
timeout}]}]; user ``~/.claude/settings.json``, project ``.claude/settings.json``):

* every hook's stdin JSON: ``session_id``, ``transcript_path``, ``cwd``, ``hook_event_name``;
* PreToolUse adds ``tool_name``, ``tool_input`` (Bash: ``command``, ``timeout`` in ms; Edit:
  ``file_path``, ``old_string``, ``new_string``; MultiEdit ``edits``; Write ``content``), ``tool_use_id``;
  the answer is stdout JSON ``{"hookSpecificOutput": {"hookEventName": "PreToolUse",
  "permissionDecision": "allow"|"deny"|"ask", "permissionDecisionReason": …}}`` with exit 0
  (deny: the reason is shown to the model; ask: to the person). Exit code 2 also blocks, with
  stderr as the reason: the guard never uses it, so its own crash can never block;
* Stop adds ``stop_hook_active`` (true when a Stop hook already continued this turn); the answer
  ``{"decision": "block", "reason": …}`` makes the agent continue with the reason;
* any answer may carry ``systemMessage``: a note shown to the person, not to the model;
* ``statusLine`` (``{"type": "command", "command": …}``): stdin JSON with ``session_id``,
  ``transcript_path``, ``cwd``, ``model.display_name``, ``cost.total_cost_usd``; the first stdout
  line is shown.

Codex CLI (hooks since 0.114 behind ``[features] codex_hooks = true``, on by default from 0.124;
``~/.codex/hooks.json`` or ``<repo>/.codex/hooks.json`` with the same event -> matcher groups ->
handlers shape, or inline ``[[hooks.PreToolUse]]`` tables in ``config.toml``):

* common input: ``session_id``, ``transcript_path`` (the rollout file, may be null), ``cwd``,
  ``hook_event_name``, ``model``; PreToolUse adds ``tool_name`` (``Bash``, ``apply_patch``, MCP
  names) and ``tool_input`` (``command``; the exec tool's ``timeout_ms``); Stop adds
  ``stop_hook_active``;
* the same ``hookSpecificOutput.permissionDecision``/``permissionDecisionReason`` and
  ``decision: "block"``/``reason`` answers; Codex treats an unknown output field as a failed hook
  (and runs the tool), so the guard writes only these fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

MAX_INPUT_BYTES = 4 * 1024 * 1024  # a hook input past this is hostile or broken: allow and say so
MAX_FIELD_CHARS = 200_000  # of one command or edit text handed to the detectors
MAX_REASON_CHARS = 1500


class HookInputError(ValueError):
    """The hook's stdin is not the documented shape."""


@dataclass
class HookInput:
    event: str
    session_id: str
    transcript_path: str | None
    cwd: str | None
    tool_name: str | None = None
    tool_input: dict = field(default_factory=dict)
    stop_hook_active: bool = False
    raw: dict = field(default_factory=dict)


def parse_hook_input(data: bytes, event: str | None = None) -> HookInput:
    """The documented fields of one hook's stdin, bounded; raises HookInputError otherwise."""
    if len(data) > MAX_INPUT_BYTES:
        raise HookInputError(f"hook input of {len(data)} bytes is over the {MAX_INPUT_BYTES}-byte bound")
    try:
        record = json.loads(data.decode("utf-8", errors="replace") or "{}")
    except ValueError as error:
        raise HookInputError(f"hook input is not JSON: {error}") from None
    if not isinstance(record, dict):
        raise HookInputError("hook input is not a JSON object")
    name = _text(record.get("hook_event_name")) or event or ""
    tool_input = record.get("tool_input")
    if not isinstance(tool_input, dict):
        tool_input = {}
    return HookInput(
        event=name,
        session_id=_text(record.get("session_id")) or "unknown",
        transcript_path=_text(record.get("transcript_path")),
        cwd=_text(record.get("cwd")),
        tool_name=_text(record.get("tool_name")),
        tool_input={key: _bounded(value) for key, value in tool_input.items()},
        stop_hook_active=record.get("stop_hook_active") is True,
        raw=record,
    )


def pre_tool_use_output(decision: str, reason: str) -> dict:
    return {
        "hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": decision,
            "permissionDecisionReason": reason[:MAX_REASON_CHARS],
        }
    }


def stop_output(reason: str) -> dict:
    return {"decision": "block", "reason": reason[:MAX_REASON_CHARS]}


def system_message_output(message: str) -> dict:
    return {"systemMessage": message[:MAX_REASON_CHARS]}


def _text(value) -> str | None:
    return value[:4096] if isinstance(value, str) and value else None


def _bounded(value):
    if isinstance(value, str):
        return value[:MAX_FIELD_CHARS]
    if isinstance(value, list):
        return [_bounded(item) for item in value[:1000]]
    if isinstance(value, dict):
        return {key: _bounded(item) for key, item in list(value.items())[:1000]}
    return value
