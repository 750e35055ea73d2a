"""Build the eighth held-out corpus: sessions in stacks no earlier round used, written blind.

Transcripts for three users (rafael, sunniva, tariq; dates in 2027-02) in all four formats the
project reads: Claude Code (``~/.claude/projects/<slug>/<uuid>.jsonl``), Codex CLI rollouts in
the three tool shapes the CLI has written (``shell`` with an argv and a JSON output,
``shell_command`` with a string and plain-text output, ``exec_command``/``write_stdin`` with
"Process exited with code N"), Gemini CLI chat recordings (the legacy single document and the
JSONL record log) and an Aider ``.aider.chat.history.md``. Stacks: Meilisearch, Typesense,
FoundationDB, Hazelcast, Memgraph, SurrealDB, Fluent Bit, Grafana Loki, Trino, Hadoop
HDFS/MiniDFSCluster, ZeroMQ, Emacs Lisp/ERT, Bats, Robot Framework, TestCafe, Yocto/BitBake and
QEMU.

``truth.json`` holds the timeout spirals (waits in test and config files, command-line flags and
environment variables, the agent's own tool budgets, checks whose verdict is only in the printed
output because ``| tail``, ``|| true`` or ``| tee`` hides the exit status, two spirals continuing
into the next day's session on the same branch, one of them with another agent), the
look-alikes that are not spirals, every sentence the agent says with its verdict (exotic, legit,
mundane, or non_claim: must carry no exotic verdict; a message of several sentences has one
entry per sentence), the user messages that report a failure or do not, and the features with
their fix attempts past the 80% mark (``features.toml`` joins two branches into one named
feature). Nothing here was derived from the detectors. Stdlib only and deterministic.

Usage: python tests/heldout8/build_heldout8.py OUT_DIR
"""

from __future__ import annotations

import hashlib
import json
import shlex
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

NS = uuid.UUID("4c7e0a19-2b6d-4f83-9e15-d0a8b3c6f208")
STEP = timedelta(seconds=53)
VERDICTS = ("exotic", "legit", "mundane", "non_claim")


def _sid(name: str) -> str:
    return str(uuid.uuid5(NS, name))


def _hex(name: str, n: int) -> str:
    return uuid.uuid5(NS, name).hex[:n]


