"""Build the sixth held-out corpus: sessions in stacks no earlier round used, written blind.

Transcripts for three users (dates in 2026-12) in all four formats the project reads: Claude
Code (``~/.claude/projects/<slug>/<uuid>.jsonl``), Codex CLI rollouts in the three tool shapes
the CLI has written (``shell`` with an argv and a JSON output, ``shell_command`` with a string
and plain-text output, ``exec_command``/``write_stdin`` with "Process exited with code N"),
Gemini CLI chat recordings (the legacy single document and the JSONL record log) and an Aider
``.aider.chat.history.md``. Stacks: Scala/sbt with ZIO Test, Qt/QML with ctest, Meson,
Verilator, Fortran/fpm, Solidity/Foundry, wasm-pack, CockroachDB, MongoDB replica sets,
LocalStack/SQS, the Pub/Sub emulator, Argo CD, Istio/Envoy, Vault, Nomad, Jenkins, GitLab CI,
Tekton, Dagger, WebdriverIO, Detox/Expo, the Storybook test runner, Nuxt, Remix, Prometheus
rule tests, the OpenTelemetry collector, Perl, Lua, Nim, Crystal, Elm and Gleam.

``truth.json`` holds the timeout spirals (waits in test and config files, command-line flags,
the agent's own tool budgets, background runs read by polling sleeps, checks whose verdict is
only in the printed output because ``| tail`` or ``|| true`` hides the exit status, two
spirals continuing into the next day's session on the same branch), the look-alikes that are
not spirals, every sentence the agent says with its verdict (exotic, legit, mundane, or
non_claim: must carry no exotic verdict; a message of several sentences has one entry per
sentence), the user messages that report a failure or do not, and the features with their fix
attempts past the 80% mark (``features.toml`` joins two branches into one named feature).
Nothing here was derived from the detectors. Stdlib only and deterministic.

Usage: python tests/heldout6/build_heldout6.py OUT_DIR
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

NS = uuid.UUID("c6e2a1f4-93b8-4d17-8a5e-0b6f4c2d9e06")
STEP = timedelta(seconds=47)
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
#   ("poll", cmd_step_index_name, yield_ms, exit_code, output)   write_stdin on a running process


def claude_session(name: str, cwd: str, branch: str, start: datetime, steps: list) -> tuple[str, str]:
    """Render scripted steps as a Claude Code transcript; returns (session id, jsonl text)."""
    sid = _sid(name)
    lines: list[dict] = []
    t = start
    parent = None
    n = 0
    slug = "-".join(["steady", "copper", "lynx"] if len(name) % 2 else ["woven", "birch", "plover"])

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
            "version": "2.1.118",
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
                "repository_url": f"git@github.com:harrowgate/{repo}.git",
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
            ctx = {"turn_id": turn, **ctx, "current_date": _ts(t)[:10], "timezone": "Europe/Warsaw"}
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
            _, path, old, new = step
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
            if style == "shell":
                out_text = json.dumps({"output": done, "metadata": {"exit_code": 0, "duration_seconds": 0.1}})
            else:
                out_text = f"Exit code: 0\nWall time: 0.1 seconds\nOutput:\n{done}"
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
        "> /home/keiko/.local/bin/aider --model gemini/gemini-2.5-pro --no-auto-lint  ",
        "> Aider v0.86.1  ",
        "> Main model: gemini/gemini-2.5-pro with diff edit format, weak model gemini/gemini-2.5-flash  ",
        "> Git repo: .git with 312 files  ",
        "> Repo-map: using 4096 tokens, auto refresh  ",
        f"> Cur working dir: {git_dir}/lib  ",
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
            lang = {"pl": "perl", "pm": "perl", "t": "perl", "lua": "lua", "nim": "nim", "cr": "crystal"}.get(
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
    return datetime(2026, 12, day, hour, minute, 0, tzinfo=UTC)


X, L, M, N = "exotic", "legit", "mundane", "non_claim"


def msg(*parts: object) -> tuple:
    """An agent message of several labelled sentences (tuples) and the text between them (strings)."""
    return ("say", list(parts))


# ================================================================ spirals

SB = "src/test/scala/ledger/SettlementSpec.scala"
SB_OLD = '    test("settles a batch of transfers") {{\n      assertZIO(Settlement.run(batch))(equalTo(Settled(3)))\n    }} @@ TestAspect.timeout({}.seconds)'
SB_CMD = 'sbt "testOnly ledger.SettlementSpec"'
SB_FAIL = "[info] SettlementSpec\n[info]   + rejects an empty batch\n[info]   + keeps transfer order\n[info]   - settles a batch of transfers\n[info]     Timeout of {} s exceeded.\n[info] 2 tests passed. 1 tests failed. 0 tests ignored.\n[info] Executed in {} s\n[error] Failed tests:\n[error] \tledger.SettlementSpec\n[error] (Test / testOnly) sbt.TestsFailedException: Tests unsuccessful\n[error] Total time: {} s, completed 1 Dec 2026, 10:{}:07"
S_SBT = [
    ("user", "SettlementSpec times out on my branch since yesterday. Can you get it green?", "report"),
    ("bash", SB_CMD, 1, SB_FAIL.format(5, "5.4", 19, 12), 19.0),
    ("edit", SB, SB_OLD.format(5), SB_OLD.format(15)),
    ("bash", SB_CMD, 1, SB_FAIL.format(15, "15.3", 29, 14), 29.0),
    msg(
        ("Still over the limit.", N),
        " ",
        (
            "Probably the JIT on this JVM is still warming up during the first seconds of the suite, so a bit more headroom should do it.",
            X,
        ),
    ),
    ("edit", SB, SB_OLD.format(15), SB_OLD.format(45)),
    ("bash", SB_CMD, 1, SB_FAIL.format(45, "45.2", 59, 16), 59.0),
    ("edit", SB, SB_OLD.format(45), SB_OLD.format(120)),
    ("bash", SB_CMD, 1, SB_FAIL.format(120, "120.1", 134, 19), 134.0),
    msg(
        ("Two minutes fail exactly like five seconds, so time is not what the test is missing.", N),
        "\n\n",
        (
            "`Settlement.run` waits on the `batchClosed` promise, and nothing in the spec ever calls `closeBatch`, so the fiber parks forever.",
            M,
        ),
    ),
    (
        "edit",
        SB,
        "      assertZIO(Settlement.run(batch))(equalTo(Settled(3)))",
        "      assertZIO(Settlement.run(batch) <& Settlement.closeBatch(batch.id))(equalTo(Settled(3)))",
    ),
    ("edit", SB, SB_OLD.format(120).split("\n")[-1], "    } @@ TestAspect.timeout(5.seconds)"),
    (
        "bash",
        SB_CMD,
        0,
        "[info] SettlementSpec\n[info]   + rejects an empty batch\n[info]   + keeps transfer order\n[info]   + settles a batch of transfers\n[info] 3 tests passed. 0 tests failed. 0 tests ignored.\n[success] Total time: 16 s, completed 1 Dec 2026, 10:24:51",
    ),
    msg(
        ("Fixed.", N),
        " ",
        ("The spec now closes the batch it settles, and the timeout is back at 5 seconds.", N),
    ),
]

CT = "ctest --test-dir build -R tst_checkoutpage --output-on-failure --timeout {}"
CT_FAIL = "Test project /Users/tomasz/code/fieldkit-qt/build\n    Start 14: tst_checkoutpage\n1/1 Test #14: tst_checkoutpage .................***Timeout  {}.04 sec\n********* Start testing of tst_checkoutpage *********\nConfig: Using QtTest library 6.8.1, Qt 6.8.1 (arm64-little_endian-lp64 shared (dynamic) release build; by Apple LLVM 16.0.0 (clang-1600.0.26.4)), macos 15.1\nPASS   : tst_checkoutpage::initTestCase()\nQWARN  : tst_checkoutpage::test_submitOrder() qrc:/qml/CheckoutPage.qml:88: TypeError: Cannot read property 'total' of null\n\n0% tests passed, 1 tests failed out of 1\n\nTotal Test time (real) =  {}.06 sec\n\nThe following tests FAILED:\n\t 14 - tst_checkoutpage (Timeout)\nErrors while running CTest"
S_CTEST = [
    ("user", "tst_checkoutpage hangs in CI and locally. Please make it pass.", "report"),
    ("bash", CT.format(30), 8, CT_FAIL.format(30, 30), 31.0),
    ("bash", CT.format(90), 8, CT_FAIL.format(90, 90), 91.0),
    msg(
        (
            "Qt's scene graph render loop may be stalling under the offscreen platform plugin on macOS, which would explain a hang with no crash.",
            X,
        ),
        " ",
        ("Trying a longer limit.", N),
    ),
    ("bash", CT.format(240), 8, CT_FAIL.format(240, 240), 241.0),
    ("bash", CT.format(600), 8, CT_FAIL.format(600, 600), 601.0),
    msg(
        ("## Status", N),
        "\n\n",
        ("- 30 s, 90 s, 240 s and 600 s all end in the same `***Timeout`.", N),
        "\n",
        ("- Every run prints the same `TypeError` from `CheckoutPage.qml:88` before it stalls.", N),
        "\n\n",
        ("I have not changed any QML yet.", N),
        " ",
        ("Do you want me to dig into `CheckoutPage.qml`, or is someone else already on the checkout page?", N),
    ),
]

VL = "verilator --binary --timing -j 4 --top-module tb_dma -Irtl rtl/*.sv tb/tb_dma.sv && ./obj_dir/Vtb_dma +burst_len=64"
VL_PART = "- V e r i l a t i o n   R e p o r t: Verilator 5.030 2024-10-27 rev v5.030\n- Verilator: Built from 2.113 MB sources in 14 modules, into 1.021 MB in 22 C++ files needing 0.001 MB\n[0] tb_dma: reset released\n[420] tb_dma: burst 0 issued, waiting for done"
S_VERILATOR = [
    ("user", "The DMA burst testbench never finishes under Verilator. Get it to pass.", "report"),
    ("bash_t", VL, 60000, None, VL_PART),
    ("bash_t", VL, 180000, None, VL_PART),
    ("say", "Still running at three minutes; I'll give the simulation seven minutes this time.", N),
    ("bash_t", VL, 420000, None, VL_PART),
    ("bash_t", VL, 600000, None, VL_PART),
    msg(
        ("Ten minutes and it never gets past `waiting for done`, so a longer run is pointless.", N),
        "\n\n",
        (
            "`tb_dma.sv` waits on `@(posedge done)`, but the testbench drives `rst_n = 1` during reset and `0` afterwards, so with an active-low reset `dma_ctrl` stays in reset and never raises `done`.",
            M,
        ),
    ),
    (
        "edit",
        "tb/tb_dma.sv",
        "    rst_n = 1'b1;\n    repeat (8) @(posedge clk);\n    rst_n = 1'b0;",
        "    rst_n = 1'b0;\n    repeat (8) @(posedge clk);\n    rst_n = 1'b1;",
    ),
    (
        "bash_t",
        VL,
        600000,
        0,
        "- V e r i l a t i o n   R e p o r t: Verilator 5.030 2024-10-27 rev v5.030\n[0] tb_dma: reset released\n[2210] tb_dma: 64 beats transferred, PASS\n- tb/tb_dma.sv:91: Verilog $finish\n- S i m u l a t i o n   R e p o r t: Verilator 5.030\n- Verilator: $finish at 2us; walltime 0.412 s; speed 5.121 us/s",
    ),
    ("say", "The testbench now releases reset the right way round and the burst test finishes in under a second.", N),
]

DG = "dagger call integration-test --source=. > /tmp/dagger-it.log 2>&1"
DG_LOG = '┃ ✘ exec go test ./integration/... -run TestQueueRoundTrip 1m0{}s\n┃ --- FAIL: TestQueueRoundTrip (60.02s)\n┃     queue_test.go:48: no message within 60s on queue "orders"\n┃ FAIL\n┃ FAIL\tgithub.com/harrowgate/infra-pipelines/integration\t60.411s\n✘ Container.stdout: process "go test ./integration/..." did not complete successfully: exit code: 1'
S_DAGGER = [
    ("user", "The Dagger integration pipeline went red after the LocalStack bump. Run it and see what's up.", "report"),
    ("bg", DG, "bq3d7k2mz"),
    ("bash", "sleep 45 && tail -6 /tmp/dagger-it.log", 0, DG_LOG.format(".4"), 45.1),
    ("bg", DG, "bw8r2n5tx"),
    ("bash", "sleep 120 && tail -6 /tmp/dagger-it.log", 0, DG_LOG.format(".2"), 120.1),
    msg(
        ("Same failure.", N),
        " ",
        ("Next I'll leave the run five minutes before reading the log.", N),
    ),
    ("bg", DG, "bk5m9p1qc"),
    ("bash", "sleep 300 && tail -6 /tmp/dagger-it.log", 0, DG_LOG.format(".7"), 300.1),
    ("bg", DG, "bz1c6v8hy"),
    ("bash", "sleep 600 && tail -6 /tmp/dagger-it.log", 0, DG_LOG.format(".3"), 600.1),
    msg(
        (
            "Ten minutes of waiting and the log shows the same `TestQueueRoundTrip` failure every time, so waiting longer will not change it.",
            N,
        ),
        " ",
        ("Should I look at how the `localstack` service is bound in the Dagger module next?", N),
    ),
]

DT = "npx detox test -c ios.sim.release e2e/checkout.test.ts --cleanup"
DT_PART = "detox[41822] B node_modules/.bin/jest --config e2e/jest.config.js e2e/checkout.test.ts\n› Building the app with xcodebuild (Release)...\n▸ Compiling CourierApp (arm64)\n▸ Linking CourierApp"
S_DETOX = [
    ("user", "Run the Detox checkout e2e on the release simulator build and make sure it passes.", "not_report"),
    ("bash_t", DT, 120000, None, DT_PART),
    ("bash_t", DT, 300000, None, DT_PART + "\n▸ Running script 'Bundle React Native code and images'"),
    (
        "bash_t",
        DT,
        600000,
        None,
        DT_PART
        + "\n▸ Running script 'Bundle React Native code and images'\n▸ Build Succeeded\ndetox[41822] i checkout.test.ts is assigned to iPhone 16 (2A1F0C3E)",
    ),
    (
        "bash_t",
        DT,
        1200000,
        0,
        DT_PART
        + "\n▸ Build Succeeded\n PASS  e2e/checkout.test.ts (412.8 s)\n  Checkout\n    ✓ places an order with a saved card (38211 ms)\n    ✓ shows the receipt (9120 ms)\n\nTest Suites: 1 passed, 1 total\nTests:       2 passed, 2 total",
    ),
    (
        "say",
        "The Detox run passes with a twenty-minute budget; most of that time is the Release build, not the test.",
        N,
    ),
]

AC = "argocd app wait ledger --sync --health --timeout {} 2>&1 | tail -3"
AC_FAIL = 'TIMESTAMP                  GROUP  KIND        NAMESPACE  NAME    STATUS  HEALTH       HOOK  MESSAGE\n2026-12-03T11:02:41+01:00  apps   Deployment  ledger     ledger  Synced  Progressing        \nFATA[0{}] timed out ({}s) waiting for app "ledger" match desired state'
S_ARGOCD = [
    ("user", "Argo CD shows ledger stuck Progressing in prod after this morning's merge. Get it healthy.", "report"),
    ("bash", AC.format(120), 0, AC_FAIL.format(120, 120), 120.5),
    ("bash", AC.format(300), 0, AC_FAIL.format(300, 300), 300.4),
    ("bash", AC.format(600), 0, AC_FAIL.format(600, 600), 600.6),
    ("bash", AC.format(900), 0, AC_FAIL.format(900, 900), 900.2),
    (
        "bash",
        "kubectl -n ledger get pods -l app.kubernetes.io/name=ledger && kubectl -n ledger describe pod -l app.kubernetes.io/name=ledger | grep -A2 Failed",
        0,
        'NAME                      READY   STATUS             RESTARTS   AGE\nledger-6f9c7d8b5-x2kqp    0/1     ImagePullBackOff   0          31m\n  Warning  Failed     3m (x12 over 31m)  kubelet  Failed to pull image "registry.harrowgate.io/ledger:2026.12.1-rc": rpc error: code = NotFound desc = failed to pull and unpack image "registry.harrowgate.io/ledger:2026.12.1-rc": not found',
    ),
    msg(
        (
            "The new pod is in `ImagePullBackOff` with `not found` for `ledger:2026.12.1-rc`, so the rollout can never turn Healthy however long `argocd app wait` waits.",
            L,
        ),
        " ",
        (
            "`apps/ledger/overlays/prod/kustomization.yaml` pins `newTag: 2026.12.1-rc`, a tag the release job never pushed; the release is `2026.12.1`.",
            M,
        ),
    ),
    (
        "edit",
        "apps/ledger/overlays/prod/kustomization.yaml",
        "  - name: registry.harrowgate.io/ledger\n    newTag: 2026.12.1-rc",
        "  - name: registry.harrowgate.io/ledger\n    newTag: 2026.12.1",
    ),
    (
        "bash",
        "git commit -am 'ledger: pin the released image tag' && git push && " + AC.format(900),
        0,
        "TIMESTAMP                  GROUP  KIND        NAMESPACE  NAME    STATUS  HEALTH   HOOK  MESSAGE\n2026-12-03T12:14:09+01:00  apps   Deployment  ledger     ledger  Synced  Healthy        deployment.apps/ledger configured\nMessage:            successfully synced (all tasks run)",
    ),
    ("say", "ledger is Synced and Healthy on the released tag.", N),
]

TK = "tkn pipeline start build-and-test -p revision=main -w name=shared,claimName=ws-pvc --timeout {} --showlog || true"
TK_FAIL = 'PipelineRun started: build-and-test-run-{0}\nWaiting for logs to be available...\n[fetch : clone] + git clone https://git.harrowgate.io/build-farm.git /workspace/shared\n[unit-test : run] ok  \tbuild-farm/internal/queue\t4.112s\n[integration : wait-db] waiting for postgres.build-farm.svc:5432 ...\nPipelineRun build-and-test-run-{0} has failed: PipelineRun "build-and-test-run-{0}" failed to finish within "{1}"'
S_TEKTON = [
    ("user", "The build-and-test PipelineRun keeps failing on the cluster. Can you get a green run?", "report"),
    ("bash", TK.format("10m"), 0, TK_FAIL.format("x7k2p", "10m0s"), 601.0),
    ("bash", TK.format("20m"), 0, TK_FAIL.format("m4q9z", "20m0s"), 1201.0),
    ("bash", TK.format("45m"), 0, TK_FAIL.format("b2w8c", "45m0s"), 2701.0),
    msg(
        ("I'd guess the cluster autoscaler is slow to bring up a node for the integration pod this morning.", X),
        " ",
        ("One more run with an hour.", N),
    ),
    ("bash", TK.format("60m"), 0, TK_FAIL.format("r6t1v", "1h0m0s"), 3601.0),
    msg(
        (
            "Four runs, four timeouts, and each one stops in `integration : wait-db` waiting for `postgres.build-farm.svc:5432`.",
            N,
        ),
        " ",
        (
            "I'm leaving the pipeline as it is until we know whether that Postgres service should exist in this namespace at all.",
            N,
        ),
    ),
]

OT = "deploy/otel-collector.yaml"
OT_OLD = "exporters:\n  otlp/tempo:\n    endpoint: tempo.observability.svc:4318\n    timeout: {}"
OT_CMD = "go test ./e2e -run TestCollectorExportsSpans -count=1"
OT_FAIL = '--- FAIL: TestCollectorExportsSpans ({0}.41s)\n    export_test.go:77: no spans for trace 4bf92f3577b34da6a3ce929d0e0e4736 in Tempo after {0}s\n    export_test.go:81: collector: 2026-12-04T09:12:44.118Z\twarn\texporterhelper/retry_sender.go:118\tExporting failed. Will retry the request after interval.\t{{"kind": "exporter", "data_type": "traces", "name": "otlp/tempo", "error": "rpc error: code = DeadlineExceeded desc = context deadline exceeded", "interval": "5.2s"}}\nFAIL\nFAIL\tgithub.com/harrowgate/telemetry-gw/e2e\t{0}.9s'
S_OTEL = [
    ("user", "The collector e2e test can't find our spans in Tempo. Please fix.", "report"),
    ("bash", OT_CMD, 1, OT_FAIL.format(12), 14.0),
    ("edit", OT, OT_OLD.format("5s"), OT_OLD.format("15s")),
    ("bash", OT_CMD, 1, OT_FAIL.format(32), 34.0),
    ("edit", OT, OT_OLD.format("15s"), OT_OLD.format("30s")),
    ("bash", OT_CMD, 1, OT_FAIL.format(62), 64.0),
    msg(
        ("Tempo's distributor is probably shedding load while the compactor runs.", X),
        " ",
        ("Doubling the exporter timeout once more.", N),
    ),
    ("edit", OT, OT_OLD.format("30s"), OT_OLD.format("60s")),
    ("bash", OT_CMD, 1, OT_FAIL.format(122), 124.0),
    msg(
        (
            "The `otlp/tempo` exporter speaks gRPC but points at port 4318, Tempo's OTLP/HTTP port; the gRPC receiver is on 4317, so every export runs into the deadline whatever the timeout.",
            M,
        ),
    ),
    ("edit", OT, OT_OLD.format("60s"), OT_OLD.format("60s").replace("4318", "4317")),
    ("bash", OT_CMD, 0, "ok  \tgithub.com/harrowgate/telemetry-gw/e2e\t3.218s"),
    ("say", "Spans arrive in Tempo within a second now; I left the timeout at 60s, say if you want it back at 5s.", N),
]

MG = ".env.test"
MG_OLD = "MONGO_URL=mongodb://localhost:27017,localhost:27018,localhost:27019/orders?replicaSet=rs0&serverSelectionTimeoutMS={}"
MG_CMD = "npm run test:integration"
MG_FAIL = " FAIL  test/integration/orders.repo.test.ts ({}.9 s)\n  ● OrdersRepository › creates an order inside a transaction\n\n    MongoServerSelectionError: Server selection timed out after {} ms\n\n      at Timeout._onTimeout (node_modules/mongodb/src/sdam/topology.ts:287:38)\n\nTest Suites: 1 failed, 3 passed, 4 total\nTests:       1 failed, 22 passed, 23 total"
S_MONGO_1 = [
    ("user", "The orders integration tests can't reach the Mongo replica set. Have a look?", "report"),
    ("bash", MG_CMD, 1, MG_FAIL.format(7, 5000), 9.0),
    ("edit", MG, MG_OLD.format(5000), MG_OLD.format(15000)),
    ("bash", MG_CMD, 1, MG_FAIL.format(17, 15000), 19.0),
    msg(
        ("Still timing out at fifteen seconds.", N),
        " ",
        ("I'll stop here for today and carry on tomorrow morning.", N),
    ),
]
S_MONGO_2 = [
    ("user", "Morning — carry on with the replica set tests from yesterday.", "not_report"),
    ("edit", MG, MG_OLD.format(15000), MG_OLD.format(45000)),
    ("bash", MG_CMD, 1, MG_FAIL.format(47, 45000), 49.0),
    msg(
        ("Could be Docker Desktop's VM networking dropping the connections between the members.", X),
    ),
    ("edit", MG, MG_OLD.format(45000), MG_OLD.format(90000)),
    ("bash", MG_CMD, 1, MG_FAIL.format(92, 90000), 94.0),
    (
        "bash",
        "docker compose exec mongo1 mongosh --quiet --eval 'rs.conf().members.map(m => m.host)'",
        0,
        "[ 'mongo1:27017', 'mongo2:27017', 'mongo3:27017' ]",
    ),
    msg(
        (
            "`scripts/init-replset.js` initiates the set with the compose service names (`mongo1:27017`…), which the driver on the host cannot resolve, so after discovery it drops the seed list and never finds a primary.",
            M,
        ),
    ),
    (
        "edit",
        "scripts/init-replset.js",
        '    { _id: 0, host: "mongo1:27017" },\n    { _id: 1, host: "mongo2:27017" },\n    { _id: 2, host: "mongo3:27017" },',
        '    { _id: 0, host: "localhost:27017" },\n    { _id: 1, host: "localhost:27018" },\n    { _id: 2, host: "localhost:27019" },',
    ),
    (
        "bash",
        "docker compose down -v && docker compose up -d && " + MG_CMD,
        0,
        " PASS  test/integration/orders.repo.test.ts\n\nTest Suites: 4 passed, 4 total\nTests:       23 passed, 23 total",
    ),
    ("say", "All 23 integration tests pass against the re-initiated replica set.", N),
]

LS = "tests/integration/test_sqs_consumer.py"
LS_OLD = "@pytest.mark.timeout({})\ndef test_consumer_drains_queue(localstack_sqs):"
LS_CMD = "pytest tests/integration/test_sqs_consumer.py -q -p no:cacheprovider"
LS_FAIL = "E       Failed: Timeout (>{0}.0s) from pytest-timeout.\nFAILED tests/integration/test_sqs_consumer.py::test_consumer_drains_queue - Failed: Timeout (>{0}.0s) from pytest-timeout.\n1 failed, 5 passed in {1}s"
S_LOCALSTACK_1 = [
    ("user", "test_consumer_drains_queue times out against LocalStack, please look into it.", "report"),
    ("bash", LS_CMD, 1, LS_FAIL.format(30, "33.80"), 34.0),
    ("edit", LS, LS_OLD.format(30), LS_OLD.format(60)),
    ("bash", LS_CMD, 1, LS_FAIL.format(60, "63.12"), 63.5),
    ("say", "Still over at sixty seconds; leaving it here until tomorrow.", N),
]
S_LOCALSTACK_2 = [
    ("user", "Picking the SQS consumer test back up.", "not_report"),
    ("edit", LS, LS_OLD.format(60), LS_OLD.format(180)),
    ("bash", LS_CMD, 1, LS_FAIL.format(180, "183.41"), 184.0),
    ("edit", LS, LS_OLD.format(180), LS_OLD.format(300)),
    ("bash", LS_CMD, 0, "......\n6 passed in 241.70s (0:04:01)", 242.0),
    msg(
        ("It passes at five minutes.", N),
        " ",
        (
            "`drain()` long-polls with `WaitTimeSeconds=20` and only stops after twelve empty receives in a row, so the test needs about four minutes.",
            M,
        ),
    ),
]

VT = "scripts/wait-for-vault.sh"
VT_OLD = "timeout {} bash -c 'until vault status -address=http://127.0.0.1:8200 >/dev/null 2>&1; do sleep 1; done' || {{ echo \"vault did not become ready within {}s\"; exit 124; }}"
VT_FAIL = "docker compose up -d vault\n Container secrets-sync-vault-1  Started\n./scripts/wait-for-vault.sh\nvault did not become ready within {}s\nmake: *** [Makefile:21: integration] Error 124"
S_VAULT = [
    ("user", "`make integration` fails on the Vault step on my laptop. Can you sort it?", "report"),
    ("bash", "make integration", 2, VT_FAIL.format(10), 12.0),
    ("edit", VT, VT_OLD.format(10, 10), VT_OLD.format(30, 30)),
    ("bash", "make integration", 2, VT_FAIL.format(30), 32.0),
    ("edit", VT, VT_OLD.format(30, 30), VT_OLD.format(60, 60)),
    ("bash", "make integration", 2, VT_FAIL.format(60), 62.0),
    ("say", "Vault in dev mode usually starts in a second or two, so I'm trying two minutes before anything else.", N),
    ("edit", VT, VT_OLD.format(60, 60), VT_OLD.format(120, 120)),
    ("bash", "make integration", 2, VT_FAIL.format(120), 122.0),
    (
        "bash",
        "docker compose logs vault | tail -3",
        0,
        "secrets-sync-vault-1  | ==> Vault server configuration:\nsecrets-sync-vault-1  | Error initializing listener of type tcp: listen tcp 0.0.0.0:8200: bind: address already in use\nsecrets-sync-vault-1 exited with code 1",
    ),
    msg(
        (
            "Vault never started listening: its log says `listen tcp 0.0.0.0:8200: bind: address already in use`, so another process on this machine holds port 8200 and no wait in the script can help.",
            L,
        ),
        "\n\n",
        ("Can you tell me what is running on 8200 on your laptop?", N),
        " ",
        ("I'd rather not stop it without asking.", N),
    ),
]

# ================================================================ not spirals

FG = "forge test --match-contract ForkedVaultTest --fork-url $MAINNET_RPC_URL -vv"
S_NS_FORGE = [
    ("user", "Run the forked vault tests against mainnet before we tag the release.", "not_report"),
    ("bash_t", FG, 120000, None, "[⠊] Compiling...\nNo files changed, compilation skipped"),
    (
        "bash",
        "ls ~/.foundry/cache/rpc/mainnet | wc -l; time cast block-number --rpc-url $MAINNET_RPC_URL",
        0,
        "0\n21400112\n\nreal\t0m1.912s\nuser\t0m0.031s\nsys\t0m0.018s",
    ),
    msg(
        (
            "The fork cache for mainnet is empty (0 files), so this first run fetches every storage slot the invariant tests touch, at about 1.9 s per RPC round trip as measured above.",
            L,
        ),
        " ",
        ("Two minutes cannot cover that; I'm giving it ten minutes, once, and later runs will hit the cache.", N),
    ),
    (
        "bash_t",
        FG,
        600000,
        0,
        "Ran 4 tests for test/ForkedVault.t.sol:ForkedVaultTest\n[PASS] invariant_totalAssetsCoverShares() (runs: 256, calls: 128000, reverts: 0)\n[PASS] test_depositWithdrawRoundTrip() (gas: 214118)\n[PASS] test_harvestDoesNotLoseFunds() (gas: 398201)\n[PASS] test_pauseBlocksDeposits() (gas: 61203)\nSuite result: ok. 4 passed; 0 failed; 0 skipped; finished in 391.22s (388.10s CPU time)",
    ),
    ("say", "All four forked tests pass; the run took six and a half minutes with a cold cache.", N),
]

JK = "Jenkinsfile"
JK_CMD = 'curl -s -X POST -F "jenkinsfile=<Jenkinsfile" https://ci.harrowgate.io/pipeline-model-converter/validate'
JK_OK = "Jenkinsfile successfully validated."
S_NS_JENKINS = [
    (
        "user",
        "Bump the integration stage timeout in the Jenkinsfile to 45 minutes; the nightly DB restore got bigger.",
        "not_report",
    ),
    (
        "edit",
        JK,
        "        stage('Integration') {\n            options { timeout(time: 30, unit: 'MINUTES') }",
        "        stage('Integration') {\n            options { timeout(time: 45, unit: 'MINUTES') }",
    ),
    ("bash", JK_CMD, 0, JK_OK),
    ("user", "Make it 60, and give the e2e stage 40 while you're there.", "not_report"),
    (
        "edit",
        JK,
        "        stage('Integration') {\n            options { timeout(time: 45, unit: 'MINUTES') }",
        "        stage('Integration') {\n            options { timeout(time: 60, unit: 'MINUTES') }",
    ),
    (
        "edit",
        JK,
        "        stage('E2E') {\n            options { timeout(time: 25, unit: 'MINUTES') }",
        "        stage('E2E') {\n            options { timeout(time: 40, unit: 'MINUTES') }",
    ),
    ("bash", JK_CMD, 0, JK_OK),
    ("user", "Actually 90 for integration, the restore alone took 52 minutes last night.", "not_report"),
    (
        "edit",
        JK,
        "        stage('Integration') {\n            options { timeout(time: 60, unit: 'MINUTES') }",
        "        stage('Integration') {\n            options { timeout(time: 90, unit: 'MINUTES') }",
    ),
    ("bash", JK_CMD, 0, JK_OK),
    msg(
        ("Done:", N),
        "\n\n",
        ("| stage | before | after |", N),
        "\n|---|---|---|\n",
        ("| Integration | 30 min | 90 min |", N),
        "\n",
        ("| E2E | 25 min | 40 min |", N),
        "\n\n",
        ("The declarative linter on ci.harrowgate.io accepts the file.", N),
    ),
]

WD = "wdio.conf.ts"
WD_OLD = "    mochaOpts: {{ ui: 'bdd', timeout: {} }},"
WD_CMD = "npx wdio run wdio.conf.ts --spec test/specs/login.e2e.ts"
S_NS_WDIO = [
    (
        "user",
        "The WebdriverIO login spec hangs for ten minutes before it fails. Make it fail fast, then fix it.",
        "report",
    ),
    (
        "bash",
        WD_CMD,
        1,
        '[chrome 131.0.6778.85 linux #0-0] » /test/specs/login.e2e.ts\n[chrome 131.0.6778.85 linux #0-0] Login\n[chrome 131.0.6778.85 linux #0-0]    ✖ signs in with a valid account\n[chrome 131.0.6778.85 linux #0-0] Error: Timeout of 600000ms exceeded. The execution in the test "Login signs in with a valid account" took too long.\nSpec Files:\t 0 passed, 1 failed, 1 total (100% completed) in 00:10:04',
        604.0,
    ),
    ("edit", WD, WD_OLD.format(600000), WD_OLD.format(60000)),
    (
        "bash",
        WD_CMD,
        1,
        '[chrome 131.0.6778.85 linux #0-0]    ✖ signs in with a valid account\n[chrome 131.0.6778.85 linux #0-0] Error: Timeout of 60000ms exceeded. The execution in the test "Login signs in with a valid account" took too long.\nSpec Files:\t 0 passed, 1 failed, 1 total (100% completed) in 00:01:04',
        64.0,
    ),
    ("edit", WD, WD_OLD.format(60000), WD_OLD.format(10000)),
    (
        "bash",
        WD_CMD,
        1,
        '[chrome 131.0.6778.85 linux #0-0]    ✖ signs in with a valid account\n[chrome 131.0.6778.85 linux #0-0] Error: element ("[data-test=login-submit]") still not clickable after 5000ms\n    at async Context.<anonymous> (test/specs/login.e2e.ts:19:9)\nSpec Files:\t 0 passed, 1 failed, 1 total (100% completed) in 00:00:14',
        14.0,
    ),
    msg(
        ("With a short timeout the real error shows: the submit button never becomes clickable.", N),
        " ",
        (
            "`LoginForm.vue` enables it only once `captchaToken` is set, and the e2e build does not stub the captcha widget.",
            M,
        ),
    ),
    (
        "edit",
        "src/components/LoginForm.vue",
        "const submitDisabled = computed(() => !captchaToken.value)",
        "const submitDisabled = computed(() => !captchaToken.value && !import.meta.env.VITE_E2E)",
    ),
    (
        "bash",
        WD_CMD,
        0,
        "[chrome 131.0.6778.85 linux #0-0]    ✓ signs in with a valid account\nSpec Files:\t 1 passed, 1 total (100% completed) in 00:00:09",
        9.0,
    ),
]

IS_CMD = "go test ./e2e/mesh -run TestCheckoutPath -count=1"
S_NS_ISTIO = [
    (
        "user",
        "The mesh e2e for the checkout path fails since we moved payments behind the mesh. Fix the config.",
        "report",
    ),
    (
        "bash",
        IS_CMD,
        1,
        '--- FAIL: TestCheckoutPath (2.31s)\n    mesh_test.go:52: POST /checkout: got 504, body "upstream request timeout" after 2.003s\nFAIL\tgithub.com/harrowgate/mesh-config/e2e/mesh\t2.6s',
    ),
    msg(
        (
            "The checkout route has `timeout: 2s` in its VirtualService, and the checkout handler's p99 in the load test report from last week is 3.4 s, so 5 s is the value to use there.",
            M,
        ),
    ),
    (
        "edit",
        "mesh/checkout/virtualservice.yaml",
        "    route:\n    - destination:\n        host: checkout\n    timeout: 2s",
        "    route:\n    - destination:\n        host: checkout\n    timeout: 5s",
    ),
    (
        "bash",
        IS_CMD,
        1,
        '--- FAIL: TestCheckoutPath (4.12s)\n    mesh_test.go:61: POST /payments/authorize: got 503, body "upstream connect error or disconnect/reset before headers. reset reason: connection timeout"\nFAIL\tgithub.com/harrowgate/mesh-config/e2e/mesh\t4.4s',
    ),
    (
        "edit",
        "mesh/payments/destinationrule.yaml",
        "      tcp:\n        connectTimeout: 1s",
        "      tcp:\n        connectTimeout: 3s",
    ),
    (
        "bash",
        IS_CMD,
        1,
        '--- FAIL: TestCheckoutPath (3.97s)\n    mesh_test.go:70: GET /inventory/reserve: got 503, body "upstream request timeout" (retries exhausted: 3 attempts, perTryTimeout 500ms)\nFAIL\tgithub.com/harrowgate/mesh-config/e2e/mesh\t4.2s',
    ),
    (
        "edit",
        "mesh/inventory/virtualservice.yaml",
        "    retries:\n      attempts: 3\n      perTryTimeout: 500ms",
        "    retries:\n      attempts: 3\n      perTryTimeout: 2s",
    ),
    ("bash", IS_CMD, 0, "ok  \tgithub.com/harrowgate/mesh-config/e2e/mesh\t3.1s"),
    msg(
        ("Three settings changed, one per service:", N),
        "\n",
        ("- checkout route timeout 2s → 5s", N),
        "\n",
        ("- payments connectTimeout 1s → 3s", N),
        "\n",
        ("- inventory perTryTimeout 500ms → 2s", N),
    ),
]

PS = "tests/conftest.py"
PS_CMD = "pytest tests/test_bridge.py -q"
S_NS_PUBSUB = [
    ("user", "test_bridge fails now and then against the Pub/Sub emulator, can you make it reliable?", "report"),
    (
        "bash",
        PS_CMD,
        1,
        "E   google.api_core.exceptions.NotFound: 404 Topic not found\nFAILED tests/test_bridge.py::test_forwards_order_events - google.api_core.exceptions.NotFound: 404 Topic not found\n1 failed, 7 passed in 6.20s",
        7.0,
    ),
    (
        "edit",
        PS,
        "    time.sleep(5)  # let the emulator create the topic",
        "    time.sleep(10)  # let the emulator create the topic",
    ),
    (
        "bash",
        PS_CMD,
        1,
        "E   google.api_core.exceptions.NotFound: 404 Topic not found\nFAILED tests/test_bridge.py::test_forwards_order_events - google.api_core.exceptions.NotFound: 404 Topic not found\n1 failed, 7 passed in 11.31s",
        12.0,
    ),
    msg(
        ("A longer sleep is the wrong tool here.", N),
        " ",
        (
            "The fixture should wait until `get_topic` succeeds, with a deadline, instead of guessing how long creation takes.",
            N,
        ),
    ),
    (
        "edit",
        PS,
        "    time.sleep(10)  # let the emulator create the topic",
        "    wait_until(lambda: topic_exists(publisher, TOPIC), deadline_s=30, every_s=0.2)",
    ),
    ("bash", PS_CMD, 0, "........\n8 passed in 2.04s", 3.0),
    ("say", "The fixture now polls for the topic and the suite passes in two seconds.", N),
]

CR = "internal/db/conn.go"
CR_OLD = '\tcfg.RuntimeParams["statement_timeout"] = "{}"'
CR_CMD = "go test ./internal/settlement/... -run TestNightlySettlement -count=1"
CR_FAIL = "--- FAIL: TestNightlySettlement ({}s)\n    settle_test.go:64: settle: ERROR: query execution canceled due to statement timeout (SQLSTATE 57014)\nFAIL\nFAIL\tgithub.com/harrowgate/payments-crdb/internal/settlement\t{}s"
S_NS_CRDB = [
    ("user", "TestNightlySettlement fails with a statement timeout on CockroachDB.", "report"),
    ("bash", CR_CMD, 1, CR_FAIL.format("5.21", "5.6")),
    ("edit", CR, CR_OLD.format("5s"), CR_OLD.format("10s")),
    ("bash", CR_CMD, 1, CR_FAIL.format("10.18", "10.5")),
    ("edit", CR, CR_OLD.format("10s"), CR_OLD.format("20s")),
    ("bash", CR_CMD, 1, CR_FAIL.format("20.33", "20.7")),
    (
        "bash",
        "cockroach sql --insecure -d payments -e \"EXPLAIN SELECT id, amount FROM transfers WHERE account_id = 'acc_9' AND settled_at IS NULL\"",
        0,
        "  distribution: full\n  vectorized: true\n\n  • filter\n  │ filter: (account_id = 'acc_9') AND (settled_at IS NULL)\n  │\n  └── • scan\n        missing stats\n        table: transfers@transfers_pkey\n        spans: FULL SCAN",
    ),
    msg(
        (
            "EXPLAIN shows a full scan of `transfers@transfers_pkey`: the settlement query filters on `account_id` and `settled_at`, and no index covers them.",
            M,
        ),
        " ",
        ("Adding the index and putting the timeout back at 5s.", N),
    ),
    (
        "edit",
        "migrations/0042_transfers_unsettled_idx.up.sql",
        "",
        "CREATE INDEX transfers_unsettled_idx ON transfers (account_id) WHERE settled_at IS NULL;",
    ),
    ("edit", CR, CR_OLD.format("20s"), CR_OLD.format("5s")),
    (
        "bash",
        "make migrate-test && " + CR_CMD,
        0,
        "ok  \tgithub.com/harrowgate/payments-crdb/internal/settlement\t0.84s",
    ),
]

FP = "fpm test --profile release --flag -fopenmp"
S_NS_FPM = [
    ("user", "Build the solver in release mode with OpenMP and run the test suite.", "not_report"),
    ("bash", FP, None, "[  4%] Compiling src/kinds.f90\n[ 12%] Compiling src/sparse/csr.f90"),
    ("poll", FP, 30000, None, "[ 38%] Compiling src/solver/pcg.f90\n[ 45%] Compiling src/solver/gmres.f90"),
    ("poll", FP, 60000, None, "[ 71%] Compiling src/precond/ilu0.f90\n[ 80%] Linking libsolver.a"),
    ("poll", FP, 120000, None, "[100%] Project compiled successfully.\n test_pcg: 212 cases"),
    (
        "poll",
        FP,
        300000,
        0,
        " test_pcg ............ PASSED (212 cases)\n test_gmres .......... PASSED (148 cases)\n test_ilu0 ........... PASSED (52 cases)\n All tests passed.",
    ),
    ("say", "The release build with OpenMP compiles and all 412 solver cases pass.", N),
]

# ================================================================ explanations

E_HW = [  # Qt/QML, Meson, Verilator, Fortran, Scala: claude
    (
        "user",
        "Go through the red jobs on the hwlab dashboard one at a time and tell me what broke in each.",
        "not_report",
    ),
    (
        "bash",
        "meson test -C build --suite unit --print-errorlogs",
        1,
        '1/9 fieldkit:unit / test_ringbuf        OK              0.02s\n2/9 fieldkit:unit / test_crc16          FAIL            0.01s   exit status 1\n>>> MALLOC_PERTURB_=211 ./build/tests/test_crc16\n--- stdout ---\ntests/test_crc16.c:31: crc16_ccitt("123456789") = 0x29B1, expected 0x31C3\n\nSummary of Failures:\n2/9 fieldkit:unit / test_crc16 FAIL 0.01s exit status 1\n\nOk:                 8\nFail:               1',
    ),
    msg(
        (
            "`test_crc16` expects 0x31C3, which is the XMODEM variant, while `crc16_ccitt()` in `src/crc16.c` starts from 0xFFFF; the test and the function disagree about which CRC they mean.",
            M,
        ),
        " ",
        ("I'll ask Marta which one the bootloader actually uses before touching either.", N),
    ),
    (
        "bash",
        "meson setup build-cross --cross-file cross/arm-none-eabi.ini",
        1,
        "The Meson build system\nVersion: 1.6.0\nSource dir: /home/ines/src/hwlab\nBuild dir: /home/ines/src/hwlab/build-cross\nBuild type: cross build\n\nmeson.build:1:0: ERROR: Unknown compiler(s): [['arm-none-eabi-gcc']]\nThe following exception(s) were encountered:\nRunning `arm-none-eabi-gcc --version` gave \"[Errno 2] No such file or directory: 'arm-none-eabi-gcc'\"",
    ),
    msg(
        (
            "The ARM cross toolchain is not installed on this machine: Meson ran `arm-none-eabi-gcc --version` and got `No such file or directory`.",
            L,
        ),
        "\n\n",
        ("Options:", N),
        "\n",
        ("1. install `gcc-arm-none-eabi` from the distro,", N),
        "\n",
        ("2. or point `cross/arm-none-eabi.ini` at the toolchain under `/opt/arm/bin`.", N),
    ),
    (
        "bash",
        "ctest --test-dir build-qt -R tst_settingspage --output-on-failure",
        8,
        '    Start 9: tst_settingspage\n1/1 Test #9: tst_settingspage .................***Failed    0.41s\n********* Start testing of tst_settingspage *********\nFAIL!  : tst_settingspage::test_unitsToggle() Compared values are not the same\n   Actual   (page->property("unitLabel").toString()): "km"\n   Expected (QStringLiteral("mi"))                  : "mi"\n   Loc: [tests/tst_settingspage.cpp(58)]\nTotals: 3 passed, 1 failed, 0 skipped, 0 blacklisted, 23ms\n\n0% tests passed, 1 tests failed out of 1',
    ),
    msg(
        ("Probably a Qt 6.8 regression in how property bindings re-evaluate after `setProperty` on a `QQuickItem`.", X),
        " ",
        ("I'll check the binding in `SettingsPage.qml` first anyway.", N),
    ),
    (
        "bash",
        "grep -n unitLabel qml/SettingsPage.qml",
        0,
        '41:    property string unitLabel: settings.metric ? "km" : "km"',
    ),
    msg(
        (
            'Found it: `unitLabel` in `SettingsPage.qml` has `"km"` on both sides of the ternary, so the toggle can never show miles.',
            M,
        ),
        " ",
        ("Retracting the Qt idea above; it's our binding.", N),
    ),
    (
        "bash",
        "make -C verif lint",
        2,
        "verilator --lint-only -Wall -Irtl rtl/soc_top.sv\n%Warning-WIDTHTRUNC: rtl/uart_tx.sv:44:22: Operator ASSIGNDLY expects 8 bits on the Assign RHS, but Assign RHS's CONST '10'h200' generates 10 bits.\n                                          : ... note: In instance 'soc_top.u_uart'\n%Error: Exiting due to 1 warning(s)\nmake: *** [Makefile:12: lint] Error 1",
    ),
    msg(
        (
            "`uart_tx.sv` line 44 assigns a 10-bit constant to the 8-bit `shift_q`, and `-Wall` turns the truncation into an error.",
            M,
        ),
    ),
    (
        "bash",
        "make -C verif sim TEST=soc_boot",
        2,
        "- V e r i l a t i o n   R e p o r t: Verilator 5.030 2024-10-27 rev v5.030\n[0] soc_boot: loading firmware/boot.hex\nmake: *** [Makefile:30: sim] Killed",
    ),
    (
        "bash",
        "dmesg | tail -2",
        0,
        "[81412.551203] Out of memory: Killed process 41822 (Vsoc_top) total-vm:31822140kB, anon-rss:15633320kB\n[81412.602918] oom_reaper: reaped process 41822 (Vsoc_top)",
    ),
    msg(
        (
            "The kernel's OOM killer ended the simulation: `dmesg` shows `Out of memory: Killed process 41822 (Vsoc_top)` at 15.6 GB resident, which is all this laptop has.",
            L,
        ),
        " ",
        ("Running it with `--trace` off or on the 64 GB build box would avoid that.", N),
    ),
    (
        "bash",
        "fpm test test_pcg",
        1,
        " test_pcg: converges on poisson_2d(64) ... FAILED\n   residual 3.71E-05 > tolerance 1.00E-08 after 500 iterations\n STOP 1",
    ),
    msg(
        (
            "The gfortran on this box probably vectorizes the dot-product reduction differently, which would be enough to stall convergence.",
            X,
        ),
    ),
    msg(
        (
            "Actually no: `pcg.f90` updates `p` with the new residual before computing `beta`, so the search directions are not conjugate and convergence stalls.",
            M,
        ),
        " ",
        ("That's an ordering bug in our code, not the compiler.", M),
    ),
    (
        "bash",
        'sbt "project ingest" test',
        1,
        "[info] compiling 42 Scala sources to /home/ines/src/hwlab/ingest/target/scala-3.5.2/classes ...\n[error] -- [E007] Type Mismatch Error: /home/ines/src/hwlab/ingest/src/main/scala/hwlab/ingest/Frames.scala:27:34\n[error] 27 |    val crc: Short = frame.checksum\n[error]    |                     ^^^^^^^^^^^^^^\n[error]    |                     Found:    Int\n[error]    |                     Required: Short\n[error] one error found\n[error] (ingest / Compile / compileIncremental) Compilation failed",
    ),
    msg(
        (
            "`Frame.checksum` became an `Int` when I widened it yesterday, and `Frames.scala:27` still assigns it to a `Short`.",
            M,
        ),
    ),
    (
        "bash",
        'sbt "project ingest" test',
        1,
        "[error] java.lang.OutOfMemoryError: Metaspace\n[error] \tat java.base/java.lang.ClassLoader.defineClass1(Native Method)\n[error] Use 'last' for the full log.\n[error] Total time: 212 s",
    ),
    msg(
        (
            "sbt ran out of Metaspace (`java.lang.OutOfMemoryError: Metaspace` above) after many incremental compiles in the same server.",
            L,
        ),
        " ",
        ("Raising `-XX:MaxMetaspaceSize` in `.jvmopts` or restarting the sbt server will clear it.", N),
    ),
    msg(
        ("## Riepilogo", N),
        "\n\n",
        (
            "- Il test del CRC e la funzione usano due varianti diverse; aspetto una risposta prima di cambiare qualcosa.",
            N,
        ),
        "\n",
        ("- La simulazione è stata uccisa per mancanza di memoria, come mostra `dmesg`.", L),
        "\n",
        ("- Il resto sono errori nel nostro codice, già corretti.", N),
    ),
]

E_CHAIN = [  # Solidity/Foundry, wasm-pack, CockroachDB, MongoDB: codex shell_command
    ("user", "Please run the nightly checks for the chain-tools repo and write up every failure.", "not_report"),
    (
        "bash",
        "forge test --match-path test/Vault.t.sol",
        1,
        "Ran 6 tests for test/Vault.t.sol:VaultTest\n[FAIL: revert: ERC4626: deposit more than max] test_depositCap() (gas: 48211)\n[PASS] test_withdraw() (gas: 91204)\nSuite result: FAILED. 5 passed; 1 failed; 0 skipped; finished in 12.41ms",
    ),
    msg(
        (
            "`maxDeposit()` in `src/Vault.sol` returns `cap - totalAssets()` without adding the pending harvest, so the cap test's deposit of exactly the remaining room reverts.",
            M,
        ),
    ),
    (
        "bash",
        "forge test --match-contract ForkedVaultTest --fork-url $MAINNET_RPC_URL",
        1,
        'Error: Failed to get account for 0x83F20F44975D03b1b09e64809B757c47f942BEeA\n\nContext:\n- Error #0: HTTP error 429 with body: {"jsonrpc":"2.0","error":{"code":-32005,"message":"Your app has exceeded its compute units per second capacity."}}',
    ),
    msg(
        (
            'The RPC provider rate-limited the fork: the response is HTTP 429, "exceeded its compute units per second capacity".',
            L,
        ),
        " ",
        ("Setting `--compute-units-per-second 50` or using the paid key from the vault would keep us under it.", N),
    ),
    (
        "bash",
        "forge test --match-contract ForkedVaultTest --fork-url $MAINNET_RPC_URL --compute-units-per-second 50",
        1,
        "[FAIL: assertion failed: 999999999999999998 != 1000000000000000000] test_harvestDoesNotLoseFunds() (gas: 401122)\nSuite result: FAILED. 3 passed; 1 failed; 0 skipped; finished in 48.02s",
    ),
    msg(
        (
            "I suspect Alchemy's archive nodes serve slightly stale state for recent blocks, which would account for the missing two wei.",
            X,
        ),
    ),
    msg(
        (
            "Correction: `convertToShares` rounds down on both deposit and withdraw, and the test asserts an exact round trip; the two wei are our rounding.",
            M,
        ),
    ),
    (
        "bash",
        "wasm-pack build crates/codec --target web --release",
        1,
        '[INFO]: 🎯  Checking for the Wasm target...\nError: wasm32-unknown-unknown target not found in sysroot: "/home/tomasz/.rustup/toolchains/1.83.0-aarch64-apple-darwin"\n\nUsed rustc from the following path: "/home/tomasz/.rustup/toolchains/1.83.0-aarch64-apple-darwin/bin/rustc"\nIt looks like Rustup is being used, so the wasm32-unknown-unknown target can be installed with `rustup target add wasm32-unknown-unknown`.',
    ),
    msg(
        (
            "The 1.83.0 toolchain that `rust-toolchain.toml` selects has no `wasm32-unknown-unknown` target installed, as wasm-pack says.",
            L,
        ),
        " ",
        ("Running `rustup target add wasm32-unknown-unknown` once fixes that.", N),
    ),
    (
        "bash",
        "wasm-pack test --headless --chrome crates/codec",
        1,
        "running 5 tests\ntest codec::decode_frame ... FAIL\n\nfailures:\n\n---- codec::decode_frame output ----\n    error output:\n        panicked at crates/codec/src/lib.rs:88:22:\n        index out of bounds: the len is 12 but the index is 12\n\ntest result: FAILED. 4 passed; 1 failed; 0 ignored",
    ),
    msg(
        ("This smells like a wasm-bindgen bug in the version Cargo picked up.", X),
        " ",
        ("The panic is in our `decode_frame` though, so I'll read that first.", N),
    ),
    msg(
        (
            "`decode_frame` reads the trailer at `buf[header_len + payload_len]` without subtracting one, which is exactly the index 12 of 12 in the panic.",
            M,
        ),
    ),
    (
        "bash",
        "go test ./store/crdb/... -count=1",
        1,
        "--- FAIL: TestTransferIdempotent (0.03s)\n    transfer_test.go:41: dial: failed to connect to `user=root database=payments`: 127.0.0.1:26257 (localhost): dial error: dial tcp 127.0.0.1:26257: connect: connection refused\nFAIL\nFAIL\tgithub.com/harrowgate/chain-tools/store/crdb\t0.05s",
    ),
    ("bash", 'docker ps -a --filter name=crdb --format "{{.Names}} {{.Status}}"', 0, "crdb-1 Exited (137) 2 hours ago"),
    msg(
        (
            "Nothing is listening on 26257 because the local CockroachDB container exited two hours ago (`Exited (137)` in `docker ps`), so the connection is refused.",
            L,
        ),
    ),
    (
        "bash",
        "go test ./store/crdb/... -count=1",
        1,
        '--- FAIL: TestTransferIdempotent (0.41s)\n    transfer_test.go:58: insert: ERROR: restart transaction: TransactionRetryWithProtoRefreshError: WriteTooOldError: write for key /Table/112/1/"tr_77"/0 at timestamp 1764931212.118 too old; must write at or above 1764931212.301 (SQLSTATE 40001)\nFAIL',
    ),
    msg(
        ("CockroachDB's serverless tier might be throttling our request units mid-test and forcing retries.", X),
        "\n\n",
        ("To be clear, that is a guess, and this is the local single-node cluster anyway.", N),
        " ",
        (
            "SQLSTATE 40001 means the client has to retry the transaction, and `InsertTransfer` runs two statements outside `crdb.ExecuteTx`, so nothing retries it.",
            M,
        ),
    ),
    (
        "bash",
        "npm run test:mongo",
        1,
        " FAIL  test/ledger.mongo.test.ts\n  ● Ledger › records a transfer atomically\n\n    MongoServerError: Transaction numbers are only allowed on a replica set member or mongos\n\n      at Connection.onMessage (node_modules/mongodb/src/cmap/connection.ts:421:18)",
    ),
    msg(
        (
            "The test uses a session transaction, and the error says transactions are only allowed on a replica set member: the `mongo:7` container in `docker-compose.test.yml` runs as a standalone server.",
            L,
        ),
    ),
    (
        "bash",
        "npm run test:mongo",
        1,
        " FAIL  test/ledger.mongo.test.ts\n  ● Ledger › records a transfer atomically\n\n    expect(received).toBe(expected)\n    Expected: 2\n    Received: 1\n\n      at Object.<anonymous> (test/ledger.mongo.test.ts:37:32)",
    ),
    msg(
        ("Perhaps Atlas's auto-scaling kicked in and dropped a write while the primary moved.", X),
    ),
    msg(
        ("Summary for the nightly run:", N),
        "\n\n",
        ("| check | result | cause |", N),
        "\n|---|---|---|\n",
        ("| forge unit | 1 failed | `maxDeposit` ignores the pending harvest |", N),
        "\n",
        ("| forge fork | 429, then 1 failed | rate limit, then our rounding |", N),
        "\n",
        ("| wasm-pack | failed twice | missing target, then an off-by-one in `decode_frame` |", N),
        "\n",
        ("| crdb | failed twice | container down, then no retry loop |", N),
        "\n",
        ("| mongo | failed twice | standalone server, then an open question |", N),
        "\n\n",
        (
            "Podsumowanie: wszystkie błędy poza jednym mają przyczynę w naszym kodzie albo w lokalnym środowisku i są opisane wyżej.",
            N,
        ),
        " ",
        ("Wygląda na to, że ostatni test Mongo psuje niestabilna sieć w biurze.", X),
    ),
]

E_OPS = [  # Argo CD, Istio/Envoy, Vault, Nomad, GitLab CI, Tekton: codex exec_command
    (
        "user",
        "Walk through this morning's failed deploy checks and explain each one. Don't fix anything yet.",
        "not_report",
    ),
    (
        "bash",
        "argocd app get payments --refresh -o json | jq -r '.status.conditions[]?.message'",
        1,
        "rpc error: code = Unknown desc = Manifest generation error (cached): `kustomize build apps/payments/overlays/prod` failed exit status 1: Error: accumulating resources: accumulation err='accumulating resources from '../../base/hpa.yaml': open /tmp/_argocd-repo/apps/payments/base/hpa.yaml: no such file or directory'",
    ),
    msg(
        (
            "Argo CD cannot render the app because `apps/payments/overlays/prod/kustomization.yaml` still lists `../../base/hpa.yaml`, which the cleanup commit deleted.",
            M,
        ),
    ),
    (
        "bash",
        "istioctl proxy-status | grep -v SYNCED",
        1,
        "NAME                                   CLUSTER     CDS        LDS        EDS        RDS          ECDS     ISTIOD\ncheckout-7c9d6b5f4-qz2lx.shop          Kubernetes  STALE      SYNCED     SYNCED     STALE        IGNORED  istiod-5f8c7b9d4-2kq8s",
    ),
    msg(
        (
            "Istio's sidecar injector is probably racing the app container at startup, which would leave the proxy half-configured.",
            X,
        ),
        " ",
        ("I'll look at istiod's log before going further.", N),
    ),
    (
        "bash",
        "kubectl -n istio-system logs deploy/istiod --since=30m | grep -i reject | tail -2",
        0,
        "2026-12-09T08:41:12.118Z\twarn\tads\tADS:CDS: ACK ERROR checkout-7c9d6b5f4-qz2lx.shop-41 Internal:Error adding/updating cluster(s) outbound|8080||payments.shop.svc.cluster.local: Proto constraint validation failed (ClusterValidationError.MaxRequestsPerConnection: value must be greater than or equal to 0)",
    ),
    msg(
        (
            "Envoy rejected the cluster update: istiod logs an `ACK ERROR` for `outbound|8080||payments` because `maxRequestsPerConnection` is negative, so CDS stays STALE on that proxy.",
            L,
        ),
        " ",
        (
            "The negative value comes from `mesh/payments/destinationrule.yaml`, where `maxRequestsPerConnection: -1` was meant to mean unlimited.",
            M,
        ),
    ),
    (
        "bash",
        "vault kv get -mount=secret payments/stripe",
        2,
        "Error making API request.\n\nURL: GET https://vault.harrowgate.io:8200/v1/sys/internal/ui/mounts/secret/payments/stripe\nCode: 503. Errors:\n\n* Vault is sealed",
    ),
    msg(
        (
            "Vault answered 503 `Vault is sealed`, so the secret sync job cannot read anything until someone unseals it.",
            L,
        ),
        " ",
        ("Vault's auto-unseal via AWS KMS might be lagging in this region.", X),
    ),
    msg(
        ("I have no evidence for the KMS part; the seal itself is what the 503 shows.", N),
    ),
    (
        "bash",
        "nomad job run -check-index 0 jobs/ingest.nomad.hcl",
        2,
        '==> 2026-12-09T09:02:31+01:00: Monitoring evaluation "5c1e7a2b"\n    2026-12-09T09:02:31+01:00: Evaluation triggered by job "ingest"\n    2026-12-09T09:02:32+01:00: Evaluation status changed: "pending" -> "complete"\n==> 2026-12-09T09:02:32+01:00: Evaluation "5c1e7a2b" finished with status "complete" but failed to place all allocations:\n    2026-12-09T09:02:32+01:00: Task Group "ingest" (failed to place 3 allocations):\n      * Constraint "${attr.cpu.arch} = amd64": 4 nodes excluded by filter\n      * Resources exhausted on 2 nodes\n      * Dimension "memory" exhausted on 2 nodes',
    ),
    msg(
        (
            "Nomad could not place the three allocations: four nodes are arm64 and fail the `amd64` constraint, and the other two have no memory left, as the evaluation says.",
            L,
        ),
        " ",
        (
            "Nomad's scheduler may just be slow to place jobs on a busy cluster, so a retry in ten minutes could also work.",
            X,
        ),
    ),
    (
        "bash",
        "glab ci view --branch main 2>&1 | tail -4",
        0,
        "test:integration   failed   58m12s\n  ERROR: Job failed: execution took longer than 1h0m0s seconds\nbuild:image        passed   6m41s\ndeploy:staging     skipped",
    ),
    msg(
        ("GitLab killed `test:integration` at its one-hour job timeout (`execution took longer than 1h0m0s`).", L),
        " ",
        ("GitLab's shared runners are probably oversubscribed at this hour, which is why it got that slow.", X),
    ),
    (
        "bash",
        "tkn taskrun logs build-image-run-q8v2k -f 2>&1 | tail -3",
        0,
        '[build-and-push] error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for "registry.harrowgate.io/ingest:2026.12.9": POST https://registry.harrowgate.io/v2/ingest/blobs/uploads/: UNAUTHORIZED: authentication required',
    ),
    msg(
        (
            "Kaniko could not push: the registry returned `UNAUTHORIZED: authentication required`, so the `registry-creds` secret the TaskRun mounts does not hold valid credentials for registry.harrowgate.io.",
            L,
        ),
    ),
    (
        "bash",
        "tkn taskrun logs unit-tests-run-h3m1c 2>&1 | tail -4",
        0,
        "[go-test] --- FAIL: TestBackoffSchedule (0.00s)\n[go-test]     backoff_test.go:22: attempt 4: got 8s, want 16s\n[go-test] FAIL\tgithub.com/harrowgate/ingest/retry\t0.011s",
    ),
    msg(
        (
            "`retry.Schedule` shifts by `attempt-1` but the table in `backoff_test.go` starts counting at zero, so every expectation past the first is off by one doubling.",
            M,
        ),
    ),
    msg(
        ("## Podsumowanie porannych błędów", N),
        "\n\n",
        ("1. payments: manifest odwołuje się do usuniętego pliku `hpa.yaml`.", N),
        "\n",
        ("2. checkout: Envoy odrzucił konfigurację z ujemnym `maxRequestsPerConnection`.", N),
        "\n",
        ("3. Vault jest zapieczętowany (503).", N),
        "\n",
        ("4. ingest w Nomadzie: brak wolnych węzłów amd64 z pamięcią.", N),
        "\n",
        ("5. GitLab: przekroczony limit godziny.", N),
        "\n",
        ("6. Tekton: brak uprawnień do rejestru i jeden test w naszym kodzie.", N),
        "\n\n",
        ("Nic jeszcze nie zmieniałem; powiedz, od czego zacząć.", N),
    ),
]

E_WEB = [  # WebdriverIO, Detox/Expo, Storybook test runner, Nuxt, Remix: gemini (JSONL)
    (
        "user",
        "Can you run the front-end checks and explain the failures? Japanese is fine for the summary.",
        "not_report",
    ),
    (
        "bash",
        "npx wdio run wdio.conf.ts --spec test/specs/cart.e2e.ts",
        1,
        "[chrome 131.0.6778.85 linux #0-0] Cart\n[chrome 131.0.6778.85 linux #0-0]    ✖ removes an item\n[chrome 131.0.6778.85 linux #0-0] Error: Can't call click on element with selector \"[data-test=remove-line]\" because element wasn't found\nSpec Files:\t 0 passed, 1 failed, 1 total (100% completed) in 00:00:21",
    ),
    msg(
        ("Chrome 131 might have changed how it reports clickability under WebDriver BiDi.", X),
        " ",
        ("Let me check the selector in the component before I go with that.", N),
    ),
    (
        "bash",
        "grep -rn 'remove-line' src/components/cart",
        0,
        'src/components/cart/CartLine.vue:14:      <button data-testid="remove-line" @click="remove">',
    ),
    msg(
        (
            'The component uses `data-testid="remove-line"` while the spec looks for `data-test`; the rename in `CartLine.vue` last week broke the selector.',
            M,
        ),
    ),
    (
        "bash",
        "npx detox test -c android.emu.debug e2e/onboarding.test.ts",
        1,
        "detox[5120] E Command failed with exit code = 1:\n/home/keiko/Android/Sdk/platform-tools/adb -s emulator-5554 install -r -g -t /home/keiko/work/courier-expo/android/app/build/outputs/apk/debug/app-debug.apk\nadb: failed to install app-debug.apk: Failure [INSTALL_FAILED_UPDATE_INCOMPATIBLE: Package com.harrowgate.courier signatures do not match previously installed version; ignoring!]",
    ),
    msg(
        (
            "The emulator already has `com.harrowgate.courier` installed with a different signature (`INSTALL_FAILED_UPDATE_INCOMPATIBLE`), so adb refuses the debug build until that copy is uninstalled.",
            L,
        ),
    ),
    (
        "bash",
        "npx expo prebuild --clean && npx detox build -c android.emu.debug",
        1,
        "> Task :app:checkDebugAarMetadata FAILED\nFAILURE: Build failed with an exception.\n* What went wrong:\nExecution failed for task ':app:checkDebugAarMetadata'.\n> Dependency 'androidx.core:core:1.15.0' requires libraries and applications that depend on it to compile against version 35 or later of the Android APIs.\n  :app is currently compiled against android-34.",
    ),
    msg(
        ("Maybe the Expo EAS build servers cached an old native module for us.", X),
        "\n\n",
        (
            "Whatever the cache does, the build log is explicit: `androidx.core:core:1.15.0` needs compileSdk 35 and `app.json` pins `compileSdkVersion: 34` in the build-properties plugin.",
            M,
        ),
    ),
    (
        "bash",
        "npx test-storybook --url http://127.0.0.1:6006",
        1,
        " FAIL   browser: chromium  src/stories/PriceTag.stories.tsx\n  ● PriceTag › Discounted › play-test\n\n    page.evaluate: StorybookTestRunnerError: \n    An error occurred in the following story:\n    TypeError: Cannot read properties of undefined (reading 'currency')\n        at PriceTag (src/components/PriceTag.tsx:12:31)\n\nTest Suites: 1 failed, 23 passed, 24 total",
    ),
    msg(
        ("Storybook's test runner is possibly racing the Vite dev server's HMR.", X),
        " ",
        (
            "The stack points at `PriceTag.tsx:12`, though: the Discounted story passes `price` without the `money` object the component now destructures.",
            M,
        ),
    ),
    (
        "bash",
        "npx nuxi build",
        1,
        " ERROR  Nuxt Build Error: [vite:load-fallback] Could not load /home/keiko/work/shop-nuxt/server/utils/stripe (imported by server/api/checkout.post.ts): ENOENT: no such file or directory, open '/home/keiko/work/shop-nuxt/server/utils/stripe'",
    ),
    msg(
        (
            "`server/api/checkout.post.ts` imports `~/server/utils/stripe`, but the file is `server/utils/stripe.server.ts` since the rename, so Vite cannot load it.",
            M,
        ),
        " ",
        ("Nitro's presets probably behave differently on Node 22, which would make the resolution stricter.", X),
    ),
    (
        "bash",
        "npm install",
        1,
        "npm error code ENOTFOUND\nnpm error syscall getaddrinfo\nnpm error errno ENOTFOUND\nnpm error network request to https://registry.npmjs.org/@remix-run%2fnode failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org",
    ),
    msg(
        (
            "This one really is the network: npm got `getaddrinfo ENOTFOUND registry.npmjs.org`, so DNS on this machine cannot resolve the registry right now.",
            L,
        ),
    ),
    (
        "bash",
        "npx remix vite:build",
        1,
        'app/routes/orders.$id.tsx (14:10): "json" is not exported by "node_modules/@remix-run/node/dist/index.js", imported by "app/routes/orders.$id.tsx".\nerror during build:\nRollupError: app/routes/orders.$id.tsx (14:10): "json" is not exported by "node_modules/@remix-run/node/dist/index.js"',
    ),
    msg(
        (
            "`orders.$id.tsx` still imports `json` from `@remix-run/node`, which the single-fetch upgrade removed; the loader should return the object directly.",
            M,
        ),
    ),
    msg(
        ("## まとめ", N),
        "\n\n",
        ("- カートのE2Eはセレクタの名前変更が原因です。", N),
        "\n",
        ("- Detox はエミュレータに署名の違う古いアプリが残っているため失敗しました。", L),
        "\n",
        ("- Storybook と Nuxt と Remix は、どれも私たちのコードの変更が原因です。", N),
        "\n",
        ("- たぶん GitHub Actions のランナーが不安定なだけだと思いますが、CI の失敗はまだ見ていません。", X),
        "\n\n",
        ("どれから直しましょうか？", N),
    ),
]

E_SCRIPTS = [  # Perl, Lua, Nim, Crystal, Elm, Gleam: aider
    ("user", "run the test suites in the toolbox repo and explain what fails, one tool at a time", "not_report"),
    (
        "bash",
        "prove -lr t/",
        1,
        "t/01-parse.t ...... ok\nt/02-report.t ..... 1/4\n#   Failed test 'totals are grouped by account'\n#   at t/02-report.t line 33.\n#          got: 'ACC-2,ACC-1'\n#     expected: 'ACC-1,ACC-2'\n# Looks like you failed 1 test of 4.\nt/02-report.t ..... Dubious, test returned 1 (wstat 256, 0x100)\nFailed 1/4 subtests\nResult: FAIL",
    ),
    msg(
        ("Perl 5.40 on this box might have changed how hash seeds behave.", X),
        "\n\n",
        (
            "Either way the fix belongs in our code: `Report::totals` iterates `keys %by_account` without sorting, so the order is whatever the hash gives.",
            M,
        ),
    ),
    (
        "edit",
        "lib/Toolbox/Report.pm",
        "    for my $acc (keys %by_account) {",
        "    for my $acc (sort keys %by_account) {",
    ),
    (
        "bash",
        "busted spec/",
        1,
        "●●●◼●\n1 success / 1 failure / 0 errors / 0 pending : 0.012 seconds\n\nFailure → spec/slugify_spec.lua @ 9\nslugify handles accents\nspec/slugify_spec.lua:11: Expected objects to be the same.\nPassed in:\n(string) 'caf-au-lait'\nExpected:\n(string) 'cafe-au-lait'",
    ),
    msg(
        ("LuaJIT's trace compiler could be miscompiling the gsub loop.", X),
        " ",
        (
            "More likely it's us: `slugify.lua` strips every non-ASCII byte before transliterating, so `é` disappears instead of becoming `e`.",
            M,
        ),
    ),
    (
        "bash",
        "nimble test",
        1,
        "  Verifying dependencies for toolbox@0.4.1\n   Compiling /home/keiko/work/toolbox/tests/tcsv.nim (from package toolbox) using c backend\n/home/keiko/work/toolbox/tests/tcsv.nim(18, 11) Error: type mismatch: got <string>\nbut expected one of:\nproc parseRow(line: openArray[char]; sep = ','): seq[string]\n       Error: Execution failed with exit code 1",
    ),
    msg(
        ("I bet the Nim compiler's ORC cycle collector frees the buffer too early here.", X),
    ),
    msg(
        ("Sorry, that was wrong: it is a compile error, not a runtime one.", N),
        " ",
        ("`parseRow` now takes `openArray[char]`, and `tcsv.nim` line 18 passes a `string` without `toOpenArray`.", M),
    ),
    (
        "bash",
        "crystal spec",
        1,
        'Error: while requiring "./spec/**"\nIn src/toolbox/mailer.cr:3:1\n\n 3 | require "openssl"\n     ^\nError: can\'t find file \'openssl\'\n\nlibssl.so not found: Package openssl was not found in the pkg-config search path.',
    ),
    msg(
        (
            'The OpenSSL development files are missing on this machine: pkg-config reports `Package openssl was not found`, so Crystal cannot link `require "openssl"`.',
            L,
        ),
        " ",
        ("`apt install libssl-dev` on the box will fix it.", N),
    ),
    (
        "bash",
        "npx elm-test",
        1,
        'Compiling > Starting tests\n\nelm-test 0.19.1-revision12\n\n↓ Money\n✗ formats negative amounts\n\n    "-12.50 €"\n    ╷\n    │ Expect.equal\n    ╵\n    "−12,50 €"\n\nTEST RUN FAILED\n\nPassed: 17\nFailed: 1',
    ),
    msg(
        ("Maybe the Elm compiler's cache in elm-stuff is corrupted again.", X),
        "\n\n",
        (
            "The expected value uses a Unicode minus and a decimal comma, while `Money.format` emits an ASCII hyphen and a dot, so the test and the formatter disagree about the locale.",
            M,
        ),
    ),
    (
        "bash",
        "gleam test",
        1,
        "  Compiling toolbox\nerror: Unknown module\n  ┌─ /home/keiko/work/toolbox/test/csv_test.gleam:2:1\n  │\n2 │ import gleam/csv\n  │ ^^^^^^^^^^^^^^^^\n\nNo module has been found with the name `gleam/csv`.",
    ),
    msg(
        (
            "`gleam/csv` is not a package we depend on: `gleam.toml` lists `gsv` for CSV, and the test imports a module that does not exist.",
            M,
        ),
    ),
    msg(
        ("Resumen:", N),
        "\n\n",
        ("- Perl, Lua, Nim, Elm y Gleam fallan por nuestro código o nuestras pruebas.", N),
        "\n",
        ("- Crystal falla porque falta libssl-dev en esta máquina, como dice pkg-config.", L),
        "\n",
        ("- Seguramente la red de Docker también tiene algo que ver con los fallos de ayer.", X),
        "\n\n",
        ("요약: 수정은 Perl 하나만 했고, 나머지는 확인을 기다리고 있습니다.", N),
        " ",
        ("아마 CI 러너의 네트워크가 불안정한 것 같습니다.", X),
    ),
]

PASTE_PROM = 'promtool is unhappy in CI, here\'s the job output:\n```\n$ promtool test rules tests/alerts_test.yml\nUnit Testing:  tests/alerts_test.yml\n  FAILED:\n    alertname: LedgerHighErrorRate, time: 10m,\n        exp:[\n            0:\n              Labels:{alertname="LedgerHighErrorRate", service="ledger", severity="page"}\n            ],\n        got:[]\nERROR: Job failed: exit code 1\n```'
PASTE_OTEL = 'The collector on staging logs this every few seconds:\n```\n2026-12-10T07:14:02.511Z\terror\texporterhelper/queue_sender.go:101\tDropping data because sending_queue is full. Try increasing queue_size.\t{"kind": "exporter", "data_type": "logs", "name": "otlphttp/loki", "dropped_items": 512}\n```'
PASTE_SQS = 'Consumer crashed overnight:\n```\nTraceback (most recent call last):\n  File "/app/notify/consumer.py", line 64, in handle\n    payload = json.loads(message["Body"])["order"]\nKeyError: \'order\'\n```'
S_REPORTS_OPS = [
    ("user", PASTE_PROM, "report"),
    msg(
        (
            "The rule in `rules/ledger.yml` uses `for: 15m`, and the test only advances the series to 10m, so at the 10m evaluation the alert is still pending and `got` is empty.",
            M,
        ),
        " ",
        ("Either the test should evaluate at 15m or the rule should fire after 10m; which one matches the runbook?", N),
    ),
    (
        "user",
        "15m is right, change the test. Also: the ledger dashboard shows no error rate at all since Tuesday.",
        "report",
    ),
    msg(
        ("Prometheus probably dropped the series during its compaction on Tuesday.", X),
    ),
    (
        "bash",
        "promtool query instant http://prometheus.observability:9090 'count(ledger_http_requests_total)'",
        0,
        "count(ledger_http_requests_total) => 0 @[1765354800]",
    ),
    (
        "bash",
        "git log -1 --format='%h %ad %s' --date=short -- internal/metrics/http.go",
        0,
        "a41c9e2 2026-12-08 metrics: use the otel meter for the http middleware",
    ),
    msg(
        (
            "The series is gone because Tuesday's commit `a41c9e2` moved the HTTP middleware to the OTel meter, which exports `http.server.request.duration` and no longer registers `ledger_http_requests_total`.",
            M,
        ),
        " ",
        ("The dashboard and the alert both still query the old name.", N),
    ),
    ("edit", "tests/alerts_test.yml", "        eval_time: 10m", "        eval_time: 15m"),
    ("bash", "promtool test rules tests/alerts_test.yml", 0, "Unit Testing:  tests/alerts_test.yml\n  SUCCESS"),
    ("user", PASTE_OTEL, "report"),
    msg(
        ("Loki itself is probably having a bad day on staging.", X),
    ),
    (
        "bash",
        "kubectl -n observability logs deploy/otel-gateway --since=15m | grep -m2 -E 'otlphttp/loki.*(429|error)'",
        0,
        '2026-12-10T07:13:58.204Z\terror\texporterhelper/retry_sender.go:126\tExporting failed. The error is not retryable. Dropping data.\t{"kind": "exporter", "name": "otlphttp/loki", "error": "Permanent error: rpc error: code = ResourceExhausted desc = error exporting items, request to https://loki.observability:3100/otlp/v1/logs responded with HTTP Status Code 429, Message=ingestion rate limit exceeded for user tenant-shop (limit: 4194304 bytes/sec)"}',
    ),
    msg(
        (
            "Now it's shown: Loki answers HTTP 429 `ingestion rate limit exceeded for user tenant-shop (limit: 4194304 bytes/sec)`, so the exporter retries, the queue fills, and the collector drops logs.",
            L,
        ),
        "\n\n",
        ("Two ways forward:", N),
        "\n",
        ("- raise `ingestion_rate_mb` for the shop tenant in Loki's runtime config,", N),
        "\n",
        ("- or drop the debug-level logs in the collector's `filter` processor before they leave the cluster.", N),
    ),
    ("user", PASTE_SQS, "report"),
    msg(
        (
            'Messages from the new checkout publisher nest the order under `detail.order` (EventBridge envelope), and `consumer.py` line 64 still reads `Body["order"]`.',
            M,
        ),
    ),
    ("user", "Also the order confirmation SMS went out twice for a few customers this morning.", "report"),
    msg(
        ("Probably SQS delivering the same message twice, which standard queues are allowed to do.", X),
        " ",
        ("I'll check the visibility timeout against how long `handle` takes before I believe that.", N),
    ),
    (
        "bash",
        "aws --endpoint-url http://localhost:4566 sqs get-queue-attributes --queue-url http://localhost:4566/000000000000/notify --attribute-names VisibilityTimeout",
        0,
        '{\n    "Attributes": {\n        "VisibilityTimeout": "30"\n    }\n}',
    ),
    msg(
        (
            "`handle` sleeps for the SMS provider's rate limit and can take 40 s, longer than the 30 s visibility timeout, so the message becomes visible again and a second consumer sends it.",
            M,
        ),
    ),
    ("edit", "infra/queues.tf", "  visibility_timeout_seconds = 30", "  visibility_timeout_seconds = 120"),
    msg(
        ("## Deployment notes", N),
        "\n\n",
        (
            "- The consumer now runs with a 120 s visibility timeout; the queue stays in the same cloud account as before.",
            N,
        ),
        "\n",
        ("- No kernel, network or node-pool changes are needed for this release.", N),
        "\n",
        (
            "- Feature list for 3.8: dead-letter queue for malformed messages, idempotent SMS sends, EventBridge envelopes.",
            N,
        ),
    ),
]

NOT_REPORTS_OPS = [
    "## Prompt template: incident summary\nGiven an alert payload, write three lines: what failed, since when, who is paged. If the payload says ERROR, quote it verbatim. (Template only, nothing attached.)",
    "Spec: the consumer must never crash on a malformed message; log `ERROR notify.bad_payload` with the message id and move it to the dead-letter queue.",
    "Thanks, that was quick! The dashboards look right again.",
    "What does `for: 15m` actually do in a Prometheus rule? I always forget whether it delays the first evaluation.",
    "Add an alert that fires when the consumer's error rate stays above 2% for ten minutes.",
    "Write a runbook entry for when the OTel collector starts dropping data.",
]

PASTE_JEST = "CI log from the PR:\n```\n FAIL  src/cart/total.test.ts\n  ● cartTotal › applies the bundle discount once\n\n    expect(received).toBe(expected) // Object.is equality\n\n    Expected: 90\n    Received: 81\n\n      at Object.<anonymous> (src/cart/total.test.ts:22:31)\n```"
S_REPORTS_SHOP = [
    ("user", "El carrito muestra el descuento dos veces cuando el cliente vuelve atrás desde el pago.", "report"),
    msg(
        ("Seguramente es un problema de caché del navegador del cliente.", X),
        "\n\n",
        ("Antes de aceptar esa idea, voy a revisar `useCart`.", N),
    ),
    (
        "bash",
        "grep -n 'applyDiscount' src/cart/useCart.ts",
        0,
        "31:  useEffect(() => { applyDiscount(code) }, [code, lines])\n48:export function applyDiscount(code: string) {",
    ),
    msg(
        (
            "`useCart` vuelve a llamar a `applyDiscount` cada vez que cambian las líneas, y `applyDiscount` resta sobre el total ya descontado, así que al volver del pago el descuento se aplica otra vez.",
            M,
        ),
    ),
    ("user", PASTE_JEST, "report"),
    msg(
        (
            "O teste espera 90, mas `cartTotal` aplica o desconto do pacote por linha e não por carrinho, por isso recebe 81.",
            M,
        ),
        " ",
        ("Provavelmente é instabilidade na AWS hoje, porque o mesmo teste passou ontem no CI.", X),
    ),
    msg(
        ("Corrijo: o teste passou ontem porque o pacote só entrou no fixture hoje.", M),
    ),
    ("user", "Checkout on Safari gets stuck on the spinner after I press pay.", "report"),
    msg(
        ("Could be Safari's Intelligent Tracking Prevention blocking the payment iframe's cookies.", X),
        " ",
        ("I'd like a console log or a HAR file from that Safari session before I change anything.", N),
    ),
    (
        "user",
        "Here's the console from Safari:\n```\n[Error] Unhandled Promise Rejection: TypeError: undefined is not an object (evaluating 'window.PaymentRequest.prototype')\n\tpay (checkout.ts:57)\n```",
        "report",
    ),
    msg(
        (
            "Safari's `window.PaymentRequest` is undefined in this context, as the console shows, and `checkout.ts:57` reads its prototype without checking, so the promise rejects and the spinner never stops.",
            L,
        ),
        " ",
        ("Guarding that call and falling back to the card form fixes it.", N),
    ),
    (
        "edit",
        "src/checkout/checkout.ts",
        "  const proto = window.PaymentRequest.prototype",
        "  const proto = window.PaymentRequest?.prototype",
    ),
    (
        "bash",
        "npx vitest run src/checkout",
        0,
        " ✓ src/checkout/checkout.test.ts (9 tests) 41ms\n\n Test Files  1 passed (1)\n      Tests  9 passed (9)",
    ),
    msg(
        ("## Resumo", N),
        "\n\n",
        ("- Desconto duplicado: `useCart` reaplica o desconto; correção pronta para revisão.", N),
        "\n",
        ("- Teste do pacote: a regra do desconto está na linha errada do nosso código.", N),
        "\n",
        ("- Safari: `PaymentRequest` ausente, agora protegido.", N),
        "\n\n",
        ("Deployment notes: nothing changes in the network or the cloud setup; this is a front-end only release.", N),
    ),
]

NOT_REPORTS_SHOP = [
    "Feature request: when a payment fails, show the error code from the provider under the pay button.",
    "¿Puedes explicarme cómo funciona el descuento por paquete en `cartTotal`?",
    "Please write the release notes for 4.12 as a bullet list.",
    'Prompt for the review bot: "List every function that can throw and say what happens when it fails. Do not suggest fixes."',
    "Obrigado! Can you also add a test that fails if the discount is ever applied twice?",
    "Rename `applyDiscount` to `applyDiscountCode` everywhere.",
    "Could we make the checkout spinner time out after 20 seconds with a friendly message?",
]

# ================================================================ features (fix attempts past 80%)

WL = "components/Wishlist/WishlistPanel.vue"
WL_STORE = "stores/wishlist.ts"
WL_BODY = "\n".join(f"const field{i} = useWishlistField({i})" for i in range(130))
WL_CMD = "npx vitest run tests/wishlist"
WL_PASS = " ✓ tests/wishlist/panel.test.ts (11 tests) 64ms\n ✓ tests/wishlist/sync.test.ts (6 tests) 38ms\n\n Test Files  2 passed (2)\n      Tests  17 passed (17)"
WL_FAIL = " FAIL  tests/wishlist/sync.test.ts > wishlist sync > {}\nAssertionError: expected {} to deeply equal {}\n ❯ tests/wishlist/sync.test.ts:{}:24\n\n Test Files  1 failed | 1 passed (2)\n      Tests  1 failed | 16 passed (17)"


def _fix(path: str, i: int, marker: str) -> tuple:
    return ("edit", path, f"  return merged {marker} r{i}", f"  return merged {marker} r{i + 1}")


S_FEAT_WISH_1 = [
    (
        "user",
        "Add a wishlist to the Nuxt storefront: a heart on each product card, a wishlist panel, and sync per account.",
        "not_report",
    ),
    (
        "edit",
        WL,
        '<script setup lang="ts">\n</script>',
        '<script setup lang="ts">\n' + WL_BODY + "\nfunction merge() {\n  return merged // r0\n}\n</script>",
    ),
    ("bash", WL_CMD, 0, WL_PASS),
    ("say", "The wishlist panel and its store are in place and the 17 wishlist tests pass.", N),
]
S_FEAT_WISH_2 = [
    ("user", "Carry on with the wishlist, the sync tests need more cases.", "not_report"),
    ("bash", WL_CMD, 1, WL_FAIL.format("keeps items added offline", "[]", "[ 'sku-12' ]", 41)),
    _fix(WL, 0, "//"),  # attempt 1
    (
        "bash",
        WL_CMD,
        1,
        WL_FAIL.format("drops items removed on another device", "[ 'sku-3', 'sku-9' ]", "[ 'sku-9' ]", 58),
    ),
    _fix(WL, 1, "//"),  # attempt 2, two edits
    ("edit", WL_STORE, "  const strategy = 'server-wins'", "  const strategy = 'last-write-wins'"),
    ("bash", WL_CMD, 0, WL_PASS),
    ("user", "Hearts I tap on the product page don't show up in the wishlist until I reload.", "report"),
    _fix(WL, 2, "//"),  # attempt 3
    ("bash", WL_CMD, 0, WL_PASS),
    ("bash", WL_CMD, 1, WL_FAIL.format("dedupes the same sku", "[ 'sku-4', 'sku-4' ]", "[ 'sku-4' ]", 73)),
    _fix(WL, 3, "//"),  # attempt 4
    ("bash", WL_CMD, 0, WL_PASS),
    ("say", "All wishlist tests pass again, and a tapped heart shows up in the panel without a reload.", N),
]

RL = "app/ratelimit/tiers.server.ts"
RLM = "app/ratelimit/limiter.server.ts"
RL_BODY = "\n".join(f"  const tier{i} = defineTier({i})" for i in range(110))
RLM_BODY = "\n".join(f"  const bucket{i} = tokenBucket({i})" for i in range(80))
RL_CMD = "npx vitest run app/ratelimit"
RL_PASS = " ✓ app/ratelimit/tiers.test.ts (14 tests) 22ms\n ✓ app/ratelimit/limiter.test.ts (19 tests) 51ms\n\n Test Files  2 passed (2)\n      Tests  33 passed (33)"
S_FEAT_RATE_1 = [
    (
        "user",
        "Build rate-limit tiers for the quota gateway: free, team and enterprise, each with its own burst and refill.",
        "not_report",
    ),
    ("edit", RL, "export function tiers() {\n}", "export function tiers() {\n" + RL_BODY + "\n  return table // t0\n}"),
    ("bash", RL_CMD, 0, RL_PASS),
]
S_FEAT_RATE_2 = [
    ("user", "Now the limiter itself, a token bucket per API key using the tiers.", "not_report"),
    (
        "edit",
        RLM,
        "export function limiter() {\n}",
        "export function limiter() {\n" + RLM_BODY + "\n  return bucket // b0\n}",
    ),
    ("bash", RL_CMD, 0, RL_PASS),
    ("say", "The token bucket limiter is in and all 33 rate-limit tests pass.", N),
]
RATE_OPENERS = [
    (
        "fail",
        " FAIL  app/ratelimit/limiter.test.ts > limiter > refills at the tier rate\nAssertionError: expected 10 to be 5\n ❯ app/ratelimit/limiter.test.ts:44:22",
    ),
    ("user", "Enterprise customers are getting 429s after only a hundred requests.", "report"),
    (
        "fail",
        " FAIL  app/ratelimit/tiers.test.ts > tiers > team burst is 200\nAssertionError: expected 100 to be 200\n ❯ app/ratelimit/tiers.test.ts:31:18",
    ),
    (
        "user",
        "CI on the branch:\n```\n FAIL  app/ratelimit/limiter.test.ts > limiter > keys are isolated\nAssertionError: expected 0 to be 20\n ❯ app/ratelimit/limiter.test.ts:77:20\nError: Process completed with exit code 1.\n```",
        "report",
    ),
    ("user", "Free accounts never get their quota back after the first burst.", "report"),
    (
        "fail",
        " FAIL  app/ratelimit/limiter.test.ts > limiter > Retry-After is in seconds\nAssertionError: expected 1500 to be 2\n ❯ app/ratelimit/limiter.test.ts:96:25",
    ),
    (
        "user",
        "Staging logs, pasted:\n```\n2026-12-19T08:02:11.512Z ERROR [gateway] TypeError: Cannot read properties of undefined (reading 'refillPerSec')\n    at consume (app/ratelimit/limiter.server.ts:88:31)\n```",
        "report",
    ),
    (
        "fail",
        " FAIL  app/ratelimit/tiers.test.ts > tiers > unknown plans fall back to free\nTypeError: Cannot read properties of undefined (reading 'burst')\n ❯ app/ratelimit/tiers.server.ts:114:19",
    ),
    ("user", "The dashboard shows the team tier's remaining quota as a negative number.", "report"),
    (
        "user",
        "Another one from CI:\n```\n FAIL  app/ratelimit/limiter.test.ts > limiter > headers reflect the tier\nAssertionError: expected 'free' to be 'team'\nError: Process completed with exit code 1.\n```",
        "report",
    ),
    (
        "fail",
        " FAIL  app/ratelimit/limiter.test.ts > limiter > concurrent requests share one bucket\nAssertionError: expected 21 to be 20\n ❯ app/ratelimit/limiter.test.ts:131:20",
    ),
    ("user", "A customer on the free plan says their counter resets every time they switch browser.", "report"),
]
S_FEAT_RATE_3: list = [("user", "Let's harden the rate-limit tiers before the launch on Monday.", "not_report")]
for _i, _op in enumerate(RATE_OPENERS):
    if _op[0] == "user":
        S_FEAT_RATE_3.append(_op)
    else:
        S_FEAT_RATE_3.append(
            (
                "bash",
                RL_CMD,
                1,
                _op[1] + "\n\n Test Files  1 failed | 1 passed (2)\n      Tests  1 failed | 32 passed (33)",
            )
        )
    S_FEAT_RATE_3.append(("gap", 5))
    _path, _mark = (RL, "return table // t") if _i % 2 == 0 else (RLM, "return bucket // b")
    _n = _i // 2
    S_FEAT_RATE_3.append(("edit", _path, f"  {_mark}{_n}", f"  {_mark}{_n + 1}"))
    S_FEAT_RATE_3.append(("bash", RL_CMD, 0, RL_PASS))
S_FEAT_RATE_3.append(
    ("say", "Twelve fixes later every rate-limit test passes and the reported cases are covered by tests.", N)
)

PB = "src/payouts/batch.gleam"
PB_BODY = "\n".join(f"  let line_{i} = batch.line(rows, {i})" for i in range(100))
PB_CMD = "gleam test"
PB_PASS = "  Compiling payouts\n   Compiled in 0.84s\n    Running payouts_test.main\n..................................\nFinished in 0.041 seconds\n34 tests, 0 failures"
PB_FAIL = "  Compiling payouts\n   Compiled in 0.81s\n    Running payouts_test.main\n.....F\nFailures:\n\n  1) payouts/batch_test.{}\n     Values were not equal\n     expected: {}\n          got: {}\n\nFinished in 0.043 seconds\n34 tests, 1 failures"


def _pfix(i: int) -> tuple:
    return ("edit", PB, f"  batches // p{i}", f"  batches // p{i + 1}")


S_FEAT_BATCH_1 = [
    ("user", "Add payout batches: split the payouts CSV into batches of at most 500 lines per currency.", "not_report"),
    (
        "edit",
        PB,
        "pub fn split(rows: List(Row)) -> List(Batch) {\n  todo\n}",
        "pub fn split(rows: List(Row)) -> List(Batch) {\n" + PB_BODY + "\n  batches // p0\n}",
    ),
    ("bash", PB_CMD, 0, PB_PASS),
    ("user", "The dry run for the December file comes out one batch short.", "report"),
    _pfix(0),  # attempt 1
    ("bash", PB_CMD, 0, PB_PASS),
    ("user", "Add a test for the 10,000-line file too.", "not_report"),
    (
        "edit",
        "test/payouts/batch_test.gleam",
        "// large files",
        'pub fn splits_large_file_test() {\n  fixture("dec-10000.csv") |> batch.split |> list.length |> should.equal(20)\n}',
    ),
    ("bash", PB_CMD, 1, PB_FAIL.format("splits_large_file_test", "20", "21")),
    _pfix(1),  # attempt 2
    ("bash", PB_CMD, 0, PB_PASS),
    ("say", "Batches split at 500 lines per currency, and the 10,000-line file gives 20 batches.", N),
]
S_FEAT_BATCH_2 = [
    (
        "user",
        'The batch job failed in CI after the merge:\n```\n  1) payouts/batch_test.keeps_currency_together_test\n     Values were not equal\n     expected: ["EUR", "PLN"]\n          got: ["EUR", "EUR", "PLN"]\nError: Process completed with exit code 1.\n```',
        "report",
    ),
    _pfix(2),  # attempt 3
    ("bash", PB_CMD, 0, PB_PASS),
    ("bash", PB_CMD, 1, PB_FAIL.format("rounds_to_cents_test", "1999", "2000")),
    _pfix(3),  # attempt 4
    ("bash", PB_CMD, 1, PB_FAIL.format("rounds_to_cents_test", "1999", "1998")),
    _pfix(4),  # attempt 5
    ("bash", PB_CMD, 0, PB_PASS),
    ("user", "Two of the payees in the Lisbon batch got one cent less than their invoice.", "report"),
    _pfix(5),  # attempt 6
    ("bash", PB_CMD, 0, PB_PASS),
    ("say", "Rounding now happens once per payee, after the batch split, so every payee gets the invoiced amount.", N),
]

S_REPORTS_HW = [
    ("user", "La scheda si riavvia ogni volta che collego il cavo USB mentre il motore gira.", "report"),
    msg(
        ("Probabilmente è un problema del driver USB di Windows sul portatile.", X),
        "\n\n",
        (
            "Prima di cambiare il firmware, però, ti chiedo il log del reset dalla console seriale.",
            N,
        ),
    ),
    (
        "user",
        "Here's what the serial console printed right before it rebooted:\n```\n[  812.114] motor: duty 92%\n[  812.120] BOR: brown-out detected, VDD=2.61V\n[  812.121] reset cause: BROWNOUT\n```",
        "report",
    ),
    msg(
        (
            "The console shows a brown-out reset (`BOR: brown-out detected, VDD=2.61V`, `reset cause: BROWNOUT`), so the supply sags below the threshold when the motor is at 92% and the USB host pulls current at the same time.",
            L,
        ),
        " ",
        (
            "That is a power problem on the board, not something the firmware can fix, though limiting the duty cycle while USB enumerates would hide it.",
            N,
        ),
    ),
    ("user", "The temperature reading jumps to 85 degrees for one sample every few minutes.", "report"),
    msg(
        ("Could be the I2C bus picking up noise from the motor driver.", X),
    ),
    (
        "bash",
        "grep -n 'TEMP_RESET_VALUE\\|read_temp' firmware/src/sensors/tmp117.c",
        0,
        "12:#define TEMP_RESET_VALUE 0x2A80  /* 85.0 C: the power-on value before the first conversion */\n57:int read_temp(int16_t *out) {\n61:    i2c_read(TMP117_ADDR, REG_TEMP, buf, 2);  /* no check of the data-ready flag */",
    ),
    msg(
        (
            "85.0 °C is exactly the sensor's power-on register value, and `read_temp` in `tmp117.c` reads the result without checking the data-ready flag, so right after each sensor reset we report the reset value.",
            M,
        ),
    ),
    (
        "user",
        "Can you also tell me how the watchdog is configured? Just curious, nothing is broken there.",
        "not_report",
    ),
    msg(
        (
            "The independent watchdog runs from the 32 kHz LSI with a prescaler of 64 and a reload of 2500, so it bites after about five seconds without a kick.",
            N,
        ),
        " ",
        ("The main loop kicks it every 100 ms.", N),
    ),
    ("user", "Feature request: log the reset cause to flash so we can read it after a field failure.", "not_report"),
    ("user", "OTA update bricked two boards in the lab this afternoon, they don't boot anymore.", "report"),
    msg(
        ("My guess is a bad batch of flash chips from the supplier.", X),
        " ",
        ("그래도 먼저 부트로더 로그를 확인하겠습니다.", N),
    ),
    (
        "bash",
        "cat lab/ota-2026-12-16.log | tail -4",
        0,
        "ota: image 2.4.0 written to slot B (412288 bytes)\nota: sha256 ok\nota: marking slot B bootable\nboot: slot B header magic 0x00000000, expected 0x96f3b83d; no valid image",
    ),
    msg(
        (
            "The bootloader finds header magic `0x00000000` in slot B although the image verified: our OTA writer erases the header sector after verifying and writes the header last, and `ota_finish()` returns before that final write is flushed.",
            M,
        ),
        "\n\n",
        (
            "다음 단계: `ota_finish()`에서 헤더 쓰기가 끝날 때까지 기다리도록 고치고, 실험실 보드 두 개는 SWD로 복구하겠습니다.",
            N,
        ),
    ),
]

NOT_REPORTS_HW = [
    "Write a short README section on how to flash a board over SWD.",
    "Template for bug reports from the lab:\n- board id:\n- firmware version:\n- what failed:\n- serial log (paste, including any ERROR lines):",
]

INES = "/home/ines/src"
T = "/Users/tomasz/code"
K = "/home/keiko/work"
# (name, user, format, cwd, branch, day, hour, steps); gemini and aider record no branch
SESSIONS = [
    ("spiral-sbt", "ines", "claude", f"{INES}/ledger-scala", "fix/settlement-spec-timeout", 1, 10, S_SBT),
    ("spiral-ctest", "tomasz", "shell_command", f"{T}/fieldkit-qt", "fix/qml-checkout-test", 2, 9, S_CTEST),
    ("spiral-verilator", "ines", "claude", f"{INES}/dma-core", "fix/tb-dma-hang", 2, 14, S_VERILATOR),
    ("spiral-dagger-bg-poll", "keiko", "claude", f"{K}/infra-pipelines", "fix/dagger-integration", 3, 9, S_DAGGER),
    ("spiral-detox-timeout-ms", "tomasz", "shell", f"{T}/courier-app", "fix/detox-checkout-e2e", 3, 11, S_DETOX),
    ("spiral-argocd-tail", "tomasz", "exec_command", f"{T}/gitops-prod", "fix/ledger-sync", 4, 10, S_ARGOCD),
    ("spiral-tekton-or-true", "ines", "claude", f"{INES}/build-farm", "fix/tekton-pipeline-timeout", 4, 8, S_TEKTON),
    ("spiral-otel", "keiko", "claude", f"{K}/telemetry-gw", "fix/collector-export-e2e", 5, 9, S_OTEL),
    ("spiral-mongo-1", "ines", "claude", f"{INES}/orders-api", "fix/replset-tests", 7, 15, S_MONGO_1),
    ("spiral-mongo-2", "ines", "claude", f"{INES}/orders-api", "fix/replset-tests", 8, 9, S_MONGO_2),
    (
        "spiral-localstack-1",
        "tomasz",
        "shell_command",
        f"{T}/notify-svc",
        "fix/sqs-consumer-test",
        7,
        16,
        S_LOCALSTACK_1,
    ),
    (
        "spiral-localstack-2",
        "tomasz",
        "shell_command",
        f"{T}/notify-svc",
        "fix/sqs-consumer-test",
        8,
        10,
        S_LOCALSTACK_2,
    ),
    ("spiral-vault-gemini", "keiko", "gemini", f"{K}/secrets-sync", "", 9, 10, S_VAULT),
    ("ns-forge-justified", "tomasz", "claude", f"{T}/vault-contracts", "release/v2.3", 10, 9, S_NS_FORGE),
    (
        "ns-jenkins-no-failure",
        "tomasz",
        "exec_command",
        f"{T}/ci-shared-lib",
        "chore/jenkins-timeouts",
        10,
        14,
        S_NS_JENKINS,
    ),
    ("ns-wdio-lowering", "keiko", "claude", f"{K}/web-admin", "fix/wdio-login-spec", 11, 9, S_NS_WDIO),
    ("ns-istio-sites", "tomasz", "shell_command", f"{T}/mesh-config", "fix/checkout-mesh-timeouts", 11, 13, S_NS_ISTIO),
    ("ns-pubsub-condition", "keiko", "gemini", f"{K}/events-bridge", "", 12, 9, S_NS_PUBSUB),
    (
        "ns-crdb-two-raises",
        "ines",
        "claude",
        f"{INES}/payments-crdb",
        "fix/settlement-query-timeout",
        12,
        10,
        S_NS_CRDB,
    ),
    ("ns-fpm-poll", "ines", "exec_command", f"{INES}/solver-f", "chore/release-build", 13, 9, S_NS_FPM),
    ("expl-hw", "ines", "claude", f"{INES}/hwlab", "main", 13, 14, E_HW),
    ("expl-chain", "tomasz", "shell_command", f"{T}/chain-tools", "main", 14, 9, E_CHAIN),
    ("expl-ops", "tomasz", "exec_command", f"{T}/platform-ops", "main", 14, 14, E_OPS),
    ("expl-web", "keiko", "gemini_jsonl", f"{K}/shop-nuxt", "", 15, 10, E_WEB),
    ("expl-scripts", "keiko", "aider", f"{K}/toolbox", "", 15, 15, E_SCRIPTS),
    (
        "reports-ops",
        "keiko",
        "claude",
        f"{K}/observability",
        "main",
        16,
        9,
        S_REPORTS_OPS + [("user", x, "not_report") for x in NOT_REPORTS_OPS],
    ),
    (
        "reports-shop",
        "ines",
        "claude",
        f"{INES}/shop-web",
        "main",
        16,
        14,
        S_REPORTS_SHOP + [("user", x, "not_report") for x in NOT_REPORTS_SHOP],
    ),
    (
        "reports-hw",
        "ines",
        "claude",
        f"{INES}/hwlab-fw",
        "main",
        17,
        15,
        S_REPORTS_HW + [("user", x, "not_report") for x in NOT_REPORTS_HW],
    ),
    ("feat-wish-1", "ines", "claude", f"{INES}/storefront-nuxt", "feature/wishlist", 17, 9, S_FEAT_WISH_1),
    ("feat-wish-2", "ines", "claude", f"{INES}/storefront-nuxt", "feature/wishlist", 18, 9, S_FEAT_WISH_2),
    ("feat-rate-1", "tomasz", "shell_command", f"{T}/quota-gateway", "feature/rate-limit-tiers", 19, 9, S_FEAT_RATE_1),
    ("feat-rate-2", "tomasz", "shell_command", f"{T}/quota-gateway", "feature/rate-limit-tiers", 19, 13, S_FEAT_RATE_2),
    ("feat-rate-3", "tomasz", "claude", f"{T}/quota-gateway", "feature/rate-limit-tiers", 20, 9, S_FEAT_RATE_3),
    ("feat-batch-1", "keiko", "exec_command", f"{K}/payouts-gleam", "feature/payout-batches", 21, 10, S_FEAT_BATCH_1),
    ("feat-batch-2", "ines", "claude", f"{INES}/payouts-gleam", "fix/batch-rounding", 23, 9, S_FEAT_BATCH_2),
]

SPIRALS: dict[str, dict[str, Any]] = {
    "spiral-sbt": {
        "site": SB,
        "outcome": "fixed_by_logic",
        "values_s": [5, 15, 45, 120],
        "wait_on": "test file (ZIO TestAspect.timeout)",
    },
    "spiral-ctest": {
        "site": "ctest",
        "outcome": "unresolved",
        "values_s": [30, 90, 240, 600],
        "wait_on": "command-line flag (ctest --timeout), codex shell_command",
    },
    "spiral-verilator": {
        "site": "verilator",
        "outcome": "fixed_by_logic",
        "values_s": [60, 180, 420, 600],
        "wait_on": "claude Bash timeout",
    },
    "spiral-dagger-bg-poll": {
        "site": "sleep",
        "outcome": "unresolved",
        "values_s": [45, 120, 300, 600],
        "wait_on": "run_in_background + polling sleep",
    },
    "spiral-detox-timeout-ms": {
        "site": "detox",
        "outcome": "masked",
        "values_s": [120, 300, 600, 1200],
        "wait_on": "codex timeout_ms, codex shell",
    },
    "spiral-argocd-tail": {
        "site": "argocd",
        "outcome": "fixed_by_logic",
        "values_s": [120, 300, 600, 900],
        "wait_on": "command-line flag, failure visible only in output (| tail), codex exec_command",
    },
    "spiral-tekton-or-true": {
        "site": "tkn",
        "outcome": "unresolved",
        "values_s": [600, 1200, 2700, 3600],
        "wait_on": "command-line flag, failure visible only in output (|| true)",
    },
    "spiral-otel": {
        "site": OT,
        "outcome": "fixed_by_logic",
        "values_s": [5, 15, 30, 60],
        "wait_on": "config file (OpenTelemetry collector exporter timeout, YAML duration)",
    },
    "spiral-mongo-2": {
        "site": MG,
        "outcome": "fixed_by_logic",
        "values_s": [5, 15, 45, 90],
        "wait_on": "config file (serverSelectionTimeoutMS in a connection string, ms), across two sessions",
        "also_session": "spiral-mongo-1",
    },
    "spiral-localstack-2": {
        "site": LS,
        "outcome": "masked",
        "values_s": [30, 60, 180, 300],
        "wait_on": "test file (@pytest.mark.timeout), codex shell_command, across two sessions",
        "also_session": "spiral-localstack-1",
    },
    "spiral-vault-gemini": {
        "site": VT,
        "outcome": "unresolved",
        "values_s": [10, 30, 60, 120],
        "wait_on": "script (timeout N bash -c until ...), gemini",
    },
}

NOT_SPIRALS = {
    "ns-forge-justified": "one Claude Bash timeout raise 120000 -> 600000 ms justified by an empty fork cache and a measured RPC round trip",
    "ns-jenkins-no-failure": "Jenkinsfile stage timeouts raised three times on request, every validation passing: no failed check",
    "ns-wdio-lowering": "mochaOpts.timeout lowered 600000 -> 60000 -> 10000 ms to fail fast, then a logic fix",
    "ns-istio-sites": "three single raises at three different sites (a route timeout, a connectTimeout, a perTryTimeout)",
    "ns-pubsub-condition": "a sleep raised once, then replaced by a condition wait with a deadline",
    "ns-crdb-two-raises": "statement_timeout raised only twice, then an index added and the timeout put back",
    "ns-fpm-poll": "write_stdin polls with growing yield_time_ms on a release build that progresses and succeeds",
}

FEATURES: list[dict[str, Any]] = [
    {
        "repo": "storefront-nuxt",
        "branch": "feature/wishlist",
        "sessions": ["feat-wish-1", "feat-wish-2"],
        "patches_after_80": 4,
        "cliff": False,
        "note": "four fix attempts made of five edits; one opened by a plain-word report in the second session",
    },
    {
        "repo": "quota-gateway",
        "branch": "feature/rate-limit-tiers",
        "sessions": ["feat-rate-1", "feat-rate-2", "feat-rate-3"],
        "patches_after_80": 12,
        "cliff": True,
        "note": "two Codex sessions write the code, a Claude Code session fixes it: five failed checks, four plain-word reports, three pasted CI or staging logs; about 4 h before the mark, about 60 h after",
    },
    {
        "name": "Payout batches",
        "repo": "payouts-gleam",
        "branch": "feature/payout-batches + fix/batch-rounding",
        "sessions": ["feat-batch-1", "feat-batch-2"],
        "patches_after_80": 6,
        "cliff": False,
        "note": "two branches, two users and two agents joined by features.toml branch patterns; three attempts opened by user reports",
    },
]


def features_toml() -> str:
    return (
        "# Feature rules for the sixth held-out round: payout batches span two branches, users and agents.\n"
        '[[feature]]\nname = "Payout batches"\n'
        'branches = ["feature/payout-batches*", "fix/batch-rounding*"]\n'
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
            path = home / ".codex" / "sessions" / "2026" / "12" / f"{day:02d}" / f"rollout-{stamp}-{sid}.jsonl"
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
        "about": "Sixth held-out round, written blind in stacks earlier rounds did not use; see build_heldout6.py.",
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
