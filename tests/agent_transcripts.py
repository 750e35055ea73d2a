"""Small synthetic sessions written the way Claude Code and Codex write their transcripts.

The audit tests tell a session once, as a script (prompts, replies, shell commands with
their output and exit code, edits), and render it in either agent's format: Claude Code
JSONL (assistant ``tool_use`` blocks, user ``tool_result`` blocks, absolute paths) or a Codex
rollout (``session_meta``, shell calls in any of the three tools Codex has written —
``exec_command`` with its plain-text output by default, ``shell_command``, ``shell`` —
``apply_patch`` with the patch as input, relative paths). Lines are compact JSON, as the
agents write them. The same story in both formats must give the same findings. Shell steps
can also be written as a Gemini CLI chat document (``run_shell_command`` calls) and as an
Aider chat history (``/run`` commands), so a story can be told in all four formats
(:func:`write_any`); ``status=False`` writes a shell step as a tool that kept only its output.
"""

from __future__ import annotations

import difflib
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

FORMATS = ("claude", "codex")
ALL_FORMATS = ("claude", "codex", "gemini", "aider")  # with the Gemini CLI and Aider writers below
CODEX_TOOLS = ("exec_command", "shell_command", "shell")  # newest first: the shapes Codex has written


def _human_ms(ms: int) -> str:
    """A budget as Claude Code prints it: ``2m 0s``, ``45s``."""
    minutes, seconds = divmod(round(ms / 1000), 60)
    return f"{minutes}m {seconds}s" if minutes else f"{seconds}s"


def compact(obj: dict) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


@dataclass
class Step:
    kind: str  # prompt | say | shell | edit | write
    at: datetime
    text: str = ""
    command: str = ""
    output: str = ""
    exit_code: int = 0
    seconds: float = 0.0
    path: str = ""
    old: str = ""
    new: str = ""
    timeout_ms: int | None = None  # the tool's own budget for a shell step
    timed_out: bool = False  # the tool killed the command at that budget
    status: bool = True  # the tool recorded the exit status (False: only the output text is kept)


@dataclass
class Session:
    """A session script. Times advance by a few seconds per step (``pause`` for prompts)."""

    name: str
    start: str = "2026-10-05T09:00:00Z"
    repo: str = "shop"
    branch: str = "main"
    home: str = "/home/dev/src"
    workdir: str = ""  # a folder inside the repository the agent was started in
    remote: str | None = None  # the remote's repository name when the clone's folder is named otherwise
    title: str | None = None
    steps: list[Step] = field(default_factory=list)
    resumes: Session | None = None
    codex_tool: str = "exec_command"  # which of Codex's shell tools runs commands: see CODEX_TOOLS

    def __post_init__(self) -> None:
        self.clock = utc(self.start)

    @property
    def cwd(self) -> str:
        return f"{self.home}/{self.repo}" + (f"/{self.workdir}" if self.workdir else "")

    def session_id(self, fmt: str) -> str:
        if fmt == "codex":
            return str(uuid.uuid5(uuid.NAMESPACE_URL, f"codex/{self.name}"))
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"claude/{self.name}"))

    def _tick(self, seconds: float) -> datetime:
        self.clock += timedelta(seconds=seconds)
        return self.clock

    def prompt(self, text: str, pause: float = 20.0) -> Session:
        self.steps.append(Step("prompt", self._tick(pause), text=text))
        return self

    def say(self, text: str) -> Session:
        self.steps.append(Step("say", self._tick(4), text=text))
        return self

    def shell(
        self,
        command: str,
        output: str,
        exit_code: int = 0,
        seconds: float = 3.0,
        timeout_ms: int | None = None,
        timed_out: bool = False,
        status: bool = True,
    ) -> Session:
        """A shell command run to its end; ``timed_out``: the tool killed it at ``timeout_ms``;
        ``status=False``: the tool kept only what the command printed, no exit status (a Claude
        Code result without ``is_error``, a Codex output without metadata, a Gemini CLI output
        without its ``Exit Code`` line, an Aider ``/run`` without ``exited with status``)."""
        if timed_out:
            assert timeout_ms is not None, "a tool times out at its budget"
            seconds, exit_code = timeout_ms / 1000, 124
        self.steps.append(
            Step(
                "shell",
                self._tick(3),
                command=command,
                output=output,
                exit_code=exit_code,
                seconds=seconds,
                timeout_ms=timeout_ms,
                timed_out=timed_out,
                status=status,
            )
        )
        self._tick(seconds)
        return self

    def poll(self, task: str, timeout_ms: int, output: str) -> Session:
        """A poll of a background task with a budget (Claude Code ``TaskOutput``; claude format only)."""
        self.steps.append(Step("poll", self._tick(3.0), command=task, seconds=timeout_ms, output=output))
        return self

    def edit(self, path: str, old: str, new: str) -> Session:
        self.steps.append(Step("edit", self._tick(5), path=path, old=old, new=new))
        return self

    def write(self, path: str, content: str) -> Session:
        self.steps.append(Step("write", self._tick(6), path=path, new=content))
        return self

    def pause(self, hours: float) -> Session:
        self._tick(hours * 3600)
        return self


