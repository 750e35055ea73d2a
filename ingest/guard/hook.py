"""One hook call, start to answer: read the input, catch up on the transcript, judge, answer.

State lives in ``$XDG_STATE_HOME/dashcam/guard/`` (else ``~/.local/state/dashcam/guard``):
``sessions/<id>.json`` holds one session's compact history (byte offset, reader state, wait
sites), written whole to a temporary file and renamed, so no lock is ever held across calls
and a reader never sees half a state; two hooks of the same session racing lose at most one
step. ``features/<key>.json`` holds a feature's open staircases for its next session
(:mod:`ingest.guard.carry`). ``decisions.jsonl`` and ``problems.jsonl`` are append-only spools (one ``write`` of one
line each, atomic for O_APPEND writes of this size) that ``dashcam ingest`` loads into the
database. No DuckDB here: the hot path imports only the readers and the fact extractors.

Fail open, loudly: any error allows the call, prints one line to stderr and spools a problem.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from ingest.events import Position, SessionContext, ToolCall
from ingest.guard import carry, rules, stream
from ingest.guard.contracts import (
    HookInput,
    parse_hook_input,
    pre_tool_use_output,
    stop_output,
    system_message_output,
)
from ingest.guard.state import state_dir


def guard_mode() -> str:
    """warn | block, from the environment the installed hook command sets."""
    mode = os.environ.get("DASHCAM_GUARD_MODE", "block")
    return mode if mode in ("warn", "block") else "block"


def _state_path(root: Path, session_id: str) -> Path:
    name = hashlib.sha1(session_id.encode()).hexdigest()[:24]
    return root / "sessions" / f"{name}.json"


def load_history(root: Path, session_id: str) -> dict:
    path = _state_path(root, session_id)
    try:
        history = json.loads(path.read_text())
    except (OSError, ValueError):
        return stream.new_history()
    return history if isinstance(history, dict) and history.get("version") == 1 else stream.new_history()


def save_history(root: Path, session_id: str, history: dict) -> None:
    path = _state_path(root, session_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    history["version"] = 1
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(history, default=str))
    os.replace(temporary, path)


def spool(root: Path, name: str, row: dict) -> None:
    root.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(row, default=str) + "\n").encode()
    fd = os.open(root / name, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def _cliff_marks(root: Path) -> dict:
    """Features past their 80% mark, as ``dashcam ingest`` last wrote them (empty before)."""
    try:
        return json.loads((root / "cliff.json").read_text())
    except (OSError, ValueError):
        return {}


def agent_of(hook: HookInput, agent: str | None) -> str:
    if agent in ("claude", "codex"):
        return agent
    path = hook.transcript_path or ""
    return "codex" if "/.codex/" in path or Path(path).name.startswith("rollout-") else "claude"


def proposed_call(hook: HookInput, agent: str) -> dict | None:
    """The proposed call as a reader would have stored it (the same fields the audit reads)."""
    name = hook.tool_name or ""
    fields = hook.tool_input
    ctx = SessionContext(agent=agent, session_id=hook.session_id, project=hook.cwd)
    call = ToolCall(
        ctx=ctx,
        pos=Position(line_no=0, byte_offset=0),
        ts=None,
        call_id="proposed",
        name=name,
        input_json=json.dumps(fields),
    )
    command = fields.get("command") if "command" in fields else fields.get("cmd")
    if isinstance(command, list):
        command = " ".join(str(part) for part in command)
    if name in ("Bash", "shell", "exec_command", "shell_command", "local_shell") and isinstance(command, str):
        call.command = command
        if "*** Begin Patch" in command and "apply_patch" in command:
            call.patch = command[command.index("*** Begin Patch") :]
    elif name == "apply_patch":
        patch = command if isinstance(command, str) else fields.get("input") or fields.get("patch")
        call.patch = patch if isinstance(patch, str) else None
    elif name in ("Edit", "MultiEdit", "Write", "NotebookEdit"):
        from ingest.sources.claude_code import tool_call

        call = tool_call({"name": name, "input": fields, "id": "proposed"}, ctx, call.pos, None, None)
    else:
        return None
    return stream.event_dict(call)


def decide(
    hook: HookInput, agent: str | None = None, root: Path | None = None, mode: str | None = None
) -> tuple[dict | None, list[str]]:
    """(answer for stdout or None, problems) for one hook call; raises on the guard's own errors."""
    root = root or state_dir()
    mode = mode or guard_mode()
    agent = agent_of(hook, agent)
    history = load_history(root, hook.session_id)
    problems: list[str] = []
    if hook.transcript_path:
        path = Path(hook.transcript_path)
        if path.is_file():
            problems += stream.advance(history, path, agent)
            carry.seed(root, hook.session_id, history)  # yesterday's staircases of the feature
        else:
            problems.append(f"transcript not found: {hook.transcript_path}")
    decision = None
    answer = None
    if hook.event == "PreToolUse":
        call = proposed_call(hook, agent)
        decision = rules.judge_call(history, call, mode) if call else None
        if decision and decision.decision in ("deny", "ask"):
            answer = pre_tool_use_output(decision.decision, decision.reason)
    elif hook.event == "Stop":
        decision = rules.judge_stop(history, hook.stop_hook_active)
        if decision:
            answer = stop_output(decision.reason)
        else:
            decision = rules.judge_cliff(history, _cliff_marks(root))
            if decision:
                answer = system_message_output(decision.reason)
    save_history(root, hook.session_id, history)
    carry.export(root, hook.session_id, history)
    if decision is not None:
        spool(
            root,
            "decisions.jsonl",
            {
                "agent": agent,
                "session_id": hook.session_id,
                "ts": datetime.now(UTC).isoformat(),
                "event": hook.event,
                "rule": decision.rule,
                "decision": decision.decision,
                "mode": mode,
                "site": decision.site,
                "value_s": decision.value_s,
                "budget_s": decision.budget_s,
                "reason": decision.reason,
                "history": decision.history,
                "tool_name": hook.tool_name,
            },
        )
    return answer, problems


def run(event: str, data: bytes, agent: str | None = None, root: Path | None = None) -> tuple[str, int]:
    """The hook's stdout and exit code; never raises, never exits 2 (that would block)."""
    root = root or state_dir()
    started = time.perf_counter()
    try:
        hook = parse_hook_input(data, event)
        answer, problems = decide(hook, agent, root)
        if problems:
            more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
            print(f"dashcam guard: {problems[0][:300]}{more}", file=sys.stderr)
        for reason in problems[:20]:
            spool(
                root,
                "problems.jsonl",
                {
                    "ts": datetime.now(UTC).isoformat(),
                    "source": "guard",
                    "session_id": hook.session_id,
                    "reason": reason[:500],
                },
            )
        return (json.dumps(answer) if answer else ""), 0
    except Exception as error:  # fail open: the guard's own bug must never block the agent
        message = f"dashcam guard: allowed the call after an internal error: {error!r}"[:400]
        print(message, file=sys.stderr)
        try:
            spool(
                root,
                "problems.jsonl",
                {
                    "ts": datetime.now(UTC).isoformat(),
                    "source": "guard",
                    "reason": message,
                    "elapsed_ms": (time.perf_counter() - started) * 1e3,
                },
            )
        except OSError:
            pass
        return "", 0