def _ts(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def _line(rec: dict) -> str:
    return json.dumps(rec, separators=(",", ":"), ensure_ascii=False) + "\n"


def _human(ms: int) -> str:
    s = ms // 1000
    return f"{s // 60}m {s % 60}s"


# Steps of a scripted session (both formats):
#   ("user", text[, "report" | "not_report"])   a person's message; the tag lands in truth.json
#   ("say", text, verdict)                     the agent's prose; every one is in truth.json
#   ("edit", path, old, new) | ("gap", hours)
#   ("bash", cmd, exit_code, output)           a command that ran to its end
#   ("bash_t", cmd, timeout_ms, exit_code, output)   with a tool timeout; exit None = the tool timed out
# Claude Code only:
#   ("bg", cmd, task_id)                       Bash run_in_background
#   ("task_out", task_id, timeout_ms, exit_code, output)   TaskOutput block; exit None = still running
# Codex exec_command style only:
#   ("poll", cmd, yield_ms, exit_code, output)  write_stdin on a running process
#   ("edit", path, old, new, error)             an apply_patch that did not apply
# Claude Code only, too:
#   ("tool_err", tool, input, error)            a tool call the harness refused (is_error)


def claude_session(name: str, cwd: str, branch: str, start: datetime, steps: list) -> tuple[str, str]:
    """Render scripted steps as a Claude Code transcript; returns (session id, jsonl text)."""
    sid = _sid(name)
    lines: list[dict] = []
    t = start
    parent = None
    n = 0
    slug = "-".join(["quiet", "amber", "heron"] if len(name) % 2 else ["rolling", "slate", "marten"])

    def emit(kind: str, message: dict, extra: dict | None = None) -> str:
        nonlocal parent, n, t
        n += 1
        u = str(uuid.uuid5(NS, f"{name}/{n}"))
        rec = {
            "parentUuid": parent,
            "isSidechain": False,
            "userType": "external",
            "cwd": cwd,
            "sessionId": sid,
            "version": "2.1.131",
            "gitBranch": branch,
            "slug": slug,
            "type": kind,
            "message": message,
            "uuid": u,
            "timestamp": _ts(t),
        }
        if extra:
            rec.update(extra)
        lines.append(rec)
        parent = u
        t += STEP
        return u

    def assistant(content: list) -> str:
        return emit(
            "assistant",
            {
                "model": "claude-sonnet-4-6",
                "id": f"msg_01{_hex(f'{name}/m{n}', 22)}",
                "type": "message",
                "role": "assistant",
                "content": content,
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {
                    "input_tokens": 6,
                    "cache_creation_input_tokens": 420,
                    "cache_read_input_tokens": 15800,
                    "cache_creation": {"ephemeral_5m_input_tokens": 420, "ephemeral_1h_input_tokens": 0},
                    "output_tokens": 118,
                    "service_tier": "standard",
                },
            },
            {"requestId": f"req_011C{_hex(f'{name}/r{n}', 20)}"},
        )

    def result(tool_id: str, src: str, text: str, is_error: bool, tur: object) -> None:
        emit(
            "user",
            {
                "role": "user",
                "content": [{"tool_use_id": tool_id, "type": "tool_result", "content": text, "is_error": is_error}],
            },
            {"toolUseResult": tur, "sourceToolAssistantUUID": src},
        )

    timeouts_seen = 0
    for step in steps:
        kind = step[0]
        tool_id = f"toolu_01{_hex(f'{name}/t{n}', 22)}"
        if kind == "user":
            emit("user", {"role": "user", "content": step[1]})
        elif kind == "say":
            assistant([{"type": "text", "text": say_text(step)}])
        elif kind == "gap":
            t += timedelta(hours=step[1])
        elif kind in ("bash", "bash_t"):
            if kind == "bash":
                _, cmd, code, out, *secs = step
                inp: dict = {"command": cmd, "description": "Run the check"}
                ms = 0
                t += timedelta(seconds=secs[0] if secs else 0)
            else:
                _, cmd, ms, code, out = step
                inp = {"command": cmd, "description": "Run the check", "timeout": ms}
            src = assistant([{"type": "tool_use", "id": tool_id, "name": "Bash", "input": inp}])
            if code is None:
                t += timedelta(milliseconds=ms)
                timeouts_seen += 1
                # Claude Code has written a tool timeout both ways; alternate so both are present.
                if timeouts_seen % 2:
                    text = f"Command timed out after {_human(ms)}\n{out}"
                else:
                    text = f"Exit code 143\nCommand timed out after {_human(ms)} Terminated\n{out}"
                result(tool_id, src, text, True, "Error: " + text)
            elif code:
                text = f"Exit code {code}\n{out}"
                result(tool_id, src, text, True, "Error: " + text)
            else:
                result(tool_id, src, out, False, {"stdout": out, "stderr": "", "interrupted": False, "isImage": False})
        elif kind == "bg":
            _, cmd, task = step
            src = assistant(
                [
                    {
                        "type": "tool_use",
                        "id": tool_id,
                        "name": "Bash",
                        "input": {"command": cmd, "description": "Run in the background", "run_in_background": True},
                    }
                ]
            )
            result(
                tool_id,
                src,
                f"Command running in background with ID: {task}. Output is being written to: "
                f"/tmp/claude-1000/{cwd.replace('/', '-')}/{sid}/tasks/{task}.output",
                False,
                {
                    "stdout": "",
                    "stderr": "",
                    "interrupted": False,
                    "isImage": False,
                    "noOutputExpected": False,
                    "backgroundTaskId": task,
                },
            )
        elif kind == "task_out":
            _, task, ms, code, out = step
            src = assistant(
                [
                    {
                        "type": "tool_use",
                        "id": tool_id,
                        "name": "TaskOutput",
                        "input": {"task_id": task, "block": True, "timeout": ms},
                    }
                ]
            )
            if code is None:
                t += timedelta(milliseconds=ms)
                status, head = "running", "<retrieval_status>timeout</retrieval_status>"
                body = f"{head}\n\n<task_id>{task}</task_id>\n\n<task_type>local_bash</task_type>\n\n<status>{status}</status>\n\n<output>\n{out}\n</output>"
            else:
                status, head = "completed", "<retrieval_status>success</retrieval_status>"
                body = f"{head}\n\n<task_id>{task}</task_id>\n\n<task_type>local_bash</task_type>\n\n<status>{status}</status>\n\n<exit_code>{code}</exit_code>\n\n<output>\n{out}\n</output>"
            task_rec = {
                "task_id": task,
                "task_type": "local_bash",
                "status": status,
                "description": "Release build",
                "output": out,
            }
            if code is not None:
                task_rec["exitCode"] = code
            result(
                tool_id,
                src,
                body,
                False,
                {"retrieval_status": "timeout" if code is None else "success", "task": task_rec},
            )
        elif kind == "tool_err":
            _, tool, inp, err = step
            src = assistant([{"type": "tool_use", "id": tool_id, "name": tool, "input": inp}])
            text = f"<tool_use_error>{err}</tool_use_error>"
            result(tool_id, src, text, True, f"Error: {err}")
        elif kind == "edit":
            _, path, old, new = step
            full = path if path.startswith("/") else f"{cwd}/{path}"
            src = assistant(
                [
                    {
                        "type": "tool_use",
                        "id": tool_id,
                        "name": "Edit",
                        "input": {"file_path": full, "old_string": old, "new_string": new, "replace_all": False},
                    }
                ]
            )
            result(
                tool_id,
                src,
                f"The file {full} has been updated successfully.",
                False,
                {"filePath": full, "oldString": old, "newString": new, "replaceAll": False, "userModified": False},
            )
        else:
            raise ValueError(kind)
    return sid, "".join(_line(x) for x in lines)


def _patch(path: str, old: str, new: str) -> str:
    body = "".join(f"-{x}\n" for x in old.split("\n") if old) + "".join(f"+{x}\n" for x in new.split("\n"))
    head = "Add File" if not old else "Update File"
    return f"*** Begin Patch\n*** {head}: {path}\n@@\n{body}*** End Patch"


CODEX_VERSIONS = {"shell": "0.61.0", "shell_command": "0.92.0", "exec_command": "0.131.0"}


def codex_session(name: str, cwd: str, branch: str, start: datetime, steps: list, style: str) -> tuple[str, str]:
    """Render scripted steps as a Codex CLI rollout in one of the three tool shapes it has written."""
    sid = _sid(name)
    lines: list[dict] = []
    t = start
    n = 0
    total = 0
    newer = style != "shell"
    turn = ""

    def emit(kind: str, payload: dict) -> None:
        nonlocal t
        lines.append({"timestamp": _ts(t), "type": kind, "payload": payload})
        t += STEP

    def tokens() -> None:
        nonlocal total
        last = {
            "input_tokens": 21000,
            "cached_input_tokens": 18000,
            "output_tokens": 240,
            "reasoning_output_tokens": 64,
        }
        total += 1
        tot = {k: v * total for k, v in last.items()}
        emit(
            "event_msg",
            {
                "type": "token_count",
                "info": {
                    "total_token_usage": {**tot, "total_tokens": tot["input_tokens"] + tot["output_tokens"]},
                    "last_token_usage": {**last, "total_tokens": last["input_tokens"] + last["output_tokens"]},
                    "model_context_window": 258400,
                },
            },
        )

    repo = cwd.rsplit("/", 1)[-1]
    emit(
        "session_meta",
        {
            "id": sid,
            "timestamp": _ts(t),
            "cwd": cwd,
            "originator": "codex-tui" if style == "exec_command" else "codex_cli_rs",
            "cli_version": CODEX_VERSIONS[style],
            "source": "cli",
            "model_provider": "openai",
            "git": {
                "commit_hash": _hex(name, 32) + "5eed1e55",
                "branch": branch,
                "repository_url": f"git@github.com:kestrel-works/{repo}.git",
            },
        },
    )
    model = {"shell": "gpt-5-codex", "shell_command": "gpt-5.1-codex", "exec_command": "gpt-5.4"}[style]

    def new_turn() -> None:
        nonlocal turn
        turn = str(uuid.uuid5(NS, f"{name}/turn{len(lines)}"))
        if style == "exec_command":
            emit("event_msg", {"type": "task_started", "turn_id": turn, "model_context_window": 258400})
        ctx: dict = {
            "cwd": cwd,
            "approval_policy": "on-request",
            "sandbox_policy": {"type": "workspace-write", "network_access": False}
            if newer
            else {"mode": "workspace-write"},
            "model": model,
            "summary": "auto",
        }
        if newer:
            ctx = {"turn_id": turn, **ctx, "current_date": _ts(t)[:10], "timezone": "Europe/Oslo"}
        emit("turn_context", ctx)

    if newer:
        new_turn()
        emit(
            "response_item",
            {
                "type": "message",
                "role": "user",
                "content": [
                    {
                        "type": "input_text",
                        "text": f"<environment_context>\n  <cwd>{cwd}</cwd>\n  <shell>zsh</shell>\n</environment_context>",
                    }
                ],
            },
        )
    else:
        new_turn()
    running: dict[str, tuple[str, str]] = {}
    first_user = True
    for step in steps:
        kind = step[0]
        n += 1
        call_id = f"call_{_hex(f'{name}/c{n}', 24)}"
        if kind == "user":
            if newer and not first_user:
                new_turn()
            first_user = False
            emit(
                "response_item",
                {"type": "message", "role": "user", "content": [{"type": "input_text", "text": step[1]}]},
            )
            if newer:
                emit(
                    "event_msg",
                    {"type": "user_message", "message": step[1], "images": [], "local_images": [], "text_elements": []},
                )
        elif kind == "say":
            said = say_text(step)
            item: dict = {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": said}]}
            if style == "exec_command":
                item["phase"] = "commentary"
            emit("response_item", item)
            if newer:
                emit("event_msg", {"type": "agent_message", "message": said})
            tokens()
        elif kind == "gap":
            t += timedelta(hours=step[1])
        elif kind in ("bash", "bash_t"):
            secs = 4.7
            if kind == "bash":
                _, cmd, code, out, *given = step
                ms = None
                secs = given[0] if given else secs
            else:
                _, cmd, ms, code, out = step
            if style == "shell":
                args: dict = {"command": ["bash", "-lc", cmd], "workdir": cwd}
            elif style == "shell_command":
                args = {"command": cmd, "workdir": cwd}
            else:
                args = {"cmd": cmd, "workdir": cwd, "yield_time_ms": 10000, "max_output_tokens": 8000}
            if ms is not None:
                args["timeout_ms"] = ms
            emit(
                "response_item",
                {"type": "function_call", "name": style, "arguments": json.dumps(args), "call_id": call_id},
            )
            tokens()
            if code is not None and ms is None:
                t += timedelta(seconds=secs)
            if style == "shell":
                if code is None:
                    assert ms is not None, "a timed-out call has a timeout"
                    t += timedelta(milliseconds=ms)
                    body = {
                        "output": f"command timed out after {ms + 41} milliseconds\n{out}",
                        "metadata": {"exit_code": 124, "duration_seconds": round(ms / 1000 + 0.04, 2)},
                    }
                else:
                    body = {"output": out, "metadata": {"exit_code": code, "duration_seconds": secs}}
                text = json.dumps(body)
            elif style == "shell_command":
                if code is None:
                    assert ms is not None, "a timed-out call has a timeout"
                    t += timedelta(milliseconds=ms)
                    text = f"Exit code: 124\nWall time: {ms / 1000:.1f} seconds\nOutput:\ncommand timed out after {ms + 41} milliseconds\n{out}\n"
                else:
                    text = f"Exit code: {code}\nWall time: {secs:.1f} seconds\nOutput:\n{out}\n"
            else:
                head = f"Command: /bin/zsh -lc {shlex.quote(cmd)}\nChunk ID: {_hex(call_id, 6)}\n"
                if code is None:
                    pid = str(4000 + n * 7)
                    running[cmd] = (pid, cmd)
                    t += timedelta(milliseconds=10000)
                    text = f"{head}Wall time: 10.0018 seconds\nProcess running with session ID {pid}\nOriginal token count: 96\nOutput:\n{out}\n"
                else:
                    text = f"{head}Wall time: {secs:.4f} seconds\nProcess exited with code {code}\nOriginal token count: 212\nOutput:\n{out}\n"
                    emit(
                        "event_msg",
                        {
                            "type": "exec_command_end",
                            "call_id": call_id,
                            "process_id": str(4000 + n * 7),
                            "turn_id": turn,
                            "command": ["/bin/zsh", "-lc", cmd],
                            "cwd": cwd,
                            "source": "unified_exec_startup",
                            "stdout": "",
                            "stderr": "",
                            "aggregated_output": out,
                            "exit_code": code,
                            "duration": {"secs": int(secs), "nanos": int(round(secs % 1, 4) * 1e9)},
                            "formatted_output": "",
                            "status": "completed",
                        },
                    )
            emit("response_item", {"type": "function_call_output", "call_id": call_id, "output": text})
        elif kind == "poll":
            _, cmd, yield_ms, code, out = step
            pid, _cmd = running[cmd]
            args = {"session_id": int(pid), "chars": "", "yield_time_ms": yield_ms, "max_output_tokens": 8000}
            emit(
                "response_item",
                {"type": "function_call", "name": "write_stdin", "arguments": json.dumps(args), "call_id": call_id},
            )
            tokens()
            t += timedelta(milliseconds=yield_ms)
            head = f"Chunk ID: {_hex(call_id, 6)}\nWall time: {yield_ms / 1000:.4f} seconds\n"
            if code is None:
                text = f"{head}Process running with session ID {pid}\nOriginal token count: 88\nOutput:\n{out}\n"
            else:
                text = f"{head}Process exited with code {code}\nOriginal token count: 140\nOutput:\n{out}\n"
            emit("response_item", {"type": "function_call_output", "call_id": call_id, "output": text})
        elif kind == "edit":
            _, path, old, new = step[:4]
            emit(
                "response_item",
                {
                    "type": "custom_tool_call",
                    "status": "completed",
                    "call_id": call_id,
                    "name": "apply_patch",
                    "input": _patch(path, old, new),
                },
            )
            done = f"Success. Updated the following files:\nM {path}\n"
            code = 0
            if len(step) == 5:  # ("edit", path, old, new, error): the patch did not apply
                done, code = step[4], 1
            if style == "shell":
                out_text = json.dumps({"output": done, "metadata": {"exit_code": code, "duration_seconds": 0.1}})
            else:
                out_text = f"Exit code: {code}\nWall time: 0.1 seconds\nOutput:\n{done}"
            emit("response_item", {"type": "custom_tool_call_output", "call_id": call_id, "output": out_text})
        else:
            raise ValueError(kind)
    if style == "exec_command":
        emit("event_msg", {"type": "task_complete", "turn_id": turn, "last_agent_message": None})
    return sid, "".join(_line(x) for x in lines)


def say_text(step: tuple) -> str:
    """The text of a say step: one sentence, or a message made of labelled parts and joiners."""
    if isinstance(step[1], str):
        return step[1]
    return "".join(p if isinstance(p, str) else p[0] for p in step[1])


def said(step: tuple) -> list[tuple[str, str]]:
    """(sentence, verdict) for every labelled part of a say step."""
    if isinstance(step[1], str):
        return [(step[1], step[2])]
    return [p for p in step[1] if not isinstance(p, str)]


def _gemini_hash(cwd: str) -> str:
    return hashlib.sha256(cwd.encode("utf-8")).hexdigest()


def gemini_session(name: str, cwd: str, start: datetime, steps: list, jsonl: bool) -> tuple[str, str]:
    """Render scripted steps as a Gemini CLI chat recording (legacy document or JSONL)."""
    sid = _sid(name)
    t = start
    messages: list[dict] = []
    n = 0
    model = "gemini-3-pro-preview"

    def stamp() -> str:
        nonlocal t
        out = _ts(t)
        t += STEP
        return out

    def tokens(k: int) -> dict:
        inp = 9000 + 700 * k
        cached = 6000 + 500 * k if k % 3 else 0
        out, thoughts = 60 + 7 * (k % 11), 180 + 13 * (k % 7)
        return {
            "input": inp,
            "output": out,
            "cached": cached,
            "thoughts": thoughts,
            "tool": 0,
            "total": inp + out + thoughts,
        }

    def gemini(content: str, calls: list | None = None) -> None:
        nonlocal n
        n += 1
        rec: dict = {
            "id": str(uuid.uuid5(NS, f"{name}/g{n}")),
            "timestamp": stamp(),
            "type": "gemini",
            "content": content,
            "thoughts": [
                {
                    "subject": "Checking the result" if calls is None else "Running the next step",
                    "description": "I look at what the last step printed before I decide what to do next.",
                    "timestamp": _ts(t - STEP - timedelta(seconds=2.4)),
                }
            ],
            "tokens": tokens(n),
            "model": model,
        }
        if calls:
            rec["toolCalls"] = calls
        messages.append(rec)

    def call_id(tool: str) -> str:
        return f"{tool}_{int(t.timestamp() * 1000)}_0"

    for step in steps:
        kind = step[0]
        if kind == "user":
            n += 1
            messages.append(
                {
                    "id": str(uuid.uuid5(NS, f"{name}/u{n}")),
                    "timestamp": stamp(),
                    "type": "user",
                    "content": [{"text": step[1]}],
                }
            )
        elif kind == "say":
            gemini(say_text(step))
        elif kind == "gap":
            t += timedelta(hours=step[1])
        elif kind == "bash":
            _, cmd, code, out, *secs = step
            cid = call_id("run_shell_command")
            body = f"Output: {out}\n"
            if code:
                body += f"Exit Code: {code}\n"
            body += f"Process Group PGID: {600000 + 37 * n}"
            started = t
            t += timedelta(seconds=secs[0] if secs else 3.2)
            gemini(
                "",
                [
                    {
                        "id": cid,
                        "name": "run_shell_command",
                        "args": {
                            "command": cmd,
                            "description": "Run the check.",
                            "dir_path": cwd,
                            "is_background": False,
                        },
                        "result": [
                            {
                                "functionResponse": {
                                    "id": cid,
                                    "name": "run_shell_command",
                                    "response": {"output": body},
                                }
                            }
                        ],
                        "status": "success",
                        "timestamp": _ts(started + timedelta(seconds=secs[0] if secs else 3.2)),
                        "resultDisplay": out,
                        "description": f"{cmd} [in {cwd}] (Run the check.)",
                        "displayName": "Shell",
                        "renderOutputAsMarkdown": False,
                    }
                ],
            )
        elif kind == "edit":
            _, path, old, new = step
            full = path if path.startswith("/") else f"{cwd}/{path}"
            cid = call_id("replace")
            gemini(
                "",
                [
                    {
                        "id": cid,
                        "name": "replace",
                        "args": {
                            "allow_multiple": False,
                            "file_path": full,
                            "instruction": "Apply the change described above.",
                            "new_string": new,
                            "old_string": old,
                        },
                        "result": [
                            {
                                "functionResponse": {
                                    "id": cid,
                                    "name": "replace",
                                    "response": {"output": f"Successfully modified file: {full} (1 replacements)."},
                                }
                            }
                        ],
                        "status": "success",
                        "timestamp": _ts(t),
                        "resultDisplay": {
                            "fileDiff": f"Index: {path.rsplit('/', 1)[-1]}\n===================================================================\n"
                            + "".join(f"-{x}\n" for x in old.split("\n"))
                            + "".join(f"+{x}\n" for x in new.split("\n")),
                            "fileName": path.rsplit("/", 1)[-1],
                            "filePath": full,
                            "originalContent": old,
                            "newContent": new,
                        },
                        "description": path,
                        "displayName": "Edit",
                        "renderOutputAsMarkdown": False,
                    }
                ],
            )
        else:
            raise ValueError(kind)
    meta = {
        "sessionId": sid,
        "projectHash": _gemini_hash(cwd),
        "startTime": _ts(start),
        "lastUpdated": messages[-1]["timestamp"],
        "kind": "main",
    }
    if jsonl:
        first = {k: v for k, v in meta.items() if k != "lastUpdated"}
        return sid, "".join(_line(x) for x in [first, *messages, {"$set": {"lastUpdated": meta["lastUpdated"]}}])
    return sid, json.dumps({**meta, "messages": messages}, indent=2, ensure_ascii=False) + "\n"


def aider_id(start: datetime, git_dir: str) -> str:
    """Aider writes no session id; this is the one the project's reader makes for a history."""
    return f"aider-{start.strftime('%Y%m%dT%H%M%S')}-{hashlib.sha1(git_dir.encode('utf-8')).hexdigest()[:8]}"


def _out_block(text: str) -> list[str]:
    """Aider's output: '> ' on the first line only, two spaces closing the last line."""
    lines = text.rstrip().split("\n")
    lines[0] = "> " + lines[0]
    lines[-1] += "  "
    return lines


def aider_session(name: str, git_dir: str, start: datetime, steps: list) -> tuple[str, str]:
    """One session of an ``.aider.chat.history.md``: banner, typed lines, /run outputs, replies."""
    sid = aider_id(start, git_dir)
    out: list[str] = [
        "",
        f"# aider chat started at {start.strftime('%Y-%m-%d %H:%M:%S')}",
        "",
        f"> {git_dir.split('/src/')[0]}/.local/bin/aider --model deepseek/deepseek-chat --no-auto-lint  ",
        "> Aider v0.86.2  ",
        "> Main model: deepseek/deepseek-chat with diff edit format, prompt cache, infinite output  ",
        "> Git repo: .git with 187 files  ",
        "> Repo-map: using 4096 tokens, auto refresh  ",
        f"> Cur working dir: {git_dir}  ",
        f"> Git working dir: {git_dir}  ",
        "",
    ]
    reply: list[str] = []
    applied: list[str] = []
    sent = 8200
    total = 0.0

    def flush() -> None:
        nonlocal reply, applied, sent, total
        if not reply:
            return
        out.extend("\n\n".join(reply).split("\n"))
        out.append("")
        sent += 1300
        cost = round(sent * 1.25e-6 + 400 * 1e-5, 2)
        total = round(total + cost, 2)
        out.append(
            f"> Tokens: {sent / 1000:.1f}k sent, 412 received. Cost: ${cost:.2f} message, ${total:.2f} session.  "
        )
        out.extend(applied)
        out.append("")
        reply, applied = [], []

    for step in steps:
        kind = step[0]
        if kind == "user":
            flush()
            out.extend(f"#### {x}  " for x in step[1].split("\n"))
            out.append("")
        elif kind == "say":
            reply.append(say_text(step))
        elif kind == "edit":
            _, path, old, new = step
            lang = {"rb": "ruby", "el": "elisp", "bats": "bash", "robot": "robotframework", "conf": "ini"}.get(
                path.rsplit(".", 1)[-1], path.rsplit(".", 1)[-1]
            )
            reply.append(f"{path}\n```{lang}\n<<<<<<< SEARCH\n{old}\n=======\n{new}\n>>>>>>> REPLACE\n```")
            sha = _hex(f"{name}/{path}/{len(out)}", 7)
            applied.extend(
                [
                    f"> Applied edit to {path}  ",
                    f"> Commit {sha} fix: Update {path.rsplit('/', 1)[-1]}  ",
                    "> You can use /undo to undo and discard each aider commit.  ",
                ]
            )
        elif kind == "bash":
            flush()
            _, cmd, _code, text, *_ = step
            out.append(f"#### /run {cmd}  ")
            out.extend(_out_block(text))
            out.append("> Add the output to the chat? (y/n/instructions): y  ")
            out.extend(f"> {x}  " if x.strip() else ">  " for x in text.rstrip().split("\n"))
            out.append("")
        else:
            raise ValueError(kind)
    flush()
    return sid, "\n".join(out) + "\n"


def _day(day: int, hour: int = 9, minute: int = 4) -> datetime:
    return datetime(2027, 2, day, hour, minute, 0, tzinfo=UTC)


X, L, M, N = "exotic", "legit", "mundane", "non_claim"


def msg(*parts: object) -> tuple:
    """An agent message of several labelled sentences (tuples) and the text between them (strings)."""
    return ("say", list(parts))


RA = "/home/rafael/code"
SU = "/Users/sunniva/work"
TA = "/home/tariq/src"

# ---------------------------------------------------------------- spirals

MS = "tests/test_catalog_index.py"
MS_OLD = (
    '    task = client.index("products").add_documents(docs)\n    client.wait_for_task(task.task_uid, timeout_in_ms={})'
)
MS_CMD = "pytest tests/test_catalog_index.py -q"
MS_FAIL = "F.\n=================================== FAILURES ===================================\n_________________________ test_search_finds_new_sku _________________________\n>       client.wait_for_task(task.task_uid, timeout_in_ms={0})\nE       meilisearch.errors.MeilisearchTimeoutError: MeilisearchTimeoutError, timeout of {0}ms has exceeded on process {1} when waiting for pending update to resolve.\ntests/test_catalog_index.py:31: MeilisearchTimeoutError\n1 failed, 1 passed in {2}s"
S_MEILI = [
    (
        "user",
        "test_search_finds_new_sku has been red since I moved the indexing into the fixture. can you look",
        "report",
    ),
    ("bash", MS_CMD, 1, MS_FAIL.format(5000, 41, "5.62"), 6.0),
    msg(
        ("The add_documents task never resolves within five seconds here.", N),
        " ",
        ("Raising the wait to 15 s to see whether it is just slow on a cold index.", N),
    ),
    ("edit", MS, MS_OLD.format(5000), MS_OLD.format(15000)),
    ("bash", MS_CMD, 1, MS_FAIL.format(15000, 43, "15.71"), 16.0),
    (
        "say",
        "Meilisearch batches document additions in the background, so a freshly started container probably needs longer to warm its LMDB map before the first batch is processed.",
        X,
    ),
    ("edit", MS, MS_OLD.format(15000), MS_OLD.format(45000)),
    ("bash", MS_CMD, 1, MS_FAIL.format(45000, 45, "45.80"), 46.0),
    ("edit", MS, MS_OLD.format(45000), MS_OLD.format(120000)),
    ("bash", MS_CMD, 1, MS_FAIL.format(120000, 47, "120.93"), 121.0),
    msg(
        ("Two minutes and still pending, so waiting longer is not the answer.", N),
        " ",
        ("Checking what the task queue actually holds.", N),
    ),
    (
        "bash",
        "curl -s 'http://localhost:7700/tasks?indexUids=products&limit=3' -H \"Authorization: Bearer $MEILI_MASTER_KEY\" | jq '.results[] | {uid, status, type}'",
        0,
        '{\n  "uid": 47,\n  "status": "enqueued",\n  "type": "documentAdditionOrUpdate"\n}\n{\n  "uid": 46,\n  "status": "processing",\n  "type": "indexDeletion"\n}\n{\n  "uid": 44,\n  "status": "processing",\n  "type": "indexDeletion"\n}',
    ),
    msg(
        (
            "The fixture deletes the index without waiting for the deletion, and each run enqueues another deletion ahead of our addition, so the addition sits behind them.",
            M,
        ),
        "\n\n",
        ("I'll wait on the deletion task in the fixture and put the timeout back to 5 s.", N),
    ),
    (
        "edit",
        "tests/conftest.py",
        '    client.index("products").delete()',
        '    client.wait_for_task(client.index("products").delete().task_uid, timeout_in_ms=5000)',
    ),
    ("edit", MS, MS_OLD.format(120000), MS_OLD.format(5000)),
    ("bash", MS_CMD, 0, "..\n2 passed in 0.84s", 1.0),
    ("say", "Both catalog tests pass in under a second with the original 5 s wait.", N),
]

FD_CMD = "pytest tests/integration/test_ledger_txn.py -q -x"
FD_PART = "tests/integration/test_ledger_txn.py ..\n[fdb] cluster file /etc/foundationdb/fdb.cluster, coordinators 127.0.0.1:4500\n[fdb] retrying transaction (1020 not_committed)\n[fdb] retrying transaction (1020 not_committed)\n[fdb] retrying transaction (1020 not_committed)"
S_FDB = [
    (
        "user",
        "Run the ledger integration tests against the local fdb before I merge the transfer rewrite.",
        "not_report",
    ),
    ("bash_t", FD_CMD, 60000, None, FD_PART),
    (
        "say",
        "The third test is still retrying when the one-minute budget runs out; I'll give the command three minutes.",
        N,
    ),
    ("bash_t", FD_CMD, 180000, None, FD_PART + "\n[fdb] retrying transaction (1020 not_committed)"),
    msg(
        ("Still stuck on the same conflict.", N),
        " ",
        (
            "I think the single-process fdbserver started by the test image is running with the memory storage engine, and its conflict window behaves differently under sustained writes than the ssd engine does.",
            X,
        ),
    ),
    (
        "bash_t",
        FD_CMD,
        420000,
        None,
        FD_PART + "\n[fdb] retrying transaction (1020 not_committed)\n[fdb] retrying transaction (1020 not_committed)",
    ),
    (
        "bash_t",
        FD_CMD,
        600000,
        None,
        FD_PART + "\n[fdb] retrying transaction (1020 not_committed)\n[fdb] retrying transaction (1020 not_committed)",
    ),
    msg(
        ("Ten minutes, the longest budget the tool allows, and test_concurrent_transfers never finishes.", N),
        " ",
        ("I have not found the cause yet.", N),
        " ",
        (
            "The retries point at two transfers writing the same balance key, though I did not prove it.",
            M,
        ),
    ),
    ("user", "ok leave it, I'll pair with Ingrid on it tomorrow", "not_report"),
]

TR_CMD = "./mvnw -q -pl trino-reports verify -Dit.test=DailyRollupIT"
TR_FAIL = "[ERROR] Tests run: 3, Failures: 0, Errors: 1, Skipped: 0\n[ERROR] DailyRollupIT.rollupMatchesRawEvents:74 » QueryFailed Query exceeded maximum time limit of {}s"
S_TRINO = [
    ("user", "DailyRollupIT keeps dying on my machine, the rest of the module is fine", "report"),
    (
        "bash_t",
        TR_CMD,
        30000,
        None,
        "[INFO] Running com.kestrel.reports.DailyRollupIT\n2027-02-03T10:14:21.330Z INFO main io.trino.testing.DistributedQueryRunner Created TestingTrinoServer",
    ),
    (
        "bash_t",
        TR_CMD,
        90000,
        None,
        "[INFO] Running com.kestrel.reports.DailyRollupIT\n2027-02-03T10:16:02.118Z INFO query-execution-2 io.trino.execution.QueryStateMachine Query 20270203_101602_00004_xk2p9 is RUNNING",
    ),
    (
        "say",
        "It gets further with 90 s but the rollup query is still running; a DistributedQueryRunner with three workers probably spends most of that time in plugin loading on this laptop.",
        X,
    ),
    ("bash_t", TR_CMD, 300000, 1, TR_FAIL.format(240)),
    ("bash_t", TR_CMD, 900000, 1, TR_FAIL.format(240)),
    msg(
        ("The query itself hits its own 240 s limit regardless of how long I let Maven run.", N),
        " ",
        ("Marking DailyRollupIT as @Disabled for now so the module goes green, with a TODO pointing at the query.", N),
    ),
    (
        "edit",
        "trino-reports/src/test/java/com/kestrel/reports/DailyRollupIT.java",
        "    @Test\n    void rollupMatchesRawEvents()",
        '    @Disabled("slow on dev machines, see TODO")\n    @Test\n    void rollupMatchesRawEvents()',
    ),
    ("bash_t", TR_CMD, 300000, 0, "[INFO] Tests run: 3, Failures: 0, Errors: 0, Skipped: 1"),
    ("say", "The module verifies now, with the rollup test skipped.", N),
]

HZ = "mvn -q test -Dtest=SessionMapTest -Dsurefire.timeout={} 2>&1 | tail -6"
HZ_FAIL = "[ERROR] There was a timeout in the fork\n[ERROR] Tests run: 0, Failures: 0, Errors: 0, Skipped: 0\n[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.5.2:test (default-test) on project session-store: There was a timeout in the fork -> [Help 1]\n[ERROR] Re-run Maven using the -X switch to enable full debug logging.\n[ERROR] For more information about the errors and possible solutions, please refer to the following articles:\n[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoFailureException"
S_HAZEL = [
    ("user", "SessionMapTest hangs since we bumped hazelcast to 5.5", "report"),
    ("bash", HZ.format(60), 0, HZ_FAIL, 61.0),
    msg(("The fork is killed at 60 s.", N), " ", ("Trying three minutes.", N)),
    ("bash", HZ.format(180), 0, HZ_FAIL, 181.0),
    ("bash", HZ.format(600), 0, HZ_FAIL, 601.0),
    (
        "say",
        "Es posible que el descubrimiento multicast de Hazelcast esté esperando a otros miembros en la red de la oficina y que por eso el arranque tarde tanto.",
        X,
    ),
    ("bash", HZ.format(1200), 0, HZ_FAIL, 1201.0),
    (
        "bash",
        "grep -n -A3 'join' src/test/resources/hazelcast-test.yaml",
        0,
        '7:    join:\n8-      auto-detection:\n9-        enabled: true\n10-      tcp-ip:\n11-        enabled: true\n12-        member-list: ["10.0.4.17"]',
    ),
    msg(
        (
            "The test config lists a fixed member at 10.0.4.17 that does not exist outside the old staging VPN, so the instance waits for it to join before it will start.",
            M,
        ),
        " ",
        ("Switching the test config to a single local member.", N),
    ),
    (
        "edit",
        "src/test/resources/hazelcast-test.yaml",
        '        member-list: ["10.0.4.17"]',
        '        member-list: ["127.0.0.1"]',
    ),
    (
        "bash",
        "mvn -q test -Dtest=SessionMapTest 2>&1 | tail -6",
        0,
        "[INFO] Tests run: 4, Failures: 0, Errors: 0, Skipped: 0\n[INFO] BUILD SUCCESS",
        14.0,
    ),
    ("say", "SessionMapTest passes in 14 s without any surefire timeout.", N),
]

BT = "BATS_TEST_TIMEOUT={} bats test/install.bats || true"
BT_FAIL = '1..3\nok 1 installer refuses to run as root\nnot ok 2 installer fetches the release tarball\n# (in test file test/install.bats, line 22)\n#   `run ./install.sh --prefix "$BATS_TEST_TMPDIR"\' failed due to timeout\nok 3 installer prints the version'
S_BATS = [
    ("user", "The second install test times out in CI. Fix it please, I need the release cut today.", "report"),
    ("bash", BT.format(5), 0, BT_FAIL, 6.0),
    ("bash", BT.format(15), 0, BT_FAIL, 16.0),
    (
        "say",
        "Probably the GitHub release CDN is throttling us from this IP range, which would make the tarball download crawl.",
        X,
    ),
    ("bash", BT.format(45), 0, BT_FAIL, 46.0),
    ("bash", BT.format(120), 0, BT_FAIL, 121.0),
    msg(
        ("Test 2 still times out at 120 s.", N),
        " ",
        (
            "Summary: raised BATS_TEST_TIMEOUT from 5 to 120 s, tests 1 and 3 pass, test 2 does not; the cause is not found.",
            N,
        ),
    ),
]

FB = "tests/fluent-bit.conf"
FB_OLD = "[OUTPUT]\n    Name              loki\n    Match             app.*\n    Host              loki\n    Port              3100\n    net.connect_timeout {}"
FB_CMD = "./scripts/pipeline-test.sh"
FB_FAIL = "[2027/02/05 14:02:11] [ info] [output:loki:loki.0] configured, hostname=loki:3100\n[2027/02/05 14:02:{0:02d}] [error] [net] connection #42 timeout after {1} seconds to: loki:3100\n[2027/02/05 14:02:{0:02d}] [error] [output:loki:loki.0] no upstream connections available\nFAIL: 0 of 12 lines reached loki"
S_FB_1 = [
    ("user", "pipeline-test.sh fails on the fluent-bit branch, 0 lines reach loki", "report"),
    ("bash", FB_CMD, 1, FB_FAIL.format(16, 5)),
    ("edit", FB, FB_OLD.format(5), FB_OLD.format(15)),
    ("bash", FB_CMD, 1, FB_FAIL.format(26, 15)),
    (
        "say",
        "Loki's ingester ring takes a while to become ACTIVE after start-up, so the first connections are probably refused until it joins.",
        X,
    ),
    ("edit", FB, FB_OLD.format(15), FB_OLD.format(45)),
    ("bash", FB_CMD, 1, FB_FAIL.format(56, 45)),
    ("say", "I'll pick this up tomorrow with a longer connect timeout and the container logs.", N),
]
S_FB_2 = [
    ("user", "continuing the fluent-bit → loki test from yesterday", "not_report"),
    ("edit", FB, FB_OLD.format(45), FB_OLD.format(120)),
    ("bash", FB_CMD, 1, FB_FAIL.format(11, 120)),
    ("say", "Still a connect timeout after two minutes.", N),
    (
        "bash",
        "docker compose -f tests/compose.yaml ps --format '{{.Name}} {{.Ports}}'",
        0,
        "tests-fluentbit-1 2020/tcp\ntests-loki-1 0.0.0.0:3100->3100/tcp\ntests-app-1 ",
    ),
    (
        "bash",
        "docker compose -f tests/compose.yaml config --format json | jq '.services.loki.networks, .services.fluentbit.networks'",
        0,
        '{\n  "observability": null\n}\n{\n  "default": null\n}',
    ),
    msg(
        (
            "fluent-bit is on the default network and loki only on observability, so the name resolves from the host but nothing inside the fluent-bit container can reach it.",
            M,
        ),
        " ",
        ("Adding fluentbit to the observability network and restoring the 5 s timeout.", N),
    ),
    (
        "edit",
        "tests/compose.yaml",
        "  fluentbit:\n    image: fluent/fluent-bit:3.2\n    networks: [default]",
        "  fluentbit:\n    image: fluent/fluent-bit:3.2\n    networks: [default, observability]",
    ),
    ("edit", FB, FB_OLD.format(120), FB_OLD.format(5)),
    (
        "bash",
        FB_CMD,
        0,
        "[2027/02/06 09:31:40] [ info] [output:loki:loki.0] configured, hostname=loki:3100\nOK: 12 of 12 lines reached loki",
    ),
    ("say", "All 12 lines reach Loki with the original 5 s connect timeout.", N),
]

RB = "tests/checkout.robot"
RB_OLD = (
    "    Click Button    id:pay\n    Wait Until Keyword Succeeds    {}    2s    Page Should Contain    Order confirmed"
)
RB_CMD = "robot --outputdir results tests/checkout.robot"
RB_FAIL = "==============================================================================\nCheckout\n==============================================================================\nGuest Can Pay With Card                                               | FAIL |\nKeyword 'Page Should Contain' failed after retrying for {}. The last error was: Page should have contained text 'Order confirmed' but did not.\n------------------------------------------------------------------------------\nCheckout                                                              | FAIL |\n1 test, 0 passed, 1 failed"
S_RB_1 = [
    ("user", "Guest Can Pay With Card fails on staging-like env. Have a look when you can", "report"),
    ("bash", RB_CMD, 1, RB_FAIL.format("10 seconds")),
    ("edit", RB, RB_OLD.format("10s"), RB_OLD.format("30s")),
    ("bash", RB_CMD, 1, RB_FAIL.format("30 seconds")),
    (
        "say",
        "Der Zahlungsanbieter-Sandbox antwortet vermutlich nachmittags langsamer, weil dann alle Teams ihre Tests dagegen fahren.",
        X,
    ),
    ("edit", RB, RB_OLD.format("30s"), RB_OLD.format("60s")),
    ("bash", RB_CMD, 1, RB_FAIL.format("1 minute")),
    ("say", "Stopping here for today; the test still fails at 60 s.", N),
]
S_RB_2 = [
    ("user", "back on the robot checkout test", "not_report"),
    ("edit", RB, RB_OLD.format("60s"), RB_OLD.format("3 min")),
    ("bash", RB_CMD, 1, RB_FAIL.format("3 minutes")),
    msg(
        ("Three minutes did not help either.", N),
        " ",
        ("Tagging the test as flaky and excluding the tag in CI so the pipeline unblocks.", N),
    ),
    (
        "edit",
        RB,
        "Guest Can Pay With Card\n    [Tags]    checkout",
        "Guest Can Pay With Card\n    [Tags]    checkout    flaky",
    ),
    (
        "edit",
        ".gitlab-ci.yml",
        "    - robot --outputdir results tests/",
        "    - robot --exclude flaky --outputdir results tests/",
    ),
    (
        "bash",
        "robot --exclude flaky --outputdir results tests/",
        0,
        "Tests                                                                 | PASS |\n4 tests, 4 passed, 0 failed",
    ),
    ("say", "The suite passes with the flaky checkout test excluded.", N),
]

TC = "npx testcafe chrome:headless tests/signup.test.js --selector-timeout {} 2>&1 | tee run.log"
TC_FAIL = " Running tests in:\n - Chrome 132.0.0.0 / Ubuntu 24.04\n\n Signup\n ✖ new user lands on the welcome page\n\n   1) The specified selector does not match any element in the DOM tree.\n\n       > | Selector('[data-test=welcome-banner]')\n\n      Browser: Chrome 132.0.0.0 / Ubuntu 24.04\n\n         18 |    await t.typeText('#password', 'correct horse battery');\n         19 |    await t.click('#signup');\n       > 20 |    await t.expect(Selector('[data-test=welcome-banner]').exists).ok();\n\n 1/1 failed ({}s)"
S_TESTCAFE = [
    ("user", "the signup e2e test is failing, the welcome banner never shows up", "report"),
    ("bash", TC.format(3000), 0, TC_FAIL.format("4")),
    ("bash", TC.format(10000), 0, TC_FAIL.format("11")),
    (
        "say",
        "Headless Chrome in this container may be starved of shared memory, which slows rendering enough that the banner appears late.",
        X,
    ),
    ("bash", TC.format(30000), 0, TC_FAIL.format("31")),
    ("bash", TC.format(60000), 0, TC_FAIL.format("61")),
    (
        "bash",
        "grep -rn 'welcome' src/pages/Welcome.jsx | head -5",
        0,
        'src/pages/Welcome.jsx:12:    <section data-testid="welcome-banner" className="banner">',
    ),
    msg(
        ("The component uses data-testid, the test looks for data-test, so the selector can never match.", M),
        " ",
        ("Fixing the selector and going back to the default timeout.", N),
    ),
    (
        "edit",
        "tests/signup.test.js",
        "Selector('[data-test=welcome-banner]')",
        "Selector('[data-testid=welcome-banner]')",
    ),
    (
        "bash",
        "npx testcafe chrome:headless tests/signup.test.js 2>&1 | tee run.log",
        0,
        " Running tests in:\n - Chrome 132.0.0.0 / Ubuntu 24.04\n\n Signup\n ✓ new user lands on the welcome page\n\n 1 passed (3s)",
    ),
    ("say", "The signup test passes in 3 s.", N),
]

# ---------------------------------------------------------------- look-alikes

TS_CMD = "npm run test:integration -- --runInBand"
S_NS_TYPESENSE = [
    ("user", "Run the typesense integration suite; in CI it takes a while, last green run was 5m12s.", "not_report"),
    (
        "bash_t",
        TS_CMD,
        120000,
        None,
        "PASS tests/collections.int.test.ts (38.2 s)\nPASS tests/synonyms.int.test.ts (41.7 s)",
    ),
    msg(
        ("The two-minute budget ran out partway through, which matches the 5m12s you quoted for CI.", N),
        " ",
        ("Running it again with eight minutes, enough room for that duration.", N),
    ),
    (
        "bash_t",
        TS_CMD,
        480000,
        0,
        "PASS tests/collections.int.test.ts (38.0 s)\nPASS tests/synonyms.int.test.ts (41.2 s)\nPASS tests/curation.int.test.ts (77.5 s)\nPASS tests/geosearch.int.test.ts (118.9 s)\n\nTest Suites: 4 passed, 4 total\nTests:       61 passed, 61 total\nTime:        4 m 37 s",
    ),
    ("say", "All 61 integration tests pass in 4 m 37 s.", N),
]

MG = "config/memgraph.conf"
MG_OLD = "--query-execution-timeout-sec={}"
S_NS_MEMGRAPH = [
    (
        "user",
        "The recommendations job runs long analytical queries; bump memgraph's query timeout from 180 to 600 and run the smoke check.",
        "not_report",
    ),
    ("edit", MG, MG_OLD.format(180), MG_OLD.format(600)),
    ("bash", "./scripts/smoke.sh", 0, "memgraph up (v2.21.0)\nquery timeout: 600s\nsmoke: 9/9 queries ok"),
    ("user", "Actually make it 1200, the quarterly run is bigger.", "not_report"),
    ("edit", MG, MG_OLD.format(600), MG_OLD.format(1200)),
    ("bash", "./scripts/smoke.sh", 0, "memgraph up (v2.21.0)\nquery timeout: 1200s\nsmoke: 9/9 queries ok"),
    ("user", "and 3600 for the staging profile too please, same file is fine", "not_report"),
    ("edit", MG, MG_OLD.format(1200), MG_OLD.format(3600)),
    ("bash", "./scripts/smoke.sh", 0, "memgraph up (v2.21.0)\nquery timeout: 3600s\nsmoke: 9/9 queries ok"),
    ("say", "The query timeout is 3600 s and the nine smoke queries pass.", N),
]

QM = "scripts/boot-test.sh"
QM_OLD = "timeout {} qemu-system-aarch64 -M virt -cpu cortex-a72 -m 1024 -nographic -kernel build/Image -append 'console=ttyAMA0 panic=1' | tee boot.log"
S_NS_QEMU = [
    (
        "user",
        "The boot test hangs for five minutes before failing, that's too slow to iterate on. Make it fail fast and then find the panic.",
        "not_report",
    ),
    ("edit", QM, QM_OLD.format(300), QM_OLD.format(60)),
    (
        "bash",
        f"bash {QM}",
        0,
        '[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x410fd083]\n[    1.842113] VFS: Cannot open root device "(null)" or unknown-block(0,0): error -6\n[    1.842540] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
        60.0,
    ),
    ("edit", QM, QM_OLD.format(60), QM_OLD.format(20)),
    ("say", "The kernel panics at 1.8 s because no root device is given, so 20 s is plenty to see it.", M),
    (
        "edit",
        QM,
        QM_OLD.format(20),
        QM_OLD.format(20).replace(
            "panic=1'", "panic=1 root=/dev/vda rw' -drive file=build/rootfs.ext4,if=virtio,format=raw"
        ),
    ),
    (
        "bash",
        f"bash {QM}",
        0,
        "[    2.310224] EXT4-fs (vda): mounted filesystem with ordered data mode.\nWelcome to Kestrel Linux 0.3\nboot-test: reached login prompt",
    ),
    ("say", "Boot reaches the login prompt in about 2.3 s and the test fails within 20 s if it ever panics again.", N),
]

ZQ = "tests/test_broker.py"
S_NS_ZMQ = [
    ("user", "test_broker flakes about one run in five", "report"),
    (
        "bash",
        "pytest tests/test_broker.py -q -p no:randomly",
        1,
        "F...\nE   AssertionError: assert [] == [b'job-1']\n1 failed, 3 passed in 2.31s",
    ),
    ("edit", ZQ, "    time.sleep(2)", "    time.sleep(5)"),
    ("bash", "pytest tests/test_broker.py -q -p no:randomly", 0, "....\n4 passed in 5.28s"),
    msg(
        ("Passing with the longer sleep only hides the race.", N),
        " ",
        (
            "The subscriber misses messages published before its connection completes, the usual PUB/SUB slow-joiner behaviour.",
            M,
        ),
        " ",
        ("I'll replace the sleep with a poller that waits for the welcome message, with a 5 s deadline.", N),
    ),
    (
        "edit",
        ZQ,
        "    time.sleep(5)",
        '    poller = zmq.Poller()\n    poller.register(sub, zmq.POLLIN)\n    deadline = time.monotonic() + 5\n    while not sub_ready(sub, poller) and time.monotonic() < deadline:\n        pub.send(b"welcome")',
    ),
    (
        "bash",
        "for i in $(seq 20); do pytest tests/test_broker.py -q -p no:randomly || break; done 2>&1 | tail -2",
        0,
        "....\n4 passed in 0.19s",
    ),
    ("say", "Twenty runs in a row pass, each in about 0.2 s.", N),
]

HD_CMD = "mvn -q -pl hdfs-archiver package -DskipTests=false"
S_NS_HADOOP = [
    ("user", "Build the archiver with the tests on; the MiniDFSCluster ones take a few minutes.", "not_report"),
    (
        "bash",
        HD_CMD,
        None,
        "[INFO] Compiling 48 source files to /Users/sunniva/work/cold-archive/hdfs-archiver/target/classes",
    ),
    (
        "poll",
        HD_CMD,
        30000,
        None,
        "[INFO] Running com.kestrel.archive.BlockRollerTest\n[INFO] Tests run: 6, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 21.4 s",
    ),
    (
        "poll",
        HD_CMD,
        60000,
        None,
        "[INFO] Running com.kestrel.archive.MiniClusterArchiveTest\n2027-02-11 10:22:41,004 INFO  hdfs.MiniDFSCluster (MiniDFSCluster.java:waitActive(2811)) - Cluster is active",
    ),
    (
        "poll",
        HD_CMD,
        120000,
        None,
        "[INFO] Tests run: 9, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 97.2 s - in com.kestrel.archive.MiniClusterArchiveTest",
    ),
    (
        "poll",
        HD_CMD,
        180000,
        0,
        "[INFO] Tests run: 31, Failures: 0, Errors: 0, Skipped: 0\n[INFO] Building jar: /Users/sunniva/work/cold-archive/hdfs-archiver/target/hdfs-archiver-1.4.0.jar\n[INFO] BUILD SUCCESS",
    ),
    ("say", "The archiver builds with all 31 tests passing, the MiniDFSCluster suite taking about 97 s of it.", N),
]

# ---------------------------------------------------------------- sentences after failures

E_SEARCH = [
    (
        "user",
        "A few things are broken in the search service this morning, let's go through them one by one. First: the typo-tolerance test.",
        "report",
    ),
    (
        "bash",
        "pytest tests/test_typo.py -q",
        1,
        "F\nE   AssertionError: expected 'headphones' in hits for query 'hedphones', got []\n1 failed in 0.42s",
    ),
    msg(
        (
            "Typesense only applies typo tolerance to tokens of at least `min_len_1typo` characters, and the collection schema sets it to 9, so an eight-letter query gets no correction.",
            M,
        ),
        " ",
        ("Lowering it to 4 in the schema fixture.", N),
    ),
    ("edit", "tests/fixtures/schema.json", '"min_len_1typo": 9', '"min_len_1typo": 4'),
    ("bash", "pytest tests/test_typo.py -q", 0, ".\n1 passed in 0.39s"),
    (
        "user",
        "next: reindex.sh died overnight, here's the tail of the log\n```\n2027-02-12T02:14:07Z reindex: batch 118/240 ok\n2027-02-12T02:14:09Z reindex: import failed: Request failed with HTTP code 413 | Server said: Request Entity Too Large\n```",
        "report",
    ),
    msg(
        (
            "HTTP 413 from Typesense means the import body exceeded the server's `--max-request-size`, not that anything timed out.",
            L,
        ),
        " ",
        ("Batch 118 is the first one built after the description field was added, so our batches got bigger.", M),
    ),
    ("bash", "grep -n 'BATCH' scripts/reindex.sh", 0, "4:BATCH=5000"),
    ("edit", "scripts/reindex.sh", "BATCH=5000", "BATCH=1000"),
    (
        "bash",
        "./scripts/reindex.sh --dry-run | tail -2",
        0,
        "reindex: 1200 batches planned, largest 3.1 MB\nreindex: dry run, nothing sent",
    ),
    ("say", "With 1000 documents per batch the largest request is 3.1 MB, under the server limit.", N),
    (
        "tool_err",
        "Edit",
        {
            "file_path": "/home/rafael/code/catalog-search/src/ranking.ts",
            "old_string": "  boost: 1.5,",
            "new_string": "  boost: 2.0,",
        },
        "String to replace not found in file.\nString:   boost: 1.5,",
    ),
    msg(
        ("The edit did not apply because the string isn't in ranking.ts any more.", N),
        " ",
        ("Someone probably renamed the field in the last merge; I'll read the file first.", M),
    ),
    ("bash", "grep -n 'boost' src/ranking.ts", 0, "14:  textMatchBoost: 1.5,"),
    ("edit", "src/ranking.ts", "  textMatchBoost: 1.5,", "  textMatchBoost: 2.0,"),
    ("user", "and the memgraph recommendations test is red too", "report"),
    (
        "bash",
        "pytest tests/test_recommend.py -q",
        1,
        "F\nE   mgclient.DatabaseError: Query failed: Cannot allocate memory for the query result: current memory usage 1.02GiB, limit 1.00GiB\n1 failed in 8.12s",
    ),
    msg(
        ("Memgraph refused the query because it hit its 1 GiB memory limit, as the error says.", L),
        " ",
        (
            "The recommendation query expands every purchase path to depth 4 before filtering, which is what makes the result so large.",
            M,
        ),
        " ",
        ("Options: filter inside the expansion, or raise --memory-limit; I'd rather fix the query.", N),
    ),
    (
        "edit",
        "recommend/queries.cypher",
        "MATCH p=(u:User {id: $uid})-[:BOUGHT*1..4]-(x:Product)\nWITH p, x",
        "MATCH p=(u:User {id: $uid})-[:BOUGHT *1..4 (r, n | n.in_stock)]-(x:Product)\nWITH p, x",
    ),
    ("bash", "pytest tests/test_recommend.py -q", 1, "F\nE   AssertionError: assert 11 == 12\n1 failed in 1.02s"),
    msg(
        ("Maybe the index on `in_stock` is stale after the restart, which Memgraph is known to do under load.", X),
        " ",
        ("Hmm, no, I take that back: nothing in the output points at the index.", N),
        " ",
        (
            "The fixture marks one of the twelve products out of stock, so 11 is right and the test's expected value is wrong.",
            M,
        ),
    ),
    (
        "edit",
        "tests/test_recommend.py",
        "    assert len(recs) == 12",
        "    assert len(recs) == 11  # p-7 is out of stock in the fixture",
    ),
    ("bash", "pytest tests/test_recommend.py -q", 0, ".\n1 passed in 0.98s"),
    (
        "bash",
        "pytest tests/test_surreal_sync.py -q",
        1,
        "F\nE   surrealdb.errors.SurrealDbConnectionError: Connection refused (ws://localhost:8000/rpc)\n1 failed in 0.05s",
    ),
    ("bash", "docker ps --filter name=surreal --format '{{.Status}}'", 0, "Exited (137) 2 hours ago"),
    msg(
        (
            "The SurrealDB container was killed two hours ago with exit 137, so nothing is listening on 8000; that is why the connection is refused.",
            L,
        ),
        " ",
        ("Whether it was the OOM killer, `docker inspect` will tell.", N),
    ),
    ("bash", "docker inspect surreal --format '{{.State.OOMKilled}}'", 0, "true"),
    ("say", "Ja, den ble drept av OOM-killeren, så jeg starter den på nytt med en minnegrense på 2 GB.", L),
    (
        "bash",
        "docker run -d --name surreal -m 2g -p 8000:8000 surrealdb/surrealdb:v2.1 start --user root --pass root memory && pytest tests/test_surreal_sync.py -q",
        0,
        "4b1f0e2c9a77\n.\n1 passed in 0.61s",
    ),
    (
        "bash",
        "pytest tests/test_autocomplete.py -q",
        1,
        "F\nE   AssertionError: assert ['usb-c cable', 'usb hub'] == ['usb hub', 'usb-c cable']\n1 failed in 0.31s",
    ),
    msg(
        (
            "I wonder if the ordering differs because Meilisearch's ranking is nondeterministic between runs on ARM machines.",
            X,
        ),
        " ",
        (
            "Both hits have the same score, and Meilisearch breaks ties by internal document id, which changed when the fixture was regenerated.",
            M,
        ),
    ),
    (
        "edit",
        "tests/test_autocomplete.py",
        "    assert titles == ['usb hub', 'usb-c cable']",
        "    assert sorted(titles) == ['usb hub', 'usb-c cable']",
    ),
    ("bash", "pytest tests/test_autocomplete.py -q", 0, ".\n1 passed in 0.29s"),
    msg(
        (
            "Recap of this session: typo tolerance fixed in the schema fixture, reindex batches reduced to 1000, the recommendation query filters inside the expansion, SurrealDB restarted after an OOM kill, autocomplete test made order-insensitive.",
            N,
        ),
        " ",
        ("Everything listed passes.", N),
    ),
]

E_LOGS = [
    (
        "user",
        "The log pipeline repo has a pile of failures after the dependency bump. Start with `make test`.",
        "report",
    ),
    (
        "bash",
        "make test 2>&1 | tail -4",
        0,
        "--- FAIL: TestParseMultiline (0.00s)\n    parser_test.go:57: got 3 records, want 2\nFAIL\nok  \tgithub.com/kestrel-works/logpipe/ship\t0.412s",
    ),
    msg(
        (
            "`make test` printed FAIL for the parser package even though the pipe through tail made the exit status 0.",
            N,
        ),
        " ",
        (
            "The multiline rule starts a new record on any line beginning with a digit, and the Java stack frame `1 more` now starts a record of its own.",
            M,
        ),
    ),
    (
        "edit",
        "parser/multiline.go",
        "var start = regexp.MustCompile(`^\\d`)",
        "var start = regexp.MustCompile(`^\\d{4}-\\d{2}-\\d{2}`)",
    ),
    (
        "bash",
        "make test 2>&1 | tail -3",
        0,
        "ok  \tgithub.com/kestrel-works/logpipe/parser\t0.208s\nok  \tgithub.com/kestrel-works/logpipe/ship\t0.397s",
    ),
    (
        "edit",
        "ship/loki.go",
        '\treq.Header.Set("X-Scope-OrgID", tenant)',
        '\treq.Header.Set("X-Scope-OrgID", cfg.Tenant)',
        'Failed to find expected lines in ship/loki.go:\n\treq.Header.Set("X-Scope-OrgID", tenant)',
    ),
    msg(
        ("The patch failed because that header line isn't in ship/loki.go in this form.", N),
        " ",
        ("Let me look at how the tenant header is set now.", N),
    ),
    ("bash", "grep -n OrgID ship/*.go", 0, 'ship/client.go:88:\th.Set("X-Scope-OrgID", c.tenant)'),
    (
        "bash",
        "go test ./ship -run TestPushTenant -count=1",
        1,
        "--- FAIL: TestPushTenant (0.01s)\n    loki_test.go:40: push to http://127.0.0.1:39113/loki/api/v1/push: 401 Unauthorized: no org id\nFAIL",
    ),
    msg(
        ('Loki answered 401 "no org id", so the request reached it without the tenant header.', L),
        " ",
        (
            "c.tenant is only filled by NewClient, and the test builds the struct literal directly, so the header is empty.",
            M,
        ),
    ),
    ("edit", "ship/loki_test.go", "\tc := &Client{url: srv.URL}", '\tc := NewClient(srv.URL, "team-a")'),
    ("bash", "go test ./ship -run TestPushTenant -count=1", 0, "ok  \tgithub.com/kestrel-works/logpipe/ship\t0.031s"),
    (
        "user",
        "now the trino query test. it says this:\n```\nio.trino.spi.TrinoException: line 3:8: Column 'ts' cannot be resolved\n\tat io.trino.sql.analyzer.SemanticExceptions.semanticException(SemanticExceptions.java:48)\n```",
        "report",
    ),
    msg(
        (
            "Trino's analyzer rejects `ts` because the events table calls that column `event_time` since migration 14.",
            M,
        ),
        " ",
        ("Renaming it in the query.", N),
    ),
    (
        "edit",
        "queries/hourly_errors.sql",
        "SELECT date_trunc('hour', ts) AS hour",
        "SELECT date_trunc('hour', event_time) AS hour",
    ),
    (
        "bash",
        "trino --server localhost:8080 --catalog hive --schema logs -f queries/hourly_errors.sql --output-format CSV | head -3",
        0,
        '"2027-02-13 09:00:00.000","412"\n"2027-02-13 10:00:00.000","387"',
    ),
    (
        "bash",
        "trino --server localhost:8080 --catalog hive --schema logs --execute 'SELECT count(*) FROM raw_events' || echo exit=$?",
        0,
        "Query 20270213_111902_00031_q7h2m failed: Error opening Hive split hdfs://namenode:8020/warehouse/logs/raw_events/part-00017.orc (offset=0, length=67108864): Could not obtain block: BP-1183720651-10.0.3.4-1738411220814:blk_1073742911_2087 file=/warehouse/logs/raw_events/part-00017.orc\nexit=1",
    ),
    msg(
        ("The Hive split could not be read because HDFS could not obtain one of its blocks, which the error names.", L),
        " ",
        ("Perhaps a datanode went away and the block had only one replica.", X),
        " ",
        ("`hdfs fsck` on that file would confirm it.", N),
    ),
    (
        "bash",
        "hdfs fsck /warehouse/logs/raw_events/part-00017.orc -files -blocks -locations | tail -4",
        0,
        " Total blocks (validated):\t1 (avg. block size 67108864 B)\n Minimally replicated blocks:\t0 (0.0 %)\n Missing blocks:\t\t1\nThe filesystem under path '/warehouse/logs/raw_events/part-00017.orc' is CORRUPT",
    ),
    (
        "say",
        "fsck reports the block missing and the file CORRUPT, so the count fails on an unreadable file in HDFS.",
        L,
    ),
    (
        "bash",
        "zmq-bench --endpoint tcp://127.0.0.1:5557 --messages 100000 | tail -2",
        0,
        "sent 100000\nreceived 61244 (38.8% lost)",
    ),
    msg(
        (
            "The high-water mark drops messages when the subscriber falls behind, and our subscriber sets `RCVHWM` to 1000.",
            M,
        ),
        " ",
        ("Para este teste o mais simples é subir o HWM para 0, sem limite.", N),
    ),
    ("edit", "bench/sub.go", "\tsub.SetRcvhwm(1000)", "\tsub.SetRcvhwm(0)"),
    (
        "bash",
        "zmq-bench --endpoint tcp://127.0.0.1:5557 --messages 100000 | tail -2",
        0,
        "sent 100000\nreceived 87311 (12.7% lost)",
    ),
    msg(
        ("Still 12.7 % lost.", N),
        " ",
        ("It's possible that the kernel's loopback buffers overflow at this rate and silently drop TCP segments.", X),
        " ",
        ("Przypuszczam, że to wina sterownika sieciowego w tej maszynie wirtualnej.", X),
    ),
    (
        "bash",
        "grep -n 'Connect\\|Subscribe\\|time.Sleep' bench/sub.go bench/pub.go",
        0,
        'bench/sub.go:21:\tsub.Connect(endpoint)\nbench/sub.go:22:\tsub.SetSubscribe("")\nbench/pub.go:30:\tfor i := 0; i < n; i++ {',
    ),
    msg(
        (
            "The publisher starts sending immediately, so everything it sends before the subscription arrives is dropped: the slow-joiner case, not a loss in transit.",
            M,
        ),
        " ",
        ("I'll have the publisher wait for a ready message from the subscriber first.", N),
    ),
    (
        "say",
        "Summary so far: the multiline parser, the tenant header test and the Trino column are fixed; raw_events has a corrupt ORC file in HDFS; the ZeroMQ bench needs a start-up handshake.",
        N,
    ),
]

E_RUNNERS = [
    (
        "user",
        "The nightly bitbake build of the gateway image failed. Here's what the CI mail said:\n```\nERROR: kestrel-gateway-1.0-r0 do_rootfs: Could not invoke dnf. Command '/work/build/tmp/work/...' returned 1:\nError: Transaction test error:\n  installing package libgpiod-2.1-r0.cortexa53 needs 412MB more space on the / filesystem\n```",
        "report",
    ),
    msg(
        ("The rootfs ran out of room: dnf says libgpiod needs 412 MB more than the image has.", L),
        " ",
        ("IMAGE_ROOTFS_SIZE in our image recipe is fixed at 256 MB and the extra space factor is 1.0.", M),
    ),
    (
        "bash",
        "grep -n 'ROOTFS' meta-kestrel/recipes-core/images/kestrel-gateway.bb",
        0,
        '9:IMAGE_ROOTFS_SIZE = "262144"\n10:IMAGE_OVERHEAD_FACTOR = "1.0"',
    ),
    (
        "edit",
        "meta-kestrel/recipes-core/images/kestrel-gateway.bb",
        'IMAGE_ROOTFS_SIZE = "262144"',
        'IMAGE_ROOTFS_SIZE = "786432"',
    ),
    (
        "bash",
        "bitbake kestrel-gateway -c rootfs 2>&1 | tail -3",
        0,
        "NOTE: Tasks Summary: Attempted 4417 tasks of which 4411 didn't need to be rerun and all succeeded.\n\nSummary: There were 2 WARNING messages.",
    ),
    ("say", "The rootfs task succeeds with a 768 MB root filesystem.", N),
    ("user", "robot suite on the gateway fails at login, I see 'Connection refused' in the report", "report"),
    (
        "bash",
        "robot --outputdir results tests/gateway_login.robot",
        1,
        "Gateway Login :: Admin can log in over SSH                          | FAIL |\nSSHException: Error reading SSH protocol banner[Errno 111] Connection refused\n1 test, 0 passed, 1 failed",
    ),
    msg(
        ("Connection refused on the SSH banner means nothing accepted the connection on the port the test uses.", L),
        " ",
        ("Could be that QEMU's user-mode networking randomly loses forwarded ports after a few minutes.", X),
        " ",
        ("Or the forward is simply missing.", N),
    ),
    ("bash", "grep -n hostfwd scripts/run-qemu.sh", 0, "12:  -netdev user,id=net0,hostfwd=tcp::2222-:2222 \\"),
    msg(
        ("The QEMU forward sends host port 2222 to guest port 2222, but sshd in the image listens on 22.", M),
        " ",
        ("Changing the guest side of the forward to 22.", N),
    ),
    ("edit", "scripts/run-qemu.sh", "hostfwd=tcp::2222-:2222", "hostfwd=tcp::2222-:22"),
    (
        "bash",
        "robot --outputdir results tests/gateway_login.robot",
        0,
        "Gateway Login :: Admin can log in over SSH                          | PASS |\n1 test, 1 passed, 0 failed",
    ),
    ("user", "the bats tests for the updater print errors but CI says green?", "report"),
    (
        "bash",
        "bats test/updater.bats | tee bats.log",
        0,
        "1..4\nok 1 updater finds the new image\nnot ok 2 updater verifies the signature\n# (in test file test/updater.bats, line 31)\n#   `[ \"$status\" -eq 0 ]' failed\n# gpg: Can't check signature: No public key\nok 3 updater refuses a downgrade\nok 4 updater reboots into the new slot",
    ),
    msg(
        ("CI is green because the pipe into tee throws away bats' exit status; test 2 did fail.", M),
        " ",
        ("gpg cannot check the signature because there is no public key in the test keyring, as its message says.", L),
        " ",
        (
            "The fixture imports the key into ~/.gnupg but the updater runs with GNUPGHOME set to the test's temp dir.",
            M,
        ),
    ),
    (
        "edit",
        "test/updater.bats",
        "  gpg --import test/keys/release.pub",
        '  gpg --homedir "$GNUPGHOME" --import test/keys/release.pub',
    ),
    (
        "bash",
        "bats test/updater.bats",
        0,
        "1..4\nok 1 updater finds the new image\nok 2 updater verifies the signature\nok 3 updater refuses a downgrade\nok 4 updater reboots into the new slot",
    ),
    msg(
        ("Bats passes all four once the key is imported into $GNUPGHOME.", N),
        " ",
        ("I'd also add `set -o pipefail` to the CI step so the tee cannot hide a failure again.", N),
    ),
    (
        "bash",
        "npx testcafe firefox:headless tests/ota.test.js",
        1,
        " OTA page\n ✖ shows progress while flashing\n\n   1) Cannot obtain information about the node because the specified selector does not match any node in the DOM tree.\n\n 1/1 failed (9s)",
    ),
    msg(
        (
            "Firefox headless probably renders web components in a different order than Chrome, so the progress bar's shadow DOM isn't there yet when TestCafe queries it.",
            X,
        ),
        " ",
        ("たぶん Firefox のヘッドレスモードはシャドウ DOM の扱いが不安定なのだと思います。", X),
    ),
    (
        "bash",
        "grep -n 'progress' tests/ota.test.js src/ota/progress.js | head -4",
        0,
        "tests/ota.test.js:14:  const bar = Selector('ota-progress .bar');\nsrc/ota/progress.js:3:customElements.define('ota-progress', class extends HTMLElement {\nsrc/ota/progress.js:6:    this.attachShadow({ mode: 'open' }).innerHTML = '<div class=\"bar\"></div>';",
    ),
    msg(
        (
            "The bar lives inside a shadow root and a plain CSS selector does not pierce it in any browser; the test needs `.shadowRoot()`.",
            M,
        ),
        " ",
        ("That is our test, not Firefox.", N),
    ),
    (
        "say",
        "Done for today: the rootfs size, the SSH port forward and the updater keyring are fixed; the OTA test needs its selector changed to go through the shadow root.",
        N,
    ),
]

E_EMACS = [
    ("user", "ert tests fail after I switched to emacs 30", "report"),
    (
        "bash",
        "emacs -Q --batch -L . -l ert -l test/orgmark-test.el -f ert-run-tests-batch-and-exit",
        1,
        "Running 7 tests (2027-02-16 10:41:22+0100, selector ‘t’)\n   passed  1/7  orgmark-test-headings\nTest orgmark-test-links backtrace:\n  signal(void-function (string-remove-prefix))\nTest orgmark-test-links condition:\n    (void-function string-remove-prefix)\n   FAILED  2/7  orgmark-test-links\nRan 7 tests, 6 results as expected, 1 unexpected",
    ),
    (
        "say",
        "`string-remove-prefix` comes from subr-x, which Emacs 30 no longer preloads in batch mode, so orgmark-links.el needs to require it.",
        M,
    ),
    ("edit", "orgmark-links.el", ";;; Code:\n", ";;; Code:\n\n(require 'subr-x)\n"),
    (
        "bash",
        "emacs -Q --batch -L . -l ert -l test/orgmark-test.el -f ert-run-tests-batch-and-exit",
        1,
        'Running 7 tests (2027-02-16 10:44:02+0100, selector ‘t’)\n   FAILED  5/7  orgmark-test-export-date\n    (ert-test-failed ((should (equal (orgmark--date "<2027-02-16 Tue>") "2027-02-16")) :form (equal "2027-02-15" "2027-02-16") :value nil))\nRan 7 tests, 6 results as expected, 1 unexpected',
    ),
    msg(
        ("Off by one day.", N),
        " ",
        ("Kanskje klokka i denne containeren går feil, så datoen havner i går.", X),
        " ",
        (
            "On reflection the function calls `encode-time` with a UTC offset and then `format-time-string` in local time, and at CET that crosses midnight.",
            M,
        ),
    ),
    ("edit", "orgmark-export.el", '(format-time-string "%Y-%m-%d" time)', '(format-time-string "%Y-%m-%d" time t)'),
    (
        "bash",
        "emacs -Q --batch -L . -l ert -l test/orgmark-test.el -f ert-run-tests-batch-and-exit",
        0,
        "Running 7 tests (2027-02-16 10:47:40+0100, selector ‘t’)\nRan 7 tests, 7 results as expected, 0 unexpected",
    ),
    ("say", "All seven ERT tests pass on Emacs 30.", N),
    (
        "user",
        "byte-compiling in CI gives this now:\n```\nIn toplevel form:\norgmark-export.el:41:2: Error: Symbol’s value as variable is void: org-export-with-toc\n```",
        "report",
    ),
    msg(
        (
            "The byte compiler evaluates that `defcustom` default at compile time, before ox is loaded, so `org-export-with-toc` is void there.",
            M,
        ),
        " ",
        ("Wrapping the require in `eval-when-compile` should fix it.", N),
    ),
    ("edit", "orgmark-export.el", "(require 'org)\n", "(require 'org)\n(eval-when-compile (require 'ox))\n"),
    ("bash", "emacs -Q --batch -L . -f batch-byte-compile orgmark-*.el", 0, ""),
    ("say", "Byte compilation is clean.", N),
]

# ---------------------------------------------------------------- user messages

S_REPORTS_SEARCH = [
    ("user", "search for 'ssd' returns nothing since yesterday afternoon, it used to return ~40 products", "report"),
    (
        "bash",
        "curl -s 'localhost:8108/collections/products/documents/search?q=ssd&query_by=title' -H \"X-TYPESENSE-API-KEY: $TS_KEY\" | jq .found",
        0,
        "0",
    ),
    msg(
        ("The collection answers with 0 hits for ssd.", N),
        " ",
        (
            "The synonym set deployed yesterday maps `ssd` to `solid state drive` as a one-way synonym, which replaces the token instead of adding to it.",
            M,
        ),
    ),
    (
        "edit",
        "search/synonyms.json",
        '{"id": "ssd", "root": "ssd", "synonyms": ["solid state drive"]}',
        '{"id": "ssd", "synonyms": ["ssd", "solid state drive"]}',
    ),
    (
        "bash",
        "./scripts/push-synonyms.sh && curl -s 'localhost:8108/collections/products/documents/search?q=ssd&query_by=title' -H \"X-TYPESENSE-API-KEY: $TS_KEY\" | jq .found",
        0,
        "synonyms: 212 upserted\n41",
    ),
    ("say", "ssd finds 41 products again.", N),
    (
        "user",
        'Here\'s the alert rule template we use, adapt it for the search latency:\n```yaml\n- alert: {{name}}\n  expr: {{expr}}\n  labels:\n    severity: ERROR\n  annotations:\n    summary: "ERROR: {{name}} above threshold"\n```',
        "not_report",
    ),
    (
        "edit",
        "alerts/search.yaml",
        "groups:\n- name: search\n  rules: []",
        'groups:\n- name: search\n  rules:\n  - alert: SearchLatencyHigh\n    expr: histogram_quantile(0.95, rate(search_seconds_bucket[5m])) > 0.3\n    labels:\n      severity: ERROR\n    annotations:\n      summary: "ERROR: SearchLatencyHigh above threshold"',
    ),
    ("say", "Added SearchLatencyHigh to alerts/search.yaml from your template, firing when p95 exceeds 300 ms.", N),
    ("user", "the facet counts on the category page look off, electronics says 120 but clicking it shows 96", "report"),
    (
        "bash",
        "curl -s 'localhost:8108/collections/products/documents/search?q=*&facet_by=category&filter_by=in_stock:true' -H \"X-TYPESENSE-API-KEY: $TS_KEY\" | jq '.facet_counts[0].counts[] | select(.value==\"electronics\")'",
        0,
        '{\n  "count": 96,\n  "value": "electronics"\n}',
    ),
    (
        "say",
        "With the in-stock filter the facet says 96, so the category page must be requesting facets without the filter that the listing uses.",
        M,
    ),
    (
        "edit",
        "web/src/category.ts",
        "  facet_by: 'category',",
        "  facet_by: 'category',\n  filter_by: 'in_stock:true',",
    ),
    (
        "user",
        "Write a log line format spec for the indexer: each line is `LEVEL ts msg`, LEVEL one of DEBUG INFO WARN ERROR, e.g. `ERROR 2027-02-17T08:00:00Z import failed`",
        "not_report",
    ),
    (
        "edit",
        "docs/indexer-logs.md",
        "",
        "# Indexer log lines\n\n`LEVEL ts msg`, LEVEL one of DEBUG, INFO, WARN, ERROR.\n\nExample: `ERROR 2027-02-17T08:00:00Z import failed`\n",
    ),
    ("say", "docs/indexer-logs.md describes the format with your example.", N),
    ("user", "thanks. oh and the admin reindex button just spins forever now, no error shown", "report"),
    (
        "bash",
        "grep -n 'reindex' web/src/admin/api.ts",
        0,
        "22:  await fetch('/api/reindex', { method: 'POST' }).then(r => r.json);",
    ),
    (
        "say",
        "`r.json` is referenced but never called, so the promise resolves to the function and the spinner's completion check never sees a status.",
        M,
    ),
    ("edit", "web/src/admin/api.ts", ".then(r => r.json);", ".then(r => r.json());"),
    (
        "user",
        "Can you also add a health check endpoint? Nothing broken, just want it for the load balancer.",
        "not_report",
    ),
    (
        "edit",
        "server/routes.ts",
        "export const routes = [",
        "export const routes = [\n  { path: '/healthz', handler: () => ({ ok: true }) },",
    ),
    ("say", 'Added /healthz returning {"ok": true}.', N),
]

S_REPORTS_LOGS = [
    (
        "user",
        "fluent-bit drops every line with a non-ascii character, e.g. the Norwegian customer names come through empty",
        "report",
    ),
    (
        "bash",
        'echo \'{"name":"Ødegård"}\' | fluent-bit -c tests/stdin.conf -q 2>&1 | head -2',
        0,
        '[0] stdin.0: [[1739786400.000000000, {}], {"name"=>""}]',
    ),
    (
        "say",
        "The record comes out with an empty name, and the Lua filter we added calls `string.gsub(v, '[^%w ]', '')`, which strips every byte outside ASCII letters and digits.",
        M,
    ),
    ("edit", "filters/clean.lua", "v = string.gsub(v, '[^%w ]', '')", "v = string.gsub(v, '[%c]', '')"),
    (
        "bash",
        'echo \'{"name":"Ødegård"}\' | fluent-bit -c tests/stdin.conf -q 2>&1 | head -2',
        0,
        '[0] stdin.0: [[1739786400.000000000, {}], {"name"=>"Ødegård"}]',
    ),
    ("say", "Names with Ø and å pass through intact.", N),
    (
        "user",
        "Our incident template, fill it for yesterday's loki outage:\n```\nSTATUS: ERROR | RESOLVED\nIMPACT:\nTIMELINE:\nROOT CAUSE:\n```",
        "not_report",
    ),
    (
        "say",
        "I filled STATUS as RESOLVED and left ROOT CAUSE for you, since I only know what the logs in this repo show.",
        N,
    ),
    (
        "user",
        '```\nlevel=error ts=2027-02-17T09:12:44Z caller=flush.go:143 msg="failed to flush" err="store put chunk: context deadline exceeded"\n```\nloki is logging this every minute since 9:12',
        "report",
    ),
    (
        "bash",
        "curl -s localhost:3100/config | grep -A3 'storage_config'",
        0,
        "storage_config:\n  aws:\n    s3: http://minio.internal:9000/loki-chunks\n    s3forcepathstyle: true",
    ),
    (
        "bash",
        "curl -s -o /dev/null -w '%{http_code} %{time_total}\\n' http://minio.internal:9000/minio/health/live",
        0,
        "000 10.004",
    ),
    (
        "say",
        "Loki cannot put chunks because the object store does not answer at all: the health check to minio.internal got no response within 10 s.",
        L,
    ),
    ("user", "please ignore the ERROR lines in the fixture, they're intentional test data", "not_report"),
    ("user", "also the hourly-errors dashboard is empty after 12:00", "report"),
    (
        "bash",
        "grep -n 'event_time' queries/hourly_errors.sql",
        0,
        "2:SELECT date_trunc('hour', event_time) AS hour, count(*)\n4:WHERE event_time > current_date AND event_time < current_date + INTERVAL '12' HOUR",
    ),
    ("say", "The query's upper bound is 12 hours after midnight, so everything after noon is filtered out.", M),
    ("edit", "queries/hourly_errors.sql", "current_date + INTERVAL '12' HOUR", "current_date + INTERVAL '1' DAY"),
    ("user", "Rename the `shipper` package to `ship` everywhere.", "not_report"),
    (
        "bash",
        "grep -rln 'logpipe/shipper' --include=*.go . | xargs sed -i 's#logpipe/shipper#logpipe/ship#g' && go build ./...",
        0,
        "",
    ),
    ("say", "Renamed the import path in 14 files; go build succeeds.", N),
]

# ---------------------------------------------------------------- features

SR = "src/sync/offline_queue.rs"
SR_BODY = "\n".join(f"    let op{i} = Op::from_row(&rows[{i}])?;" for i in range(90))
SR_CMD = "cargo test -p sync --test surreal_sync"
SR_PASS = "running 5 tests\ntest replays_in_order ... ok\ntest drops_duplicates ... ok\ntest survives_restart ... ok\ntest merges_edits ... ok\ntest keeps_tombstones ... ok\n\ntest result: ok. 5 passed; 0 failed; 0 ignored"
SR_FAIL = "running 5 tests\ntest replays_in_order ... ok\ntest drops_duplicates ... ok\ntest survives_restart ... FAILED\ntest merges_edits ... ok\ntest keeps_tombstones ... ok\n\nfailures:\n---- survives_restart stdout ----\nthread 'survives_restart' panicked at tests/surreal_sync.rs:{}:5:\nassertion `left == right` failed\n  left: {}\n right: 7\n\ntest result: FAILED. 4 passed; 1 failed; 0 ignored"


def _sfix(i: int) -> tuple:
    return ("edit", SR, f"    Ok(queue)  // r{i}", f"    Ok(queue)  // r{i + 1}")


S_FEAT_SURREAL_1 = [
    (
        "user",
        "Add an offline queue to the sync client: ops made while disconnected are stored in the embedded SurrealDB and replayed in order when we reconnect.",
        "not_report",
    ),
    (
        "edit",
        SR,
        "pub fn load(db: &Surreal<Db>) -> Result<Queue> {\n    todo!()",
        'pub fn load(db: &Surreal<Db>) -> Result<Queue> {\n    let rows = db.query("SELECT * FROM op ORDER BY seq").await?.take(0)?;\n'
        + SR_BODY
        + "\n    Ok(queue)  // r0",
    ),
    ("bash", SR_CMD, 1, SR_FAIL.format(58, 5)),
    _sfix(0),  # attempt 1
    ("bash", SR_CMD, 1, SR_FAIL.format(58, 6)),
    _sfix(1),  # attempt 2
    ("bash", SR_CMD, 0, SR_PASS),
    ("say", "The offline queue replays stored ops in order and all five sync tests pass.", N),
]
S_FEAT_SURREAL_2 = [
    ("user", "after a phone reboot the queue replayed the same edit twice", "report"),
    _sfix(2),  # attempt 3
    ("bash", SR_CMD, 0, SR_PASS),
    ("user", "still seeing a duplicate when the app is killed mid-replay", "report"),
    _sfix(3),  # attempt 4
    ("bash", SR_CMD, 0, SR_PASS),
    (
        "say",
        "Replay now marks each op done in the same transaction that applies it, so a kill mid-replay cannot apply it twice.",
        N,
    ),
]

EL = "orgmark-agenda.el"
EL_BODY = "\n".join(f"  (orgmark--agenda-cell entry {i})" for i in range(110))
EL_CMD = "emacs -Q --batch -L . -l ert -l test/orgmark-agenda-test.el -f ert-run-tests-batch-and-exit"
EL_PASS = "Running 9 tests (2027-02-19 09:12:30+0100, selector ‘t’)\nRan 9 tests, 9 results as expected, 0 unexpected"
EL_FAIL = "Running 9 tests (2027-02-19 09:12:30+0100, selector ‘t’)\n   FAILED  {0}/9  orgmark-agenda-test-{1}\n    (ert-test-failed ((should (equal {2})) :value nil))\nRan 9 tests, 8 results as expected, 1 unexpected"


def _efix(i: int) -> tuple:
    return ("edit", EL, f"  cells)  ; a{i}", f"  cells)  ; a{i + 1}")


S_FEAT_AGENDA_1 = [
    (
        "user",
        "New feature: a weekly agenda view for orgmark that exports to Markdown tables, one row per day, scheduled and deadline items in separate columns.",
        "not_report",
    ),
    (
        "edit",
        EL,
        "(defun orgmark-agenda-week (start)\n  nil)",
        "(defun orgmark-agenda-week (start)\n  (let ((cells nil))\n" + EL_BODY + "\n  cells)  ; a0",
    ),
    ("bash", EL_CMD, 0, EL_PASS),
    ("say", "The weekly agenda export is in orgmark-agenda.el and its nine tests pass.", N),
    ("user", "the week starts on sunday in the export, we want monday", "report"),
    _efix(0),  # attempt 1
    ("bash", EL_CMD, 1, EL_FAIL.format(4, "deadline-column", '(orgmark--cell 2 \'deadline) "Fri 21"')),
    _efix(1),  # attempt 2
    ("bash", EL_CMD, 0, EL_PASS),
]
S_FEAT_AGENDA_2 = [
    ("user", "repeating items (+1w) only show up in the first week", "report"),
    _efix(2),  # attempt 3
    ("bash", EL_CMD, 1, EL_FAIL.format(7, "repeater", '(length (orgmark--repeats "<2027-02-19 Fri +1w>" 3)) 3')),
    _efix(3),  # attempt 4
    (
        "bash",
        EL_CMD,
        1,
        EL_FAIL.format(7, "repeater", '(orgmark--repeats "<2027-02-19 Fri +1w>" 3) \'("02-19" "02-26" "03-05")'),
    ),
    _efix(4),  # attempt 5
    ("bash", EL_CMD, 0, EL_PASS),
    ("user", "the markdown table breaks when a heading contains a pipe character", "report"),
    _efix(5),  # attempt 6
    ("bash", EL_CMD, 0, EL_PASS),
]
S_FEAT_AGENDA_3 = [
    (
        "user",
        "CI on emacs 29 fails:\n```\nTest orgmark-agenda-test-week-start condition:\n    (void-function calendar-day-of-week)\n   FAILED  1/9  orgmark-agenda-test-week-start\n```",
        "report",
    ),
    _efix(6),  # attempt 7
    ("bash", EL_CMD, 1, EL_FAIL.format(3, "timezone", '(orgmark--day-key 1739923200) "2027-02-19"')),
    _efix(7),  # attempt 8
    ("bash", EL_CMD, 1, EL_FAIL.format(3, "timezone", '(orgmark--day-key 1739923200) "2027-02-19"')),
    _efix(8),  # attempt 9
    ("bash", EL_CMD, 0, EL_PASS),
    (
        "say",
        "The agenda loads calendar explicitly and builds day keys in local time; all nine tests pass on Emacs 29 and 30.",
        N,
    ),
]

LK = "rules/retention.yaml"
LK_BODY = "\n".join(f"  - selector: '{{app=\"svc-{i:02d}\"}}'\n    priority: {i}\n    period: 168h" for i in range(60))
LK_CMD = "loki -config.file=loki.yaml -verify-config && go test ./retention -count=1"
LK_PASS = 'level=info msg="config is valid"\nok  \tgithub.com/kestrel-works/logpipe/retention\t0.322s'
LK_FAIL = 'level=info msg="config is valid"\n--- FAIL: TestRetentionPerTenant (0.00s)\n    retention_test.go:{}: team-b: period 744h, want 168h\nFAIL'


def _lfix(i: int) -> tuple:
    return ("edit", LK, f"# rev {i}", f"# rev {i + 1}")


S_FEAT_LOKI_1 = [
    (
        "user",
        "Per-tenant log retention in Loki: team-a keeps 31 days, everyone else a week, with stream overrides per app.",
        "not_report",
    ),
    ("edit", LK, "retention_stream: []", "# rev 0\nretention_stream:\n" + LK_BODY),
    ("bash", LK_CMD, 0, LK_PASS),
    ("user", "team-b still keeps logs for a month", "report"),
    _lfix(0),  # attempt 1
    ("bash", LK_CMD, 1, LK_FAIL.format(33)),
    _lfix(1),  # attempt 2
    ("bash", LK_CMD, 0, LK_PASS),
]
S_FEAT_LOKI_2 = [
    (
        "user",
        '```\nlevel=error caller=compactor.go:512 msg="failed to apply retention" err="overrides: unknown tenant team-c"\n```\nthe compactor says this since the retention change',
        "report",
    ),
    _lfix(2),  # attempt 3
    ("bash", LK_CMD, 0, LK_PASS),
    ("say", "Tenants without an override now fall back to the default week, and the compactor accepts team-c.", N),
]

YB_LOG = "/tmp/bitbake-gateway.log"
YB_STUCK = "NOTE: Running task 1187 of 4417 (/work/poky/meta-kestrel/recipes-bsp/modem-fw/modem-fw_git.bb:do_fetch)\nWARNING: modem-fw-1.0+gitAUTOINC-r0 do_fetch: Failed to fetch URL git://git.kestrel.internal/modem-fw.git;protocol=https;branch=main, attempting MIRRORS if available\nNOTE: recipe modem-fw-1.0+gitAUTOINC-r0: task do_fetch: Started"
S_YOCTO = [
    ("user", "Kick off a full build of kestrel-gateway, I want the image for the field test tomorrow.", "not_report"),
    ("bg", f"bitbake kestrel-gateway > {YB_LOG} 2>&1", "b7x2k9"),
    ("bash", f"sleep 60; tail -3 {YB_LOG}", 0, YB_STUCK),
    ("say", "Still fetching modem-fw; the mirror fallback can take a few minutes.", N),
    ("bash", f"sleep 180; tail -3 {YB_LOG}", 0, YB_STUCK),
    (
        "say",
        "The internal git server is probably rate-limiting clones from the build host because of the parallel fetches.",
        X,
    ),
    (
        "bash",
        f"sleep 420; tail -3 {YB_LOG}",
        0,
        YB_STUCK
        + "\nWARNING: modem-fw-1.0+gitAUTOINC-r0 do_fetch: Failed to fetch URL git://git.kestrel.internal/modem-fw.git;protocol=https;branch=main, attempting MIRRORS if available",
    ),
    (
        "bash",
        f"sleep 900; tail -3 {YB_LOG}",
        0,
        YB_STUCK
        + "\nERROR: modem-fw-1.0+gitAUTOINC-r0 do_fetch: Fetcher failure: Unable to find revision 9f1c22e in branch main even from upstream",
    ),
    msg(
        (
            "After about 26 minutes of waiting, do_fetch for modem-fw has failed: the pinned revision 9f1c22e is not on the main branch of the internal repository.",
            M,
        ),
        " ",
        (
            "The image is not built; the recipe's SRCREV or branch needs someone who knows which firmware the field test expects.",
            N,
        ),
    ),
]

TQ = "etc/catalog/hive.properties"
S_NS_TRINO = [
    ("user", "the weekly report query got killed last night", "report"),
    (
        "bash",
        "trino --server localhost:8080 -f queries/weekly_report.sql > /dev/null; echo exit=$?",
        0,
        "Query 20270214_020011_00007_a1b2c failed: Query exceeded the maximum execution time limit of 10.00m\nexit=1",
    ),
    ("say", "The query ran into Trino's ten-minute execution limit, as the message says.", L),
    ("edit", "etc/config.properties", "query.max-execution-time=10m", "query.max-execution-time=20m"),
    (
        "bash",
        "trino --server localhost:8080 -f queries/weekly_report.sql > /dev/null; echo exit=$?",
        0,
        "Query 20270214_093512_00002_d3e4f failed: Query exceeded the maximum execution time limit of 20.00m\nexit=1",
    ),
    ("edit", "etc/config.properties", "query.max-execution-time=20m", "query.max-execution-time=30m"),
    (
        "bash",
        "trino --server localhost:8080 --execute \"EXPLAIN ANALYZE $(cat queries/weekly_report.sql)\" | grep -m2 'Cross\\|rows'",
        0,
        "   CrossJoin[]\n        Output: 4192004431 rows (2.1TB)",
    ),
    msg(
        (
            "The plan has a cross join: the join with `stores` lost its ON clause when the query was reformatted, which multiplies every row by every store.",
            M,
        ),
        " ",
        ("Restoring the join condition and the ten-minute limit.", N),
    ),
    ("edit", "queries/weekly_report.sql", "JOIN stores s\n", "JOIN stores s ON s.id = o.store_id\n"),
    ("edit", "etc/config.properties", "query.max-execution-time=30m", "query.max-execution-time=10m"),
    ("bash", "trino --server localhost:8080 -f queries/weekly_report.sql > /dev/null; echo exit=$?", 0, "exit=0"),
    ("say", "The weekly report finishes within the original ten-minute limit.", N),
]

E_IMAGES = [
    ("user", "fdb backup test is failing, and I've no idea why", "report"),
    (
        "bash",
        "pytest tests/test_backup.py -q 2>&1 | tail -3",
        0,
        "E   fdb.impl.FDBError: Operation timed out (1031)\nFAILED tests/test_backup.py::test_backup_restore_roundtrip - fdb.impl.FDBError: Operation timed out (1031)\n1 failed, 2 passed in 5.43s",
    ),
    msg(
        ("The pipe through tail hid pytest's exit status, but the roundtrip test failed with error 1031.", N),
        " ",
        (
            "My guess is the backup agent is not running, so the backup never makes progress and the transaction that waits on it times out.",
            M,
        ),
        " ",
        ("Let me check `fdbbackup status` before I claim anything.", N),
    ),
    (
        "bash",
        "fdbbackup status -C /etc/foundationdb/fdb.cluster",
        1,
        "ERROR: No backup agents are responding.\nStatus: Submitted (no agents)",
    ),
    msg(
        ("fdbbackup reports that no backup agents are responding, so the backup was submitted and never started.", L),
        " ",
        ("The test's docker-compose starts fdbserver but not backup_agent.", M),
    ),
    (
        "edit",
        "tests/compose.yaml",
        "  fdb:\n    image: foundationdb/foundationdb:7.3.43",
        "  fdb:\n    image: foundationdb/foundationdb:7.3.43\n  backup-agent:\n    image: foundationdb/foundationdb:7.3.43\n    command: backup_agent -C /var/fdb/fdb.cluster",
    ),
    ("bash", "pytest tests/test_backup.py -q 2>&1 | tail -1", 0, "3 passed in 9.87s"),
    ("user", "and the hazelcast near-cache test returns stale values", "report"),
    (
        "bash",
        "mvn -q test -Dtest=NearCacheTest",
        1,
        "[ERROR] NearCacheTest.updatesAreVisible:48 expected:<v2> but was:<v1>\n[ERROR] Tests run: 3, Failures: 1, Errors: 0, Skipped: 0",
    ),
    msg(
        (
            "Vermutlich liefert das Multicast-Invalidierungsprotokoll von Hazelcast auf macOS Pakete in falscher Reihenfolge aus.",
            X,
        ),
        " ",
        ("Daarom komt de invalidatie waarschijnlijk te laat aan bij de client.", X),
    ),
    (
        "bash",
        "grep -n 'invalidate' src/test/resources/hazelcast-client.yaml",
        0,
        "14:        invalidate-on-change: false",
    ),
    msg(
        (
            "Correction: the client's near-cache config has `invalidate-on-change: false`, so it keeps v1 until the entry expires.",
            M,
        ),
        " ",
        ("That rules out the multicast explanation I gave above.", N),
    ),
    (
        "edit",
        "src/test/resources/hazelcast-client.yaml",
        "        invalidate-on-change: false",
        "        invalidate-on-change: true",
    ),
    ("bash", "mvn -q test -Dtest=NearCacheTest", 0, "[INFO] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0"),
    ("user", "Yocto: do_compile of the kernel dies with 'Killed' on the build box", "report"),
    (
        "bash",
        "bitbake linux-kestrel -c compile 2>&1 | grep -m3 -i 'killed\\|error'",
        0,
        "| aarch64-poky-linux-gcc: fatal error: Killed signal terminated program cc1\n| make[3]: *** [scripts/Makefile.build:229: drivers/gpu/drm/amd/display/dc/dml/display_mode_vba_20.o] Error 1\nERROR: linux-kestrel-6.6.52+git-r0 do_compile: oe_runmake failed",
    ),
    (
        "bash",
        "dmesg | tail -2",
        0,
        "[81233.402117] Out of memory: Killed process 1918231 (cc1) total-vm:3412880kB, anon-rss:3102240kB\n[81233.455019] oom_reaper: reaped process 1918231 (cc1), now anon-rss:0kB",
    ),
    msg(
        ("The kernel's OOM killer ended cc1 while it compiled the AMD display code, per dmesg.", L),
        " ",
        ("With BB_NUMBER_THREADS and PARALLEL_MAKE both at 32 on a 32 GB box, too many compilers run at once.", M),
        " ",
        ("Ich würde PARALLEL_MAKE auf 12 setzen.", N),
    ),
    ("edit", "build/conf/local.conf", 'PARALLEL_MAKE = "-j 32"', 'PARALLEL_MAKE = "-j 12"'),
    (
        "bash",
        "bitbake linux-kestrel -c compile 2>&1 | tail -1",
        0,
        "NOTE: Tasks Summary: Attempted 812 tasks of which 805 didn't need to be rerun and all succeeded.",
    ),
    (
        "bash",
        "qemu-system-aarch64 -M virt -cpu cortex-a72 -m 512 -nographic -kernel tmp/deploy/images/qemuarm64/Image -append 'console=ttyAMA0' 2>&1 | grep -m1 -i 'panic\\|login'",
        0,
        "[    3.118224] Kernel panic - not syncing: Out of memory and no killable processes...",
    ),
    msg(
        (
            "Es muy probable que QEMU no emule bien la MMU de cortex-a72 y por eso el kernel cree que no tiene memoria.",
            X,
        ),
        " ",
        ("Eller så er det bare at 512 MB er for lite for initramfs-en vår på 600 MB.", M),
    ),
    (
        "bash",
        "ls -l tmp/deploy/images/qemuarm64/*.cpio.gz | awk '{print $5, $9}'",
        0,
        "629145600 tmp/deploy/images/qemuarm64/kestrel-gateway-initramfs-qemuarm64.cpio.gz",
    ),
    ("say", "The initramfs is 600 MB, more than the 512 MB guest can unpack, so I'll boot with -m 2048.", M),
    (
        "bash",
        "qemu-system-aarch64 -M virt -cpu cortex-a72 -m 2048 -nographic -kernel tmp/deploy/images/qemuarm64/Image -append 'console=ttyAMA0' 2>&1 | grep -m1 -i 'panic\\|login'",
        0,
        "kestrel-gateway login:",
    ),
    msg(
        ("The guest reaches the login prompt with 2 GB.", N),
        " ",
        ("If the field units have 1 GB, the initramfs has to shrink; that's a separate task.", N),
    ),
]

S_REPORTS_RUNNERS = [
    (
        "user",
        "<ide_selection>The user selected lines 12-18 from tests/checkout.robot:\n    Wait Until Keyword Succeeds    10s    2s    Page Should Contain    ERROR\n</ide_selection>\nwhat does this line check?",
        "not_report",
    ),
    (
        "say",
        "It retries `Page Should Contain    ERROR` every 2 s for up to 10 s, so it passes as soon as the page shows the word ERROR.",
        N,
    ),
    (
        "user",
        "the cart test goes red whenever the cart has more than 9 items, the badge shows 9+ and the test expects the number",
        "report",
    ),
    (
        "bash",
        "robot --outputdir results --test 'Cart Badge Counts Items' tests/cart.robot",
        1,
        "Cart Badge Counts Items                                               | FAIL |\n'9+' != '12'\n1 test, 0 passed, 1 failed",
    ),
    (
        "say",
        "The badge caps at 9+ by design since the January redesign, and the test still compares with the raw count.",
        M,
    ),
    (
        "edit",
        "tests/cart.robot",
        "    Element Text Should Be    css:.badge    ${count}",
        "    ${expected}=    Set Variable If    ${count} > 9    9+    ${count}\n    Element Text Should Be    css:.badge    ${expected}",
    ),
    (
        "bash",
        "robot --outputdir results --test 'Cart Badge Counts Items' tests/cart.robot",
        0,
        "Cart Badge Counts Items                                               | PASS |\n1 test, 1 passed, 0 failed",
    ),
    (
        "user",
        "This session is being continued from a previous conversation that ran out of context. The conversation is summarized below:\nAnalysis: the user asked for Robot tests of the checkout flow; an ERROR banner test was added; TestCafe selectors were switched to data-testid.\nSummary: all checkout tests pass.",
        "not_report",
    ),
    (
        "user",
        "and the login test sometimes says 'Element not interactable' on the CI runner but never locally",
        "report",
    ),
    (
        "bash",
        "grep -n 'Click Button    id:login' -B2 tests/login.robot",
        0,
        "9:    Input Text    id:user    ${USER}\n10:    Input Password    id:pass    ${PASS}\n11:    Click Button    id:login",
    ),
    msg(
        (
            "The click happens right after typing, while the cookie banner from the consent script can still be covering the button on a cold cache.",
            M,
        ),
        " ",
        ("Adding a wait for the banner to disappear before the click.", N),
    ),
    (
        "edit",
        "tests/login.robot",
        "    Click Button    id:login",
        "    Wait Until Element Is Not Visible    id:cookie-banner    5s\n    Click Button    id:login",
    ),
    (
        "user",
        "Please add a Bats test: running `./install.sh --prefix /nonexistent` should print `ERROR: prefix does not exist` and exit 2.",
        "not_report",
    ),
    (
        "edit",
        "test/install.bats",
        "",
        '@test "installer rejects a missing prefix" {\n  run ./install.sh --prefix /nonexistent\n  [ "$status" -eq 2 ]\n  [ "$output" = "ERROR: prefix does not exist" ]\n}\n',
    ),
    (
        "bash",
        "bats test/install.bats -f 'missing prefix'",
        1,
        '1..1\nnot ok 1 installer rejects a missing prefix\n# (in test file test/install.bats, line 44)\n#   `[ "$status" -eq 2 ]\' failed',
    ),
    ("say", "The test fails as expected for now: install.sh exits 1 for a missing prefix, not 2.", M),
    (
        "edit",
        "install.sh",
        '  echo "ERROR: prefix does not exist" >&2\n  exit 1',
        '  echo "ERROR: prefix does not exist" >&2\n  exit 2',
    ),
    (
        "bash",
        "bats test/install.bats -f 'missing prefix'",
        1,
        '1..1\nnot ok 1 installer rejects a missing prefix\n# (in test file test/install.bats, line 45)\n#   `[ "$output" = "ERROR: prefix does not exist" ]\' failed',
    ),
    (
        "say",
        "Bats' `run` captures stderr along with stdout, and install.sh prints the message a second time from its EXIT trap, so `$output` holds two lines.",
        M,
    ),
    ("edit", "install.sh", "trap 'echo \"ERROR: $msg\" >&2' EXIT\n", ""),
    ("bash", "bats test/install.bats -f 'missing prefix'", 0, "1..1\nok 1 installer rejects a missing prefix"),
    ("say", "The new Bats test passes and install.sh exits 2 with the message printed once.", N),
]


E_STORES = [
    ("user", "SurrealDB live query test hangs and then fails, can you see what's up", "report"),
    (
        "bash",
        "cargo test -p notes --test live 2>&1 | tail -5",
        0,
        "running 2 tests\ntest live_select_sees_insert ... FAILED\n\nfailures:\n---- live_select_sees_insert stdout ----\nthread 'live_select_sees_insert' panicked at tests/live.rs:33:9:\nno notification within 3s\ntest result: FAILED. 1 passed; 1 failed",
    ),
    msg(
        (
            "The symptoms are consistent with the WebSocket being silently dropped by some proxy between the test and the server.",
            X,
        ),
        " ",
        ("That said, the test talks to an in-memory engine on localhost, so there is no proxy; scratch that.", N),
    ),
    (
        "bash",
        "grep -n 'LIVE SELECT\\|use_ns\\|use_db' tests/live.rs",
        0,
        '14:    db.use_ns("test").use_db("notes").await?;\n27:    let mut stream = other.query("LIVE SELECT * FROM note").await?.stream::<Notification<Note>>(0)?;\n29:    db.create("note").content(note).await?;',
    ),
    msg(
        (
            "`other` never calls `use_ns`/`use_db`, so its live query watches the `note` table of a different database than the one the insert goes to.",
            M,
        ),
        " ",
        ("One line fixes it.", N),
    ),
    (
        "bash",
        "cargo test -p notes --test live 2>&1 | tail -2",
        0,
        "test live_select_sees_insert ... ok\ntest result: ok. 2 passed; 0 failed",
    ),
    (
        "user",
        "typesense import gives me this now:\n```\nTraceback (most recent call last):\n  File \"scripts/import_products.py\", line 48, in <module>\n    client.collections['products'].documents.import_(batch, {'action': 'upsert'})\ntypesense.exceptions.ObjectNotFound: [Errno 404] Not Found\n```",
        "report",
    ),
    msg(
        ("A 404 on import means the `products` collection does not exist on the node the script talks to.", M),
        " ",
        (
            "The script reads TYPESENSE_HOST, and your shell has it pointing at the staging node, where the collection is called `products_v2` since the alias migration.",
            M,
        ),
    ),
    (
        "bash",
        'echo $TYPESENSE_HOST; curl -s "$TYPESENSE_HOST/aliases" -H "X-TYPESENSE-API-KEY: $TS_KEY" | jq -c \'.aliases[]\'',
        0,
        'https://ts-staging.kestrel.internal:443\n{"collection_name":"products_v2","name":"catalog"}',
    ),
    (
        "say",
        "Staging has only the `catalog` alias over `products_v2`; switching the script to import through the alias.",
        N,
    ),
    ("bash", "fdbcli --exec 'status minimal'", 1, "The database is unavailable; type `status' for more information."),
    (
        "bash",
        "fdbcli --exec 'status' | grep -A2 -i 'coordinat'",
        0,
        "Coordination servers:\n  10.0.2.15:4500  (unreachable)\nWarning: FoundationDB is unavailable because a majority of coordinators are unreachable.",
    ),
    msg(
        (
            "FoundationDB is unavailable because its only coordinator, 10.0.2.15:4500, is unreachable, which fdbcli states outright.",
            L,
        ),
        " ",
        ("10.0.2.15 was the VirtualBox address before you moved to the Lima VM, so the cluster file is stale.", M),
    ),
    ("bash", "cat /etc/foundationdb/fdb.cluster", 0, "docker:docker@10.0.2.15:4500"),
    (
        "say",
        "Rewriting the cluster file to 127.0.0.1:4500 and restarting fdbserver should bring it back; do you want me to, or is another process using that file?",
        N,
    ),
    ("user", "go ahead", "not_report"),
    (
        "bash",
        "echo 'docker:docker@127.0.0.1:4500' | sudo tee /etc/foundationdb/fdb.cluster && sudo systemctl restart foundationdb && fdbcli --exec 'status minimal'",
        0,
        "docker:docker@127.0.0.1:4500\nThe database is available.",
    ),
    (
        "bash",
        "pytest tests/test_graph_export.py -q",
        1,
        "F\nE   gqlalchemy.exceptions.GQLAlchemyError: Unable to connect to Memgraph: handshake failed: unsupported Bolt version\n1 failed in 0.08s",
    ),
    msg(
        ("Memgraph rejected the Bolt handshake: the client asked for a protocol version the server does not speak.", L),
        " ",
        (
            "Jag misstänker att det beror på att gqlalchemy 1.6 förhandlar Bolt 5.2 medan vår Memgraph 2.11 bara kan 5.0.",
            M,
        ),
    ),
    (
        "bash",
        "pip show gqlalchemy | grep Version; docker exec memgraph memgraph --version",
        0,
        "Version: 1.6.0\nmemgraph version 2.11.1",
    ),
    ("say", "Pinning gqlalchemy to 1.5.x until we upgrade Memgraph.", N),
    ("bash", "pytest tests/test_graph_export.py -q", 0, ".\n1 passed in 0.41s"),
    (
        "bash",
        "curl -s -o /dev/null -w '%{http_code}\\n' 'http://localhost:7700/indexes/products/search' -H 'Content-Type: application/json' -d '{\"q\":\"lamp\",\"filter\":\"price < 50\"}'",
        0,
        "400",
    ),
    msg(
        ("Meilisearch answered 400, and there is no exit status to go on here, only the code curl printed.", N),
        " ",
        (
            "A 400 on a filter usually means the attribute is not filterable; `price` was dropped from filterableAttributes in yesterday's settings change.",
            M,
        ),
    ),
    (
        "bash",
        "curl -s 'http://localhost:7700/indexes/products/settings/filterable-attributes'",
        0,
        '["brand","category","in_stock"]',
    ),
    ("say", "Confirmed, price is not filterable; adding it back to the settings file.", N),
    (
        "say",
        "Tiivistettynä: live query korjattu, tuonti käyttää aliasta, FDB:n klusteritiedosto päivitetty, gqlalchemy lukittu ja price taas suodatettava.",
        N,
    ),
]

E_ELISP = [
    (
        "user",
        "package-lint complains on orgmark and the CI bats smoke job fails, here's both:\n```\norgmark.el:3:0: error: Package should have a Homepage or URL header.\nnot ok 1 orgmark loads in a clean emacs\n```",
        "report",
    ),
    msg(
        ("The lint error is exactly what it says, a missing URL header.", M),
        " ",
        ("The smoke test is a separate thing; I'll run it first.", N),
    ),
    (
        "bash",
        "bats test/smoke.bats",
        1,
        '1..1\nnot ok 1 orgmark loads in a clean emacs\n# (in test file test/smoke.bats, line 6)\n#   `[ "$status" -eq 0 ]\' failed\n# Cannot open load file: No such file or directory, org-ql',
    ),
    msg(
        (
            "Emacs cannot find org-ql because the smoke test starts with -Q and never adds the Cask dependencies to load-path.",
            M,
        ),
        " ",
        (
            "I considered the package archive being down while CI installed dependencies, but the error is a load-path miss, not a failed download.",
            N,
        ),
    ),
    (
        "edit",
        "test/smoke.bats",
        "  run emacs -Q --batch -L . -l orgmark",
        "  run cask emacs -Q --batch -L . -l orgmark",
    ),
    ("bash", "bats test/smoke.bats", 0, "1..1\nok 1 orgmark loads in a clean emacs"),
    (
        "edit",
        "orgmark.el",
        ";; Author: Tariq Haddad\n",
        ";; Author: Tariq Haddad\n;; URL: https://github.com/kestrel-works/orgmark\n",
    ),
    ("bash", "cask emacs -Q --batch -l package-lint -f package-lint-batch-and-exit orgmark.el", 0, ""),
    ("say", "Both pass: the smoke test loads through Cask and package-lint is quiet.", N),
    (
        "bash",
        "cask emacs -Q --batch -L . -l ert -l test/orgmark-table-test.el -f ert-run-tests-batch-and-exit",
        1,
        'Running 4 tests\n   FAILED  3/4  orgmark-table-test-wide-chars\n    (ert-test-failed ((should (equal (orgmark--pad "日本" 6) "日本  ")) :form (equal "日本    " "日本  ") :value nil))\nRan 4 tests, 3 results as expected, 1 unexpected',
    ),
    msg(
        ("I'd guess the terminal font on the CI runner reports CJK characters as single width.", X),
        " ",
        ("No wait, batch mode has no font at all.", N),
        " ",
        (
            "`orgmark--pad` counts characters with `length`, so two double-width characters count as 2 instead of 4 columns; it should use `string-width`.",
            M,
        ),
    ),
    ("edit", "orgmark-table.el", "(- width (length s))", "(- width (string-width s))"),
    (
        "bash",
        "cask emacs -Q --batch -L . -l ert -l test/orgmark-table-test.el -f ert-run-tests-batch-and-exit",
        0,
        "Running 4 tests\nRan 4 tests, 4 results as expected, 0 unexpected",
    ),
    ("say", "Wide characters are padded by display width now and the four table tests pass.", N),
]


# ---------------------------------------------------------------- the round

# (name, user, format, cwd, branch, day, hour, steps); gemini and aider record no branch
SESSIONS = [
    ("spiral-meili", "rafael", "claude", f"{RA}/catalog-search", "fix/catalog-index-test", 1, 10, S_MEILI),
    ("spiral-fdb-bash-timeout", "tariq", "claude", f"{TA}/ledger-fdb", "feature/transfer-rewrite", 1, 14, S_FDB),
    ("spiral-trino-timeout-ms", "sunniva", "shell", f"{SU}/trino-reports", "fix/daily-rollup-it", 3, 10, S_TRINO),
    ("spiral-hazelcast-tail", "tariq", "shell_command", f"{TA}/session-store", "chore/hazelcast-5.5", 3, 15, S_HAZEL),
    ("spiral-bats-or-true", "rafael", "claude", f"{RA}/kestrel-installer", "release/1.8", 4, 9, S_BATS),
    ("spiral-fluentbit-1", "sunniva", "claude", f"{SU}/logpipe", "feature/fluentbit-loki", 5, 14, S_FB_1),
    ("spiral-fluentbit-2", "sunniva", "shell_command", f"{SU}/logpipe", "feature/fluentbit-loki", 6, 9, S_FB_2),
    ("spiral-robot-1", "tariq", "exec_command", f"{TA}/storefront-e2e", "fix/guest-checkout-robot", 8, 15, S_RB_1),
    ("spiral-robot-2", "tariq", "exec_command", f"{TA}/storefront-e2e", "fix/guest-checkout-robot", 9, 10, S_RB_2),
    ("spiral-testcafe-gemini", "rafael", "gemini", f"{RA}/signup-web", "", 9, 14, S_TESTCAFE),
    ("ns-typesense-justified", "rafael", "claude", f"{RA}/catalog-search", "main", 10, 9, S_NS_TYPESENSE),
    (
        "ns-memgraph-request",
        "sunniva",
        "shell_command",
        f"{SU}/recommender",
        "chore/query-timeout",
        10,
        13,
        S_NS_MEMGRAPH,
    ),
    ("ns-qemu-lowering", "tariq", "claude", f"{TA}/gateway-image", "fix/boot-test", 11, 9, S_NS_QEMU),
    ("ns-zmq-condition", "sunniva", "exec_command", f"{SU}/job-broker", "fix/broker-flake", 11, 14, S_NS_ZMQ),
    ("ns-hadoop-poll", "sunniva", "exec_command", f"{SU}/cold-archive", "release/1.4", 11, 16, S_NS_HADOOP),
    ("expl-search", "rafael", "claude", f"{RA}/catalog-search", "main", 12, 9, E_SEARCH),
    ("expl-logs", "sunniva", "shell", f"{SU}/logpipe", "main", 13, 10, E_LOGS),
    ("expl-runners", "tariq", "gemini_jsonl", f"{TA}/gateway-image", "", 15, 9, E_RUNNERS),
    ("expl-emacs", "tariq", "aider", f"{TA}/orgmark", "", 16, 10, E_EMACS),
    ("reports-search", "rafael", "claude", f"{RA}/catalog-search", "main", 17, 9, S_REPORTS_SEARCH),
    ("reports-logs", "sunniva", "exec_command", f"{SU}/logpipe", "main", 17, 11, S_REPORTS_LOGS),
    ("spiral-yocto-bg-poll", "tariq", "claude", f"{TA}/gateway-image", "release/field-test", 17, 15, S_YOCTO),
    ("ns-trino-two-raises", "sunniva", "gemini_jsonl", f"{SU}/trino-reports", "", 14, 10, S_NS_TRINO),
    ("expl-images", "tariq", "exec_command", f"{TA}/gateway-image", "main", 16, 14, E_IMAGES),
    ("reports-runners", "tariq", "claude", f"{TA}/storefront-e2e", "main", 18, 9, S_REPORTS_RUNNERS),
    ("expl-stores", "sunniva", "shell_command", f"{SU}/notes-stores", "main", 15, 13, E_STORES),
    ("expl-elisp", "rafael", "gemini", f"{RA}/orgmark-fork", "", 16, 15, E_ELISP),
    ("feat-surreal-1", "rafael", "claude", f"{RA}/field-notes", "feature/offline-queue", 18, 10, S_FEAT_SURREAL_1),
    ("feat-surreal-2", "rafael", "claude", f"{RA}/field-notes", "feature/offline-queue", 19, 9, S_FEAT_SURREAL_2),
    ("feat-agenda-1", "tariq", "claude", f"{TA}/orgmark", "feature/weekly-agenda", 19, 9, S_FEAT_AGENDA_1),
    ("feat-agenda-2", "tariq", "exec_command", f"{TA}/orgmark", "feature/weekly-agenda", 22, 14, S_FEAT_AGENDA_2),
    ("feat-agenda-3", "tariq", "shell_command", f"{TA}/orgmark", "feature/weekly-agenda", 25, 10, S_FEAT_AGENDA_3),
    ("feat-loki-1", "sunniva", "claude", f"{SU}/logpipe", "feature/loki-retention", 22, 9, S_FEAT_LOKI_1),
    ("feat-loki-2", "rafael", "shell_command", f"{RA}/logpipe", "fix/retention-fallback", 24, 10, S_FEAT_LOKI_2),
]

SPIRALS: dict[str, dict[str, Any]] = {
    "spiral-meili": {
        "site": MS,
        "outcome": "fixed_by_logic",
        "values_s": [5, 15, 45, 120],
        "wait_on": "test file (meilisearch wait_for_task timeout_in_ms)",
    },
    "spiral-fdb-bash-timeout": {
        "site": "pytest",
        "outcome": "unresolved",
        "values_s": [60, 180, 420, 600],
        "wait_on": "claude Bash timeout",
    },
    "spiral-trino-timeout-ms": {
        "site": "mvnw",
        "outcome": "masked",
        "values_s": [30, 90, 300, 900],
        "wait_on": "codex timeout_ms, codex shell",
    },
    "spiral-hazelcast-tail": {
        "site": "mvn",
        "outcome": "fixed_by_logic",
        "values_s": [60, 180, 600, 1200],
        "wait_on": "command-line flag (-Dsurefire.timeout), failure visible only in output (| tail), codex shell_command",
    },
    "spiral-bats-or-true": {
        "site": "bats",
        "outcome": "unresolved",
        "values_s": [5, 15, 45, 120],
        "wait_on": "environment variable on the command line (BATS_TEST_TIMEOUT), failure visible only in output (|| true)",
    },
    "spiral-fluentbit-2": {
        "site": FB,
        "outcome": "fixed_by_logic",
        "values_s": [5, 15, 45, 120],
        "wait_on": "config file (fluent-bit net.connect_timeout), across two sessions and two agents (claude, then codex shell_command)",
        "also_session": "spiral-fluentbit-1",
    },
    "spiral-robot-2": {
        "site": RB,
        "outcome": "masked",
        "values_s": [10, 30, 60, 180],
        "wait_on": "test file (Robot Wait Until Keyword Succeeds), codex exec_command, across two sessions",
        "also_session": "spiral-robot-1",
    },
    "spiral-yocto-bg-poll": {
        "site": "sleep",
        "outcome": "unresolved",
        "values_s": [60, 180, 420, 900],
        "wait_on": "run_in_background + polling sleep",
    },
    "spiral-testcafe-gemini": {
        "site": "testcafe",
        "outcome": "fixed_by_logic",
        "values_s": [3, 10, 30, 60],
        "wait_on": "command-line flag (testcafe --selector-timeout, ms), failure visible only in output (| tee, exit 0), gemini",
    },
}

NOT_SPIRALS = {
    "ns-typesense-justified": "one Claude Bash timeout raise 120000 -> 480000 ms justified by the 5m12s the user quoted for CI",
    "ns-memgraph-request": "Memgraph query timeout raised three times on request, every smoke check passing: no failed check",
    "ns-qemu-lowering": "timeout on a QEMU boot lowered 300 -> 60 -> 20 s to fail fast, then a kernel command-line fix",
    "ns-zmq-condition": "a sleep raised once, then replaced by a poller wait with a deadline",
    "ns-trino-two-raises": "Trino query.max-execution-time raised only twice, then a join fix and the limit put back, gemini",
    "ns-hadoop-poll": "write_stdin polls with growing yield_time_ms on a Maven build with MiniDFSCluster tests that progresses and succeeds",
}

FEATURES: list[dict[str, Any]] = [
    {
        "repo": "field-notes",
        "branch": "feature/offline-queue",
        "sessions": ["feat-surreal-1", "feat-surreal-2"],
        "patches_after_80": 4,
        "cliff": False,
        "note": "four fix attempts: two after failed cargo tests, two opened by plain-word reports",
    },
    {
        "repo": "orgmark",
        "branch": "feature/weekly-agenda",
        "sessions": ["feat-agenda-1", "feat-agenda-2", "feat-agenda-3"],
        "patches_after_80": 9,
        "cliff": True,
        "note": "three sessions over six days in three shapes (claude, codex exec_command, codex shell_command): four failed ERT runs, three plain-word reports, one pasted CI log",
    },
    {
        "name": "Loki retention",
        "repo": "logpipe",
        "branch": "feature/loki-retention + fix/retention-fallback",
        "sessions": ["feat-loki-1", "feat-loki-2"],
        "patches_after_80": 3,
        "cliff": False,
        "note": "two branches, two users and two agents joined by features.toml branch patterns; one attempt opened by a pasted compactor log line",
    },
]


def features_toml() -> str:
    return (
        "# Feature rules for the eighth held-out round: Loki retention spans two branches, users and agents.\n"
        '[[feature]]\nname = "Loki retention"\n'
        'branches = ["feature/loki-retention*", "fix/retention-fallback*"]\n'
    )


def _check(name: str, steps: list) -> None:
    for step in steps:
        if step[0] != "say":
            continue
        for text, verdict in said(step):
            if verdict not in VERDICTS:
                raise ValueError(f"{name}: say part without a verdict: {text!r}")


def _labelled(name: str, sid: str, steps: list) -> tuple[list[dict], list[dict]]:
    explanations: list[dict] = []
    user_messages: list[dict] = []
    seen: set[str] = set()
    last_user = None
    for step in steps:
        if step[0] == "user":
            last_user = step[1]
            if len(step) == 3:
                user_messages.append({"session": name, "text": step[1], "verdict": step[2]})
        elif step[0] == "say":
            whole = say_text(step)
            for text, verdict in said(step):
                if text in seen or text not in whole:
                    raise ValueError(f"{name}: sentence repeated or missing: {text!r}")
                seen.add(text)
                item = {"session": name, "session_id": sid, "text": text, "verdict": verdict}
                if name.startswith("reports-") and last_user:
                    item["after_user_report"] = last_user
                explanations.append(item)
    return explanations, user_messages


def build(out: Path) -> dict:
    """Write every session under out/<user>/ in its agent's own layout, out/features.toml, out/truth.json."""
    ids: dict[str, str] = {}
    explanations: list[dict] = []
    user_messages: list[dict] = []
    aider_files: dict[Path, list[str]] = {}
    for name, user, fmt, cwd, branch, day, hour, steps in SESSIONS:
        _check(name, steps)
        start = _day(day, hour)
        home = out / user
        if fmt == "claude":
            sid, text = claude_session(name, cwd, branch, start, steps)
            path = home / ".claude" / "projects" / cwd.replace("/", "-").replace(".", "-") / f"{sid}.jsonl"
        elif fmt in ("gemini", "gemini_jsonl"):
            sid, text = gemini_session(name, cwd, start, steps, jsonl=fmt == "gemini_jsonl")
            suffix = "jsonl" if fmt == "gemini_jsonl" else "json"
            chats = home / ".gemini" / "tmp" / _gemini_hash(cwd) / "chats"
            path = chats / f"session-{start.strftime('%Y-%m-%dT%H-%M')}-{sid[:8]}.{suffix}"
        elif fmt == "aider":
            sid, text = aider_session(name, cwd, start, steps)
            aider_files.setdefault(home / cwd.rsplit("/", 1)[-1] / ".aider.chat.history.md", []).append(text)
            path = None
        else:
            sid, text = codex_session(name, cwd, branch, start, steps, fmt)
            stamp = start.strftime("%Y-%m-%dT%H-%M-%S")
            path = home / ".codex" / "sessions" / start.strftime("%Y/%m/%d") / f"rollout-{stamp}-{sid}.jsonl"
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        ids[name] = sid
        said_here, users_here = _labelled(name, sid, steps)
        explanations.extend(said_here)
        user_messages.extend(users_here)
    for path, texts in aider_files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(texts), encoding="utf-8")
    (out / "features.toml").write_text(features_toml(), encoding="utf-8")
    agent = {"claude": "claude", "gemini": "gemini", "gemini_jsonl": "gemini", "aider": "aider"}
    truth = {
        "about": "Eighth held-out round, written blind in stacks earlier rounds did not use; see build_heldout8.py.",
        "sessions": {
            name: {
                "session_id": ids[name],
                "user": user,
                "agent": agent.get(fmt, "codex"),
                "branch": branch,
                **({"codex_tool": fmt} if fmt in CODEX_VERSIONS else {}),
                **({"file_format": "jsonl" if fmt == "gemini_jsonl" else "json"} if fmt.startswith("gemini") else {}),
            }
            for name, user, fmt, _c, branch, *_ in SESSIONS
        },
        "spirals": [
            {
                "session": k,
                "session_id": ids[k],
                **{f: v[f] for f in ("site", "outcome", "values_s", "wait_on")},
                **({"continues_from": v["also_session"]} if "also_session" in v else {}),
                "session_ids": ([ids[v["also_session"]]] if "also_session" in v else []) + [ids[k]],
            }
            for k, v in SPIRALS.items()
        ],
        "not_spirals": [{"session": k, "session_id": ids[k], "kind": v} for k, v in NOT_SPIRALS.items()],
        "explanations": explanations,
        "user_messages": user_messages,
        "features": [{**f, "sessions": [ids[s] for s in f["sessions"]]} for f in FEATURES],
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return truth


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "out")
