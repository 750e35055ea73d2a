"""Replay a recorded transcript through the hooks, as if the session were running now.

At each tool call of the recording, the lines before it are the transcript so far (appended
to a copy the guard reads through ``transcript_path``) and the call becomes the hook input
the agent would send (Claude Code's or Codex's PreToolUse shape); at each assistant turn end
a Stop input follows. Used by the replay tests and the latency benchmark.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.guard import hook
from ingest.guard.contracts import parse_hook_input

CODEX_SHELL_TOOLS = ("shell", "container.exec", "shell_command", "local_shell", "exec_command")


@dataclass
class Replayed:
    session_id: str
    calls: int = 0
    decisions: list[dict] = field(default_factory=list)  # every non-silent answer
    latencies_ms: list[float] = field(default_factory=list)


def hook_inputs(record: dict, agent: str, session_id: str, transcript: str) -> Iterator[dict]:
    """The PreToolUse inputs the agent would send for the tool calls of one transcript line."""
    common = {
        "session_id": session_id,
        "transcript_path": transcript,
        "cwd": record.get("cwd") or "/",
        "hook_event_name": "PreToolUse",
    }
    if agent == "claude":
        message = record.get("message")
        message = message if isinstance(message, dict) else {}
        content = message.get("content")
        content = content if isinstance(content, list) else []
        for block in content:
            if isinstance(block, dict) and block.get("type") == "tool_use":
                yield {
                    **common,
                    "tool_name": block.get("name"),
                    "tool_input": block.get("input") or {},
                    "tool_use_id": block.get("id"),
                }
        return
    payload = record.get("payload")
    payload = payload if isinstance(payload, dict) else {}
    kind = payload.get("type")
    if kind == "function_call":
        try:
            arguments = json.loads(payload.get("arguments") or "{}")
        except ValueError:
            arguments = {}
        name = payload.get("name")
        if name in CODEX_SHELL_TOOLS:
            command = arguments.get("command", arguments.get("cmd"))
            if isinstance(command, list):
                command = (
                    " ".join(str(p) for p in command[2:] if p)
                    if command[:2] in (["bash", "-lc"], ["bash", "-c"])
                    else " ".join(str(p) for p in command)
                )
            tool_input = {"command": command}
            if "timeout_ms" in arguments:
                tool_input["timeout_ms"] = arguments["timeout_ms"]
            yield {**common, "tool_name": "Bash", "tool_input": tool_input, "tool_use_id": payload.get("call_id")}
        elif name == "apply_patch":
            yield {
                **common,
                "tool_name": "apply_patch",
                "tool_input": {"command": arguments.get("input")},
                "tool_use_id": payload.get("call_id"),
            }
    elif kind == "custom_tool_call" and payload.get("name") == "apply_patch":
        yield {
            **common,
            "tool_name": "apply_patch",
            "tool_input": {"command": payload.get("input")},
            "tool_use_id": payload.get("call_id"),
        }
    elif kind == "local_shell_call":
        action = payload.get("action") or {}
        command = action.get("command")
        if isinstance(command, list):
            command = " ".join(str(p) for p in command)
        yield {**common, "tool_name": "Bash", "tool_input": {"command": command}, "tool_use_id": payload.get("call_id")}


def is_prompt(record: dict, agent: str) -> bool:
    """A person's new prompt: the turn before it ended (its Stop hook ran just before)."""
    if agent == "claude":
        message = record.get("message")
        message = message if isinstance(message, dict) else {}
        content = message.get("content")
        if record.get("type") != "user" or record.get("isMeta"):
            return False
        if isinstance(content, str):
            return True
        return isinstance(content, list) and not any(
            isinstance(block, dict) and block.get("type") == "tool_result" for block in content
        )
    payload = record.get("payload")
    payload = payload if isinstance(payload, dict) else {}
    return record.get("type") == "event_msg" and payload.get("type") == "user_message"


def replay(source: Path, agent: str, work: Path, mode: str = "block", stops: bool = True) -> Replayed:
    """Walk ``source`` line by line through the guard; the copy and the state live under ``work``."""
    work.mkdir(parents=True, exist_ok=True)
    copy = work / source.name
    copy.write_bytes(b"")
    root = work / "state"
    session_id = source.stem
    result = Replayed(session_id)
    with source.open("rb") as lines, copy.open("ab") as out:
        for raw in lines:
            try:
                record = json.loads(raw)
            except ValueError:
                record = {}
            if isinstance(record, dict):
                for hook_input in hook_inputs(record, agent, session_id, str(copy)):
                    out.flush()
                    result.calls += 1
                    _one(result, "PreToolUse", hook_input, agent, root, mode)
            if stops and isinstance(record, dict) and is_prompt(record, agent) and result.calls:
                out.flush()
                _stop(result, session_id, copy, agent, root, mode)
            out.write(raw)
        out.flush()
        if stops:
            _stop(result, session_id, copy, agent, root, mode)
    return result


def _stop(result: Replayed, session_id: str, copy: Path, agent: str, root: Path, mode: str) -> None:
    _one(
        result,
        "Stop",
        {
            "session_id": session_id,
            "transcript_path": str(copy),
            "cwd": "/",
            "hook_event_name": "Stop",
            "stop_hook_active": False,
        },
        agent,
        root,
        mode,
    )


def _one(result: Replayed, event: str, hook_input: dict, agent: str, root: Path, mode: str) -> None:
    started = time.perf_counter()
    answer, _ = hook.decide(parse_hook_input(json.dumps(hook_input).encode(), event), agent, root, mode)
    result.latencies_ms.append((time.perf_counter() - started) * 1e3)
    if answer:
        result.decisions.append(
            {"event": event, "answer": answer, "tool_input": hook_input.get("tool_input"), "call_no": result.calls}
        )