# ---------------------------------------------------------------------------- Claude Code


class _ClaudeWriter:
    def __init__(self, session: Session, inherited: list[str] | None = None, parent_uuid: str | None = None):
        self.s = session
        self.sid = session.session_id("claude")
        self.lines: list[str] = list(inherited or [])
        self.parent = parent_uuid
        self.counter = 0

    def _id(self, prefix: str) -> str:
        self.counter += 1
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.sid}/{prefix}/{self.counter}"))

    def _base(self, at: datetime) -> dict:
        return {
            "parentUuid": self.parent,
            "isSidechain": False,
            "userType": "external",
            "cwd": self.s.cwd,
            "sessionId": self.sid,
            "version": "2.1.39",
            "gitBranch": self.s.branch,
            "timestamp": iso(at),
        }

    def _emit(self, record: dict) -> None:
        self.lines.append(compact(record))
        self.parent = record.get("uuid", self.parent)

    def _assistant(self, at: datetime, block: dict) -> None:
        record = self._base(at)
        record.update(
            {
                "type": "assistant",
                "uuid": self._id("a"),
                "requestId": "req_" + self._id("r")[:20],
                "message": {
                    "model": "claude-sonnet-4-5-20250929",
                    "id": "msg_" + self._id("m")[:22],
                    "type": "message",
                    "role": "assistant",
                    "content": [block],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {
                        "input_tokens": 4,
                        "cache_creation_input_tokens": 120,
                        "cache_read_input_tokens": 18000,
                        "output_tokens": 90,
                    },
                },
            }
        )
        self._emit(record)

    def _tool_result(self, at: datetime, tool_id: str, content: str, is_error: bool | None, details) -> None:
        """``is_error=None``: the block carries no ``is_error`` at all."""
        record = self._base(at)
        block = {"tool_use_id": tool_id, "type": "tool_result", "content": content}
        if is_error is not None:
            block["is_error"] = is_error
        record.update(
            {
                "type": "user",
                "uuid": self._id("u"),
                "message": {"role": "user", "content": [block]},
                "toolUseResult": details,
            }
        )
        self._emit(record)

    def render(self) -> str:
        if self.s.title:
            self.lines.append(compact({"type": "summary", "summary": self.s.title, "leafUuid": self._id("l")}))
        for step in self.s.steps:
            getattr(self, f"_{step.kind}")(step)
        return "".join(line + "\n" for line in self.lines)

    def _prompt(self, step: Step) -> None:
        record = self._base(step.at)
        record.update(
            {
                "type": "user",
                "message": {"role": "user", "content": step.text},
                "uuid": self._id("p"),
                "permissionMode": "default",
            }
        )
        self._emit(record)

    def _say(self, step: Step) -> None:
        self._assistant(step.at, {"type": "text", "text": step.text})

    def _shell(self, step: Step) -> None:
        tool_id = "toolu_01" + self._id("t").replace("-", "")[:22]
        self._assistant(
            step.at,
            {
                "type": "tool_use",
                "id": tool_id,
                "name": "Bash",
                "input": {"command": step.command, "description": "Run the command"}
                | ({"timeout": step.timeout_ms} if step.timeout_ms else {}),
            },
        )
        done = step.at + timedelta(seconds=step.seconds)
        if not step.status:
            self._tool_result(done, tool_id, step.output, None, {"stdout": step.output, "stderr": ""})
        elif step.timed_out:
            content = f"Command timed out after {_human_ms(step.timeout_ms or 0)}\n{step.output}"
            self._tool_result(done, tool_id, content, True, f"Error: {content}")
        elif step.exit_code:
            content = f"Exit code {step.exit_code}\n{step.output}"
            self._tool_result(done, tool_id, content, True, f"Error: {content}")
        else:
            self._tool_result(
                done,
                tool_id,
                step.output,
                False,
                {"stdout": step.output, "stderr": "", "interrupted": False, "isImage": False},
            )

    def _poll(self, step: Step) -> None:
        tool_id = "toolu_01" + self._id("t").replace("-", "")[:22]
        budget = {"task_id": step.command, "block": True, "timeout": int(step.seconds)}
        self._assistant(step.at, {"type": "tool_use", "id": tool_id, "name": "TaskOutput", "input": budget})
        self._tool_result(step.at + timedelta(seconds=2), tool_id, step.output, False, {"retrieval_status": "success"})

    def _edit(self, step: Step) -> None:
        tool_id = "toolu_01" + self._id("t").replace("-", "")[:22]
        path = step.path if step.path.startswith(("/", "~")) else f"{self.s.cwd}/{step.path}"
        self._assistant(
            step.at,
            {
                "type": "tool_use",
                "id": tool_id,
                "name": "Edit",
                "input": {"file_path": path, "old_string": step.old, "new_string": step.new, "replace_all": False},
            },
        )
        self._tool_result(
            step.at + timedelta(seconds=0.2),
            tool_id,
            f"The file {path} has been updated. Here's the result of running `cat -n` on a snippet.",
            False,
            {"filePath": path, "oldString": step.old, "newString": step.new},
        )

    def _write(self, step: Step) -> None:
        tool_id = "toolu_01" + self._id("t").replace("-", "")[:22]
        path = f"{self.s.cwd}/{step.path}"
        self._assistant(
            step.at,
            {"type": "tool_use", "id": tool_id, "name": "Write", "input": {"file_path": path, "content": step.new}},
        )
        self._tool_result(
            step.at + timedelta(seconds=0.2),
            tool_id,
            f"File created successfully at: {path}",
            False,
            {"type": "create", "filePath": path, "content": step.new},
        )


# ---------------------------------------------------------------------------- Codex


class _CodexWriter:
    def __init__(self, session: Session):
        self.s = session
        self.sid = session.session_id("codex")
        self.lines: list[str] = []
        self.counter = 0
        self.total = {
            "input_tokens": 0,
            "cached_input_tokens": 0,
            "output_tokens": 0,
            "reasoning_output_tokens": 0,
            "total_tokens": 0,
        }

    def _call_id(self) -> str:
        self.counter += 1
        return "call_" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.sid}/{self.counter}")).replace("-", "")[:24]

    def _emit(self, at: datetime, kind: str, payload: dict) -> None:
        self.lines.append(compact({"timestamp": iso(at), "type": kind, "payload": payload}))

    def _tokens(self, at: datetime) -> None:
        last = {
            "input_tokens": 9000,
            "cached_input_tokens": 8000,
            "output_tokens": 120,
            "reasoning_output_tokens": 40,
            "total_tokens": 9120,
        }
        for key, value in last.items():
            self.total[key] += value
        self._emit(
            at,
            "event_msg",
            {
                "type": "token_count",
                "info": {
                    "total_token_usage": dict(self.total),
                    "last_token_usage": last,
                    "model_context_window": 258400,
                },
            },
        )

    def render(self) -> str:
        start = utc(self.s.start)
        self._emit(
            start,
            "session_meta",
            {
                "id": self.sid,
                "timestamp": iso(start),
                "cwd": self.s.cwd,
                "originator": "codex_cli_rs",
                "cli_version": "0.104.0",
                "source": "cli",
                "model_provider": "openai",
                "git": {
                    "commit_hash": "4e1b7c2a9d0f5e3b8c6a1d2e7f9b0c3a5d4e6f70",
                    "branch": self.s.branch,
                    "repository_url": f"git@github.com:acme/{self.s.remote or self.s.repo}.git",
                },
            },
        )
        self._emit(
            start,
            "turn_context",
            {
                "cwd": self.s.cwd,
                "approval_policy": "on-request",
                "model": "gpt-5.3-codex",
                "effort": "high",
                "summary": "auto",
            },
        )
        for step in self.s.steps:
            getattr(self, f"_{step.kind}")(step)
        return "".join(line + "\n" for line in self.lines)

    def _prompt(self, step: Step) -> None:
        self._emit(
            step.at,
            "response_item",
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": step.text}]},
        )
        self._emit(step.at, "event_msg", {"type": "user_message", "message": step.text, "images": []})

    def _say(self, step: Step) -> None:
        self._emit(step.at, "event_msg", {"type": "agent_message", "message": step.text})
        self._emit(
            step.at,
            "response_item",
            {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": step.text}]},
        )
        self._tokens(step.at)

    def _shell(self, step: Step) -> None:
        call_id = self._call_id()
        tool = self.s.codex_tool
        if tool == "shell":
            arguments: dict = {"command": ["bash", "-lc", step.command], "workdir": self.s.cwd}
        elif tool == "shell_command":
            arguments = {"command": step.command, "workdir": self.s.cwd}
        elif tool == "exec_command":
            arguments = {"cmd": step.command, "workdir": self.s.cwd, "max_output_tokens": 6000}
        else:
            raise ValueError(f"unknown Codex shell tool {tool!r}")
        if step.timeout_ms:
            arguments["timeout_ms"] = step.timeout_ms
        self._emit(
            step.at,
            "response_item",
            {"type": "function_call", "name": tool, "arguments": compact(arguments), "call_id": call_id},
        )
        self._tokens(step.at)
        body = step.output
        if step.timed_out:
            body = f"command timed out after {step.timeout_ms or 0} milliseconds\n{step.output}"
        if not step.status:
            output = body
        elif tool == "shell":
            output = compact(
                {"output": body, "metadata": {"exit_code": step.exit_code, "duration_seconds": step.seconds}}
            )
        elif tool == "shell_command":
            output = f"Exit code: {step.exit_code}\nWall time: {step.seconds:.1f} seconds\nOutput:\n{body}\n"
        else:
            output = (
                f"Chunk ID: 3f9a1c\nWall time: {step.seconds:.4f} seconds\nProcess exited with code "
                f"{step.exit_code}\nOriginal token count: {len(body) // 4 + 1}\nOutput:\n{body}"
            )
        self._emit(
            step.at + timedelta(seconds=step.seconds),
            "response_item",
            {"type": "function_call_output", "call_id": call_id, "output": output},
        )

    def _patch(self, step: Step, body: list[str], mark: str) -> None:
        call_id = self._call_id()
        patch = "\n".join(["*** Begin Patch", *body, "*** End Patch"])
        self._emit(
            step.at,
            "response_item",
            {
                "type": "custom_tool_call",
                "status": "completed",
                "call_id": call_id,
                "name": "apply_patch",
                "input": patch,
            },
        )
        self._tokens(step.at)
        output = (
            "Exit code: 0\nWall time: 0.2 seconds\nOutput:\nSuccess. Updated the following files:\n"
            f"{mark} {step.path}\n"
        )
        self._emit(
            step.at + timedelta(seconds=0.2),
            "response_item",
            {"type": "custom_tool_call_output", "call_id": call_id, "output": output},
        )

    def _edit(self, step: Step) -> None:
        hunk = []
        for line in difflib.ndiff(step.old.split("\n"), step.new.split("\n")):
            if line.startswith(("- ", "+ ", "  ")):
                hunk.append({"- ": "-", "+ ": "+", "  ": " "}[line[:2]] + line[2:])
        self._patch(step, [f"*** Update File: {step.path}", "@@", *hunk], "M")

    def _write(self, step: Step) -> None:
        body = ["+" + line for line in step.new.rstrip("\n").split("\n")]
        self._patch(step, [f"*** Add File: {step.path}", *body], "A")


# ---------------------------------------------------------------------------- Gemini CLI, Aider


def _gemini_output(step) -> str:
    body = step.output or "(empty)"
    if not step.status:  # the tool wrote the output only: no exit code, no process group line
        return f"Output: {body}"
    code = f"\nExit Code: {step.exit_code}" if step.exit_code else ""
    return f"Output: {body}{code}\nProcess Group PGID: 4242"


def write_gemini(root: Path, session: Session) -> Path:
    """The session as a Gemini CLI chat document: each shell step a ``run_shell_command`` call."""
    folder = root / ".gemini" / "tmp" / session.repo
    (folder / "chats").mkdir(parents=True, exist_ok=True)
    (folder / ".project_root").write_text(session.cwd, encoding="utf-8")
    start = utc(session.start)
    tokens = {"input": 100, "output": 20, "cached": 0, "thoughts": 0, "tool": 0, "total": 120}
    messages = []
    for index, step in enumerate(session.steps):
        ts = iso(step.at)
        if step.kind == "prompt":
            messages.append({"id": f"m{index}", "timestamp": ts, "type": "user", "content": step.text})
        elif step.kind == "say":
            messages.append(
                {
                    "id": f"m{index}",
                    "timestamp": ts,
                    "type": "gemini",
                    "content": step.text,
                    "thoughts": [],
                    "model": "gemini-2.5-pro",
                    "tokens": tokens,
                }
            )
        elif step.kind == "shell":
            call_id = f"run_shell_command-{index}"
            response = {"output": _gemini_output(step)}
            messages.append(
                {
                    "id": f"m{index}",
                    "timestamp": ts,
                    "type": "gemini",
                    "content": "",
                    "thoughts": [],
                    "model": "gemini-2.5-pro",
                    "tokens": tokens,
                    "toolCalls": [
                        {
                            "id": call_id,
                            "name": "run_shell_command",
                            "args": {"command": step.command},
                            "result": [
                                {"functionResponse": {"id": call_id, "name": "run_shell_command", "response": response}}
                            ],
                            "status": "success",
                            "timestamp": iso(step.at + timedelta(seconds=step.seconds)),
                        }
                    ],
                }
            )
    document = {
        "sessionId": session.session_id("claude").replace("-", "")[:8] + "-0000-4000-8000-000000000000",
        "projectHash": "cd" * 32,
        "startTime": iso(start),
        "lastUpdated": iso(session.clock),
        "messages": messages,
    }
    path = folder / "chats" / f"session-{start.strftime('%Y-%m-%dT%H-%M')}-{session.name[:8]}.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def write_aider(root: Path, session: Session) -> Path:
    """The session as an Aider chat history: shell steps are ``/run`` commands whose output is added
    to the chat, with the exit status Aider reports for a failed one."""
    folder = root / "aider" / session.name
    folder.mkdir(parents=True, exist_ok=True)
    start = utc(session.start)
    lines = [f"\n# aider chat started at {start.strftime('%Y-%m-%d %H:%M:%S')}\n\n", "> Aider v0.86.1  \n\n"]
    for step in session.steps:
        if step.kind == "prompt":
            lines.append(f"#### {step.text}  \n\n")
        elif step.kind == "say":
            lines.append(
                f"{step.text}\n\n> Tokens: 1.2k sent, 50 received. Cost: $0.0040 message, $0.0040 session.  \n\n"
            )
        elif step.kind == "shell":
            quoted = "".join(f"> {line}  \n" for line in step.output.splitlines())
            status = (
                f"> Command '{step.command}' exited with status {step.exit_code}  \n"
                if step.exit_code and step.status
                else ""
            )
            lines.append(
                f"#### /run {step.command}  \n{quoted}{status}> Add the output to the chat?\n(y/n/instructions) y  \n{quoted}\n"
            )
    path = folder / ".aider.chat.history.md"
    path.write_text("".join(lines), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- files


def write_any(root: Path, session: Session, fmt: str) -> Path:
    """Write ``session`` in any of :data:`ALL_FORMATS` under ``root``."""
    if fmt == "gemini":
        return write_gemini(root, session)
    if fmt == "aider":
        return write_aider(root, session)
    return write_session(root, session, fmt)


def render(session: Session, fmt: str) -> str:
    if fmt == "claude":
        return _ClaudeWriter(session).render()
    if fmt == "codex":
        return _CodexWriter(session).render()
    raise ValueError(f"unknown format {fmt!r}")


def write_session(root: Path, session: Session, fmt: str) -> Path:
    """Write ``session`` in ``fmt`` under ``root`` where that agent keeps its transcripts."""
    sid = session.session_id(fmt)
    if fmt == "claude":
        path = root / ".claude" / "projects" / session.cwd.replace("/", "-") / f"{sid}.jsonl"
    else:
        stamp = utc(session.start)
        path = (
            root
            / ".codex"
            / "sessions"
            / stamp.strftime("%Y/%m/%d")
            / f"rollout-{stamp.strftime('%Y-%m-%dT%H-%M-%S')}-{sid}.jsonl"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(session, fmt), encoding="utf-8")
    return path


def write_resumed_claude(root: Path, parent: Session, child: Session) -> Path:
    """A resumed Claude Code session: the parent's lines copied first, then the child's own."""
    parent_writer = _ClaudeWriter(parent)
    parent_writer.render()
    writer = _ClaudeWriter(child, inherited=parent_writer.lines, parent_uuid=parent_writer.parent)
    sid = child.session_id("claude")
    path = root / ".claude" / "projects" / child.cwd.replace("/", "-") / f"{sid}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(writer.render(), encoding="utf-8")
    return path
