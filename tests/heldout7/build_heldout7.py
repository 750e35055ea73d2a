"""Build the seventh held-out corpus: sessions in stacks no earlier round used, written blind.

Transcripts for three users (nadia, osei, pilar; dates in 2027-01) in all four formats the
project reads: Claude Code (``~/.claude/projects/<slug>/<uuid>.jsonl``), Codex CLI rollouts in
the three tool shapes the CLI has written (``shell`` with an argv and a JSON output,
``shell_command`` with a string and plain-text output, ``exec_command``/``write_stdin`` with
"Process exited with code N"), Gemini CLI chat recordings (the legacy single document and the
JSONL record log) and an Aider ``.aider.chat.history.md``. Stacks: Godot/GUT, Unity Test
Framework, Common Lisp/SBCL with FiveAM, Racket, Ada/Alire, D/dub, SWI-Prolog, Rocq, Lean 4/lake,
Consul, Keycloak, Crossplane, Podman, k3s/k3d, Earthly, Caddy, Traefik, HAProxy, Varnish,
Linkerd, MinIO, Buck2, Apache Flink, Apache Beam, Pulsar, ScyllaDB, TimescaleDB,
Telegraf/Modbus, Neo4j, Mosquitto/MQTT, Dask, Appium, htmx, Hanami, Symfony/PHPUnit, CUE and
Jsonnet.

``truth.json`` holds the timeout spirals (waits in test and config files, command-line flags,
the agent's own tool budgets, background runs read by polling sleeps, checks whose verdict is
only in the printed output because ``| tail``, ``|| true`` or a ``curl -w`` status line hides or
lacks the exit status, two spirals continuing into the next day's session on the same branch,
one of them with another agent), the look-alikes that are not spirals, every sentence the agent
says with its verdict (exotic, legit, mundane, or non_claim: must carry no exotic verdict; a
message of several sentences has one entry per sentence), the user messages that report a
failure or do not, and the features with their fix attempts past the 80% mark
(``features.toml`` joins two branches into one named feature). Nothing here was derived from the
detectors. Stdlib only and deterministic.

Usage: python tests/heldout7/build_heldout7.py OUT_DIR
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

NS = uuid.UUID("9d41b7e2-5c08-4f6a-b3e1-7a2c60d5e707")
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
                "repository_url": f"git@github.com:fernwick-labs/{repo}.git",
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
            ctx = {"turn_id": turn, **ctx, "current_date": _ts(t)[:10], "timezone": "Europe/Lisbon"}
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
            lang = {"rb": "ruby", "php": "php", "cue": "cue", "jsonnet": "jsonnet", "libsonnet": "jsonnet"}.get(
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
    return datetime(2027, 1, day, hour, minute, 0, tzinfo=UTC)


X, L, M, N = "exotic", "legit", "mundane", "non_claim"


def msg(*parts: object) -> tuple:
    """An agent message of several labelled sentences (tuples) and the text between them (strings)."""
    return ("say", list(parts))


# ================================================================ spirals

GD = "test/integration/test_cloud_save.gd"
GD_OLD = '\tsave_sync.autosave(slot)\n\tvar uploaded = await wait_for_signal(save_sync.upload_finished, {})\n\tassert_true(uploaded, "upload_finished never fired")'
GD_CMD = "godot --headless -s addons/gut/gut_cmdln.gd -gdir=res://test/integration -gselect=test_cloud_save.gd -gexit"
GD_FAIL = "Godot Engine v4.3.stable.official.77dcf97d8 - https://godotengine.org\n\nres://test/integration/test_cloud_save.gd\n* test_upload_after_autosave\n    [Failed]:  upload_finished never fired\n      at line 27\n* test_conflict_keeps_newest\n    [Passed]\n\n---- Totals ----\nScripts               1\nTests                 2\n  Passing             1\n  Failing             1\nAsserts               3\nTime              {}s\n\n---- 1 failing tests ----\nres://test/integration/test_cloud_save.gd\n- test_upload_after_autosave"
S_GODOT = [
    (
        "user",
        "test_cloud_save fails on the CI runner and on my laptop since the transport refactor. Have a look?",
        "report",
    ),
    ("bash", GD_CMD, 1, GD_FAIL.format("2.431"), 6.0),
    ("edit", GD, GD_OLD.format(2), GD_OLD.format(6)),
    ("bash", GD_CMD, 1, GD_FAIL.format("6.418"), 10.0),
    msg(
        (
            "Headless Godot has no window to vsync against, and I suspect it throttles the main loop enough that the signal shows up after the wait gives up.",
            X,
        ),
        " ",
        ("Giving it 15 seconds.", N),
    ),
    ("edit", GD, GD_OLD.format(6), GD_OLD.format(15)),
    ("bash", GD_CMD, 1, GD_FAIL.format("15.402"), 19.0),
    ("edit", GD, GD_OLD.format(15), GD_OLD.format(40)),
    ("bash", GD_CMD, 1, GD_FAIL.format("40.427"), 44.0),
    msg(
        ("Hm, forty seconds and not a single upload_finished.", N),
        " ",
        ("Let me read FakeTransport before I touch the number again.", N),
    ),
    (
        "bash",
        "sed -n 1,40p test/support/fake_transport.gd",
        0,
        'extends "res://net/transport.gd"\n\nvar puts := []\n\nfunc put(path: String, bytes: PackedByteArray) -> void:\n\tputs.append(path)\n\tcompleted.emit(path)  # synchronous, no network\n',
    ),
    msg(
        (
            "`FakeTransport.put()` emits `completed` synchronously, so `upload_finished` has already fired inside `autosave()` before `wait_for_signal` starts listening.",
            M,
        ),
        "\n\n",
        ("The fix is to watch the signal before triggering the save, not to wait longer.", N),
    ),
    (
        "edit",
        GD,
        GD_OLD.format(40),
        '\twatch_signals(save_sync)\n\tsave_sync.autosave(slot)\n\tassert_signal_emitted(save_sync, "upload_finished")',
    ),
    (
        "bash",
        GD_CMD,
        0,
        "Godot Engine v4.3.stable.official.77dcf97d8 - https://godotengine.org\n\nres://test/integration/test_cloud_save.gd\n* test_upload_after_autosave\n    [Passed]\n* test_conflict_keeps_newest\n    [Passed]\n\n---- Totals ----\nScripts               1\nTests                 2\n  Passing             2\nAsserts               3\nTime              0.188s\n\n---- All tests passed! ----",
    ),
    msg(
        ("Both cloud-save tests pass in 0.19 s.", N),
        " ",
        (
            "I replaced the 40 s wait with `watch_signals` + `assert_signal_emitted`, so the test no longer waits at all.",
            N,
        ),
    ),
]

UN = "Assets/Tests/PlayMode/DockingTests.cs"
UN_OLD = "        [UnityTest, Timeout({})]\n        public IEnumerator ShipDocksWithinTolerance()"
UN_CMD = "/Applications/Unity/Hub/Editor/6000.0.32f1/Unity.app/Contents/MacOS/Unity -batchmode -nographics -projectPath . -runTests -testPlatform PlayMode -testFilter DockingTests -testResults /tmp/playmode.xml -logFile -"
UN_FAIL = "[Licensing::Client] Successfully resolved entitlement details\nLoading PlayMode test assemblies: OrbitCourier.Tests.PlayMode\n[TestRunner] Running 2 tests (filter: DockingTests)\nDockingTests.ShipUndocksOnAbort: Passed (1.204s)\nDockingTests.ShipDocksWithinTolerance: Failed\n  Test exceeded Timeout value of {}ms\n  at OrbitCourier.Tests.PlayMode.DockingTests+<ShipDocksWithinTolerance>d__3.MoveNext () [0x000d1] in Assets/Tests/PlayMode/DockingTests.cs:58\nTest run completed. Exiting with code 2 (Failed). Run completed with 1 failures.\nSaving results to: /tmp/playmode.xml"
S_UNITY = [
    ("user", "ShipDocksWithinTolerance keeps timing out in batchmode. It's fine in the editor. Fix pls", "report"),
    ("bash", UN_CMD, 2, UN_FAIL.format(10000), 74.0),
    ("edit", UN, UN_OLD.format(10000), UN_OLD.format(30000)),
    ("bash", UN_CMD, 2, UN_FAIL.format(30000), 96.0),
    msg(
        ("Still exceeding it.", N),
        " ",
        (
            "With -nographics there's no GPU, and my guess is PhysX falls back to a slower solver path on the build Mac, so the approach takes longer than in the editor.",
            X,
        ),
    ),
    ("edit", UN, UN_OLD.format(30000), UN_OLD.format(90000)),
    ("bash", UN_CMD, 2, UN_FAIL.format(90000), 158.0),
    ("edit", UN, UN_OLD.format(90000), UN_OLD.format(180000)),
    ("bash", UN_CMD, 2, UN_FAIL.format(180000), 249.0),
    msg(
        ("Result after four runs:", N),
        "\n",
        ("- 10 s, 30 s, 90 s and 180 s all end at `DockingTests.cs:58`.", N),
        "\n",
        ("- `ShipUndocksOnAbort` passes every time in about a second.", N),
        "\n\n",
        (
            "I haven't found why the ship never reports docked, and I'd rather not push the timeout past three minutes; want me to log the distance per frame next?",
            N,
        ),
    ),
]

CS_CMD = "gotestsum --format standard-verbose -- ./internal/registry -run TestRegistersWithConsul -count=1"
CS_PART = '=== RUN   TestRegistersWithConsul\n    registry_test.go:41: consul dev agent up at 127.0.0.1:8500 (v1.20.1)\n    registry_test.go:52: registered service "ledger" id=ledger-1 port=9090\n    registry_test.go:58: waiting for service "ledger" to become passing'
S_CONSUL = [
    ("user", "can you make TestRegistersWithConsul pass? it never finishes for me", "report"),
    ("bash_t", CS_CMD, 120000, None, CS_PART),
    msg(
        ("The test didn't finish inside two minutes.", N),
        " ",
        (
            "A Consul dev agent can be slow on first start because it has to elect itself leader; I'll give it five minutes.",
            X,
        ),
    ),
    ("bash_t", CS_CMD, 300000, None, CS_PART),
    ("bash_t", CS_CMD, 480000, None, CS_PART),
    ("say", 'Eight minutes, same place: the test sits at "waiting for service ledger to become passing".', N),
    ("bash_t", CS_CMD, 600000, None, CS_PART),
    (
        "bash",
        "curl -s localhost:8500/v1/health/checks/ledger | jq -r '.[] | .Status + \" \" + .Output'",
        0,
        "critical HTTP GET http://127.0.0.1:9090/healthz: 404 Not Found Output: 404 page not found",
    ),
    msg(
        (
            "The check Consul runs gets a 404 from `/healthz`, so the service stays `critical` and the loop in the test waits forever.",
            L,
        ),
        " ",
        (
            "`internal/httpapi/routes.go` mounts the health handler at `/health`, while `registry.go` registers the check against `/healthz`.",
            M,
        ),
    ),
    (
        "edit",
        "internal/registry/registry.go",
        '\t\tHTTP:     fmt.Sprintf("http://%s:%d/healthz", addr, port),',
        '\t\tHTTP:     fmt.Sprintf("http://%s:%d/health", addr, port),',
    ),
    (
        "bash",
        CS_CMD,
        0,
        CS_PART
        + "\n    registry_test.go:66: ledger passing after 2.1s\n--- PASS: TestRegistersWithConsul (3.84s)\nPASS\nok  \tgithub.com/fernwick-labs/meshbook/internal/registry\t4.112s\n\nDONE 1 tests in 5.021s",
    ),
    ("say", "Passes in 3.8 s now that the check URL matches the route.", N),
]

FL_CMD = "mvn -q -pl jobs/sessionizer verify -Dit.test=SessionWindowIT -DskipUTs"
FL_PART = "[INFO] Running com.fernwick.clickstream.SessionWindowIT\n14:02:11,408 INFO  org.apache.flink.runtime.minicluster.MiniCluster - Starting Flink Mini Cluster\n14:02:13,902 INFO  org.apache.flink.runtime.taskexecutor.TaskExecutor - Successful registration at resource manager\n14:02:15,377 INFO  org.apache.flink.runtime.executiongraph.ExecutionGraph - Job sessionizer-it switched from state CREATED to RUNNING."
S_FLINK = [
    ("user", "Run the sessionizer IT and make sure it passes before I cut the release.", "not_report"),
    ("bash_t", FL_CMD, 120000, None, FL_PART),
    (
        "bash_t",
        FL_CMD,
        300000,
        None,
        FL_PART
        + "\n14:05:44,013 INFO  org.apache.flink.runtime.checkpoint.CheckpointCoordinator - Completed checkpoint 9 for job sessionizer-it",
    ),
    msg(
        ("It got killed again while the job was still RUNNING.", N),
        " ",
        (
            "The RocksDB state backend tends to be slow on the first checkpoints in a cold container, so I'll allow ten minutes.",
            X,
        ),
    ),
    (
        "bash_t",
        FL_CMD,
        600000,
        None,
        FL_PART
        + "\n14:11:02,550 INFO  org.apache.flink.runtime.checkpoint.CheckpointCoordinator - Completed checkpoint 31 for job sessionizer-it",
    ),
    (
        "bash_t",
        FL_CMD,
        1200000,
        0,
        FL_PART
        + "\n14:27:39,118 INFO  org.apache.flink.runtime.executiongraph.ExecutionGraph - Job sessionizer-it switched from state RUNNING to FINISHED.\n[INFO] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 1021.7 s - in com.fernwick.clickstream.SessionWindowIT",
    ),
    msg(
        ("SessionWindowIT passes with a twenty-minute budget (3 tests, 1021.7 s).", N),
        " ",
        ("You can cut the release.", N),
    ),
]

PU = "go test ./consumer -run TestConsumerReceivesInvoiceEvents -count=1 -timeout {}s 2>&1 | tail -8"
PU_FAIL = "panic: test timed out after {}\n\trunning tests:\n\t\tTestConsumerReceivesInvoiceEvents ({})\n\ngoroutine 41 [select]:\ngithub.com/apache/pulsar-client-go/pulsar.(*consumer).Receive(0xc0001a2000, {{0x10d5e28, 0xc000120000}})\nFAIL\tgithub.com/fernwick-labs/ledger-events/consumer\t{}s\nFAIL"
S_PULSAR = [
    ("user", "TestConsumerReceivesInvoiceEvents hangs against the local Pulsar standalone. Sort it out?", "report"),
    ("bash", PU.format(60), 0, PU_FAIL.format("1m0s", "1m0s", "60.214"), 61.0),
    ("bash", PU.format(180), 0, PU_FAIL.format("3m0s", "3m0s", "180.307"), 181.0),
    msg(
        (
            "Pulsar standalone on Docker Desktop is known for slow topic creation, maybe the broker is still loading the namespace bundle.",
            X,
        ),
        " ",
        ("Trying 7 minutes.", N),
    ),
    ("bash", PU.format(420), 0, PU_FAIL.format("7m0s", "7m0s", "420.118"), 421.0),
    ("bash", PU.format(900), 0, PU_FAIL.format("15m0s", "15m0s", "900.402"), 901.0),
    msg(
        ("Quindici minuti e il consumer è ancora fermo su `Receive`.", N),
        " ",
        ("Guardo come viene creata la subscription nel test.", N),
    ),
    (
        "bash",
        "grep -n 'Subscribe\\|Send\\|InitialPosition' consumer/consumer.go consumer/consumer_test.go",
        0,
        'consumer/consumer_test.go:33:\t_, err = producer.Send(ctx, &pulsar.ProducerMessage{Payload: invoiceJSON})\nconsumer/consumer_test.go:38:\tc, err := consumer.New(client, "persistent://public/default/invoices", "ledger-it")\nconsumer/consumer.go:27:\t\tSubscriptionInitialPosition: pulsar.SubscriptionPositionLatest,',
    ),
    msg(
        (
            "The test sends the invoice event before it subscribes, and `consumer.go` starts new subscriptions at `SubscriptionPositionLatest`, so that message is behind the cursor and `Receive` waits for one that never comes.",
            M,
        ),
    ),
    (
        "edit",
        "consumer/consumer.go",
        "\t\tSubscriptionInitialPosition: pulsar.SubscriptionPositionLatest,",
        "\t\tSubscriptionInitialPosition: pulsar.SubscriptionPositionEarliest,",
    ),
    (
        "bash",
        PU.format(60),
        0,
        "=== RUN   TestConsumerReceivesInvoiceEvents\n--- PASS: TestConsumerReceivesInvoiceEvents (0.84s)\nPASS\nok  \tgithub.com/fernwick-labs/ledger-events/consumer\t1.203s",
    ),
    ("say", "Passes in under a second with the 60 s timeout back in the command.", N),
]

MQ = "mosquitto_sub -h localhost -p 1883 -u smoke -P \"$MQTT_SMOKE_PW\" -t 'fleet/+/telemetry' -C 1 -W {} -v || true"
S_MQTT = [
    ("user", "The telemetry smoke check says nothing arrives from the simulator. Can you get it working?", "report"),
    (
        "bash",
        "docker compose up -d mosquitto simulator",
        0,
        " Container fleet-mosquitto-1  Running\n Container fleet-simulator-1  Started",
    ),
    ("bash", MQ.format(5), 0, "Timed out", 5.1),
    ("bash", MQ.format(15), 0, "Timed out", 15.1),
    msg(
        ("Nothing on the topic yet.", N),
        " ",
        (
            "Mosquitto might be holding messages back until its persistence file is loaded, which can take a while on a Docker for Mac volume.",
            X,
        ),
    ),
    ("bash", MQ.format(45), 0, "Timed out", 45.1),
    ("bash", MQ.format(120), 0, "Timed out", 120.1),
    msg(
        ("Zwei Minuten, immer noch `Timed out`.", N),
        " ",
        (
            "Ich habe noch nicht herausgefunden, warum nichts ankommt; als Nächstes würde ich das Log des Simulators und die ACL-Datei von Mosquitto ansehen.",
            N,
        ),
    ),
]

DK = "tests/dask.yaml"
DK_OLD = "distributed:\n  comm:\n    timeouts:\n      connect: {}s\n      tcp: 30s"
DK_CMD = "pytest tests/test_distributed_pricing.py -q"
DK_FAIL = 'F..\n=================================== FAILURES ===================================\n_________________________ test_prices_full_curve_on_cluster _________________________\n    @pytest.fixture\n    def client():\n>       return Client(os.environ.get("DASK_SCHEDULER_ADDRESS", "tcp://dask-scheduler:8786"))\n\ntests/conftest.py:19:\nE   OSError: Timed out trying to connect to tcp://dask-scheduler:8786 after {} s\n=========================== short test summary info ============================\nFAILED tests/test_distributed_pricing.py::test_prices_full_curve_on_cluster - OSError: Timed out trying to connect to tcp://dask-scheduler:8786 after {} s\n1 failed, 2 passed in {}s'
S_DASK = [
    ("user", "test_prices_full_curve_on_cluster is red locally, please fix", "report"),
    ("bash", DK_CMD, 1, DK_FAIL.format(10, 10, "12.81"), 13.0),
    ("edit", DK, DK_OLD.format(10), DK_OLD.format(30)),
    ("bash", DK_CMD, 1, DK_FAIL.format(30, 30, "32.77"), 33.0),
    msg(
        (
            "The scheduler container is slow to accept connections right after startup, which is typical when Docker's embedded DNS is lagging.",
            X,
        ),
    ),
    ("edit", DK, DK_OLD.format(30), DK_OLD.format(90)),
    ("bash", DK_CMD, 1, DK_FAIL.format(90, 90, "92.90"), 93.0),
    ("edit", DK, DK_OLD.format(90), DK_OLD.format(180)),
    ("bash", DK_CMD, 1, DK_FAIL.format(180, 180, "182.64"), 183.0),
    msg(
        ("Three minutes with the same error.", N),
        " ",
        (
            "`dask-scheduler` is the service name inside `docker-compose.yml`; pytest runs on the host, where that name resolves to nothing, so the client can never connect and the connect timeout only decides how long it tries.",
            M,
        ),
    ),
    (
        "edit",
        "tests/conftest.py",
        '    return Client(os.environ.get("DASK_SCHEDULER_ADDRESS", "tcp://dask-scheduler:8786"))',
        '    address = os.environ.get("DASK_SCHEDULER_ADDRESS")\n    return Client(address) if address else Client(LocalCluster(n_workers=2, processes=False))',
    ),
    ("edit", DK, DK_OLD.format(180), DK_OLD.format(10)),
    ("bash", DK_CMD, 0, "...\n3 passed in 4.12s"),
    msg(
        ("All three pricing tests pass.", N),
        " ",
        (
            "Without `DASK_SCHEDULER_ADDRESS` the fixture starts a local two-worker cluster, and the connect timeout is back at 10 s.",
            N,
        ),
    ),
]

NJ = "config/test.toml"
NJ_OLD = '[neo4j]\nuri = "bolt://localhost:7687"\nmax_connection_pool_size = 10\nconnection_acquisition_timeout = {}'
NJ_CMD = "pytest tests/integration -q -x"
NJ_FAIL = '..........F\n=================================== FAILURES ===================================\n______________________ test_cousins_of_a_large_family ______________________\nkinship/repo.py:61: in find_relatives\n    session = self._driver.session(database="kinship")\nE   neo4j.exceptions.ClientError: {{code: None}} {{message: failed to obtain a connection from the pool within {}.0s}}\n=========================== short test summary info ============================\nFAILED tests/integration/test_relatives.py::test_cousins_of_a_large_family - neo4j.exceptions.ClientError: failed to obtain a connection from the pool within {}.0s\n!!!!!!!!!!!!!!!!!!!!!!!!!! stopping after 1 failures !!!!!!!!!!!!!!!!!!!!!!!!!!!\n1 failed, 10 passed in {}s'
S_NEO4J_1 = [
    ("user", "The relatives integration tests fail on the big family fixture. Can you look?", "report"),
    ("bash", NJ_CMD, 1, NJ_FAIL.format(5, 5, "9.40"), 10.0),
    ("edit", NJ, NJ_OLD.format(5), NJ_OLD.format(15)),
    ("bash", NJ_CMD, 1, NJ_FAIL.format(15, 15, "19.12"), 20.0),
    msg(
        (
            "The Neo4j container is running with the default 512 MB heap, and I think the page cache is thrashing under the large fixture, which makes connections slow to come back.",
            X,
        ),
        " ",
        ("I have to stop here for today; the acquisition timeout is at 15 s in `config/test.toml`.", N),
    ),
]
S_NEO4J_2 = [
    ("user", "Picking up the neo4j pool thing from yesterday, carry on.", "not_report"),
    ("bash", NJ_CMD, 1, NJ_FAIL.format(15, 15, "19.33"), 20.0),
    ("edit", NJ, NJ_OLD.format(15), NJ_OLD.format(45)),
    ("bash", NJ_CMD, 1, NJ_FAIL.format(45, 45, "49.01"), 50.0),
    ("edit", NJ, NJ_OLD.format(45), NJ_OLD.format(120)),
    ("bash", NJ_CMD, 1, NJ_FAIL.format(120, 120, "124.57"), 125.0),
    msg(
        ("A pool of 10 and two minutes of waiting, and the eleventh test still cannot get a connection.", N),
        " ",
        (
            "`find_relatives` in `kinship/repo.py` opens `self._driver.session()` and never closes it, so each call keeps one pooled connection and the tenth call drains the pool.",
            M,
        ),
    ),
    (
        "edit",
        "kinship/repo.py",
        '        session = self._driver.session(database="kinship")\n        result = session.run(RELATIVES, person=person_id, depth=depth)\n        return [r["p"] for r in result]',
        '        with self._driver.session(database="kinship") as session:\n            result = session.run(RELATIVES, person=person_id, depth=depth)\n            return [r["p"] for r in result]',
    ),
    ("edit", NJ, NJ_OLD.format(120), NJ_OLD.format(5)),
    ("bash", NJ_CMD, 0, "...........\n11 passed in 6.02s"),
    ("say", "All 11 integration tests pass with the acquisition timeout back at 5 s.", N),
]

VT = "varnishtest -t {} -D varnishd_args='-p ban_lurker_age=60' tests/ban_lurker.vtc"
VT_FAIL = '**** top   0.0 extmacro def pkg_version=7.6.1\n*    top   0.0 TEST tests/ban_lurker.vtc starting\n**   s1    0.0 Started on 127.0.0.1:41233 (1 iterations)\n**   v1    0.4 Launch\n**   c1    1.1 === txreq -url /catalog/42\n**   c2    1.3 === txreq -req BAN -hdr "X-Ban-Url: ^/catalog/42"\n**   c3    1.4 === delay 58\n# top  TEST tests/ban_lurker.vtc timed out (kill -9)\n# top  TEST tests/ban_lurker.vtc FAILED ({}.004) signal=9'
S_VARNISH_1 = [
    ("user", "ban_lurker.vtc keeps failing in the pipeline, please get it to pass", "report"),
    ("bash", VT.format(30), 2, VT_FAIL.format(30), 30.2),
    ("bash", VT.format(60), 2, VT_FAIL.format(60), 60.2),
    msg(
        ("Timed out again, now at 60 s.", N),
        " ",
        ("I'll pick this up tomorrow.", N),
    ),
]
S_VARNISH_2 = [
    ("user", "back to ban_lurker.vtc", "not_report"),
    ("bash", VT.format(60), 2, VT_FAIL.format(60), 60.2),
    (
        "say",
        "Same 60 s timeout as yesterday, and I'd guess this machine is oversubscribed so the lurker thread doesn't get scheduled in time.",
        X,
    ),
    ("bash", VT.format(180), 2, VT_FAIL.format(180), 180.3),
    (
        "bash",
        VT.format(300),
        0,
        '**** top   0.0 extmacro def pkg_version=7.6.1\n*    top   0.0 TEST tests/ban_lurker.vtc starting\n**   c3    1.4 === delay 58\n**   c3   59.5 === txreq -url /catalog/42\n**   c3   59.6 === expect resp.http.X-Cache == "MISS"\n**** c3   59.6 EXPECT resp.http.X-Cache (MISS) == "MISS" match\n#    top  TEST tests/ban_lurker.vtc passed (61.882)',
    ),
    msg(
        ("Passed with `-t 300`.", N),
        " ",
        ("The run itself took 61.9 s.", N),
    ),
]

LK_BG = "lake build Ringlets > /tmp/lake-ringlets.log 2>&1"
LK_LOG = "⣿ [1411/2230] Built Ringlets.Ideal.Basic\n⣿ [1412/2230] Building Ringlets.Ideal.Quotient\nerror: ././././Ringlets/Ideal/Quotient.lean:88:2: (deterministic) timeout at `whnf`, maximum number of heartbeats (200000) has been reached\nUse `set_option maxHeartbeats <num>` to set the limit.\nerror: Lean exited with code 1\nSome required builds logged failures:\n- Ringlets.Ideal.Quotient\nerror: build failed"
S_LAKE = [
    ("user", "After the mathlib bump `lake build` doesn't go through anymore. Can you get it building?", "report"),
    ("bg", LK_BG, "b7k2q9wrd"),
    ("bash", "sleep 60 && tail -8 /tmp/lake-ringlets.log", 0, LK_LOG, 60.1),
    msg(
        ("Ringlets.Ideal.Quotient fails the first build.", N),
        " ",
        ("I'll rerun it in the background and read the log once more of mathlib is cached.", N),
    ),
    ("bg", LK_BG, "b3m8x1tcv"),
    ("bash", "sleep 180 && tail -8 /tmp/lake-ringlets.log", 0, LK_LOG, 180.1),
    ("bg", LK_BG, "b9d4n6pze"),
    ("bash", "sleep 420 && tail -8 /tmp/lake-ringlets.log", 0, LK_LOG, 420.1),
    msg(
        ("The heartbeat limit is probably hit because this machine is swapping while the other lake jobs run.", X),
    ),
    ("bg", LK_BG, "b1w5r7yhs"),
    ("bash", "sleep 900 && tail -8 /tmp/lake-ringlets.log", 0, LK_LOG, 900.1),
    msg(
        ("Fifteen minutes later the log ends exactly as it did after one.", N),
        " ",
        (
            "I don't know yet which mathlib change made `whnf` blow up at `Quotient.lean:88`; I'll need you to tell me whether raising `maxHeartbeats` locally is acceptable before I go further.",
            N,
        ),
    ),
    ("say", "If it turns out to be memory pressure after all, `lake build -j 2` is the first thing I'd try.", N),
]

TF = "traefik/dynamic/transports.yml"
TF_OLD = "http:\n  serversTransports:\n    reports:\n      forwardingTimeouts:\n        dialTimeout: 5s\n        responseHeaderTimeout: {}s"
TF_CMD = (
    "curl -s -o /dev/null -w '%{http_code} %{time_total}\\n' -m 120 https://reports.atlas.localhost/api/exports/q4.csv"
)
S_TRAEFIK = [
    (
        "user",
        "Downloading the Q4 export through the gateway gives a 504 every time. Direct to the service it works, just slow.",
        "report",
    ),
    ("bash", TF_CMD, 0, "504 5.012", 5.1),
    ("edit", TF, TF_OLD.format(5), TF_OLD.format(15)),
    ("bash", TF_CMD, 0, "504 15.009", 15.1),
    msg(
        ("Still a 504 at 15 seconds.", N),
        " ",
        (
            "Traefik's file provider sometimes takes a while to pick up changes on macOS bind mounts, so the old value may still be live.",
            X,
        ),
    ),
    ("edit", TF, TF_OLD.format(15), TF_OLD.format(45)),
    ("bash", TF_CMD, 0, "504 45.011", 45.1),
    ("edit", TF, TF_OLD.format(45), TF_OLD.format(90)),
    ("bash", TF_CMD, 0, "504 90.006", 90.1),
    (
        "bash",
        "grep -n 'def export_quarter' -A 12 services/reports/exports.py",
        0,
        '41:def export_quarter(q: str) -> Response:\n42-    rows = list(ledger.rows_for_quarter(q))  # 1.9M rows\n43-    body = render_csv(rows)\n44-    return Response(body, media_type="text/csv")',
    ),
    msg(
        (
            "`export_quarter` builds the whole 1.9-million-row CSV in memory before it sends a single byte, so no response header reaches Traefik until the end.",
            M,
        ),
        " ",
        ("Streaming the rows lets headers go out at once and keeps the 5 s header timeout meaningful.", N),
    ),
    (
        "edit",
        "services/reports/exports.py",
        '    rows = list(ledger.rows_for_quarter(q))  # 1.9M rows\n    body = render_csv(rows)\n    return Response(body, media_type="text/csv")',
        '    rows = ledger.rows_for_quarter(q)\n    return StreamingResponse(iter_csv(rows), media_type="text/csv")',
    ),
    ("edit", TF, TF_OLD.format(90), TF_OLD.format(5)),
    ("bash", TF_CMD, 0, "200 38.204", 38.3),
    (
        "say",
        "The export downloads through the gateway now (200, 38 s for the full file), with the header timeout back at 5 s.",
        N,
    ),
]

# ================================================================ not spirals

RK = "raco test -j 4 tests/"
S_NS_RACKET = [
    ("user", "Run the full scribble-lint test suite before I tag 0.9.", "not_report"),
    (
        "bash_t",
        RK,
        120000,
        None,
        'raco test: "tests/rules/heading-case.rkt"\nraco test: "tests/rules/dangling-ref.rkt"\nraco test: "tests/corpus/racket-docs.rkt"',
    ),
    (
        "bash",
        "gh run view --log --job 31877 | grep -E 'raco test|real'",
        0,
        "test\tRun raco test -j 4 tests/\t2027-01-04T16:20:11.0000000Z raco test -j 4 tests/\ntest\tRun raco test -j 4 tests/\t2027-01-04T16:23:52.4102218Z real\t3m41.207s",
    ),
    msg(
        ("The last CI run of the same command took 3m41s, mostly the corpus test over the Racket docs.", N),
        " ",
        ("I'll rerun it with a ten-minute budget.", N),
    ),
    ("bash_t", RK, 600000, 0, 'raco test: "tests/corpus/racket-docs.rkt"\n412 tests passed'),
    ("say", "412 tests pass; you're good to tag 0.9.", N),
]

HP = "haproxy.cfg"
HP_CMD = "haproxy -c -f haproxy.cfg"
S_NS_HAPROXY = [
    ("user", "Support wants longer server timeouts on the report backends: 60s please.", "not_report"),
    ("edit", HP, "    timeout server 30s", "    timeout server 60s"),
    ("bash", HP_CMD, 0, "Configuration file is valid"),
    ("say", "`timeout server` is 60s and the config validates.", N),
    ("user", "Actually make it 120s, the quarterly ones are bigger.", "not_report"),
    ("edit", HP, "    timeout server 60s", "    timeout server 120s"),
    ("bash", HP_CMD, 0, "Configuration file is valid"),
    ("user", "And 300s for the reports backend only, finance asked.", "not_report"),
    ("edit", HP, "backend reports\n    timeout server 120s", "backend reports\n    timeout server 300s"),
    ("bash", HP_CMD, 0, "Configuration file is valid"),
    msg(
        ("Done.", N),
        " ",
        ("The defaults keep 120s, the `reports` backend has 300s, and `haproxy -c` is happy with it.", N),
    ),
]

AP = "tests/e2e/conftest.py"
AP_OLD = "    driver.implicitly_wait({})"
AP_CMD = "pytest tests/e2e/test_login.py -q"
AP_FAIL = "F\n=================================== FAILURES ===================================\n_________________________ test_login_with_saved_account _________________________\nE   selenium.common.exceptions.NoSuchElementException: Message: An element could not be located on the page using the given search parameters.\ntests/e2e/test_login.py:22: NoSuchElementException\n1 failed in {}s"
S_NS_APPIUM = [
    ("user", "test_login_with_saved_account fails on the Android emulator. Each run takes forever too.", "report"),
    ("bash", AP_CMD, 1, AP_FAIL.format("71.40"), 72.0),
    msg(
        ("Every missing element costs a full minute because of the 60 s implicit wait.", M),
        " ",
        ("I'll bring it down so we fail fast while I look for the element.", N),
    ),
    ("edit", AP, AP_OLD.format(60), AP_OLD.format(10)),
    ("bash", AP_CMD, 1, AP_FAIL.format("21.04"), 22.0),
    ("edit", AP, AP_OLD.format(10), AP_OLD.format(3)),
    ("bash", AP_CMD, 1, AP_FAIL.format("13.88"), 14.0),
    (
        "bash",
        "grep -rn 'saved_account' tests/e2e/test_login.py app/src/main/res/layout/activity_login.xml",
        0,
        'tests/e2e/test_login.py:22:    driver.find_element(AppiumBy.ID, "com.fernwick.fieldnotes:id/saved_account").click()\napp/src/main/res/layout/activity_login.xml:57:        android:id="@+id/saved_account_chip"',
    ),
    ("say", "The layout renamed the view to `saved_account_chip`, and the test still looks for `saved_account`.", M),
    (
        "edit",
        "tests/e2e/test_login.py",
        'AppiumBy.ID, "com.fernwick.fieldnotes:id/saved_account")',
        'AppiumBy.ID, "com.fernwick.fieldnotes:id/saved_account_chip")',
    ),
    ("bash", AP_CMD, 0, ".\n1 passed in 9.12s"),
    ("say", "Passes in 9 s, and the implicit wait stays at 3 s.", N),
]

LD_CMD = "go test ./e2e -run TestCheckoutThroughMesh -count=1"
S_NS_LINKERD = [
    ("user", "The mesh e2e for checkout is flaky since we meshed payments. Look into it.", "report"),
    (
        "bash",
        "linkerd check --proxy -n payments --wait 1m",
        1,
        'linkerd-data-plane\n------------------\n√ data plane namespace exists\n× data plane proxies are ready\n    No "linkerd-proxy" containers found in the "payments" namespace\n    see https://linkerd.io/2/checks/#l5d-data-plane-ready for hints\n\nStatus check results are ×',
    ),
    (
        "bash",
        "kubectl -n payments rollout restart deploy/payments && linkerd check --proxy -n payments --wait 5m",
        0,
        "√ data plane proxies are ready\n√ data plane is up-to-date\n\nStatus check results are √",
    ),
    (
        "bash",
        LD_CMD,
        1,
        "--- FAIL: TestCheckoutThroughMesh (2.31s)\n    mesh_test.go:44: POST /checkout: 504 Gateway Timeout (l5d-proxy-error: request timed out)\nFAIL",
    ),
    ("edit", "k8s/payments/serviceprofile.yaml", "    timeout: 300ms", "    timeout: 2s"),
    (
        "bash",
        LD_CMD,
        1,
        "--- FAIL: TestCheckoutThroughMesh (4.02s)\n    mesh_test.go:51: GET /orders/42/status: 503 Service Unavailable (l5d-proxy-error: connect timed out)\nFAIL",
    ),
    (
        "edit",
        "k8s/orders/deployment.yaml",
        "        config.linkerd.io/proxy-outbound-connect-timeout: 1000ms",
        "        config.linkerd.io/proxy-outbound-connect-timeout: 3000ms",
    ),
    ("bash", LD_CMD, 0, "ok  \tgithub.com/fernwick-labs/mesh-platform/e2e\t3.877s"),
    msg(
        ("The e2e passes.", N),
        " ",
        (
            "Three separate things were set: the payments proxies were missing until the rollout restart, the `POST /checkout` route timeout went from 300ms to 2s, and the orders proxy got a 3 s outbound connect timeout.",
            N,
        ),
    ),
]

MC_OLD = (
    "sleep {} && mc alias set local http://localhost:9000 minioadmin minioadmin && mc mb --ignore-existing local/photos"
)
S_NS_MINIO = [
    ("user", "`make dev` fails at the bucket step about half the time.", "report"),
    (
        "bash",
        "docker compose up -d minio && " + MC_OLD.format(5),
        1,
        'mc: <ERROR> Unable to initialize new alias from the provided credentials. Get "http://localhost:9000/probe-bucket-sign-n3x9q2/?location=": dial tcp [::1]:9000: connect: connection refused.',
    ),
    ("edit", "scripts/dev-buckets.sh", MC_OLD.format(5), MC_OLD.format(15)),
    (
        "bash",
        "bash scripts/dev-buckets.sh",
        0,
        "Added `local` successfully.\nBucket created successfully `local/photos`.",
    ),
    msg(
        ("That worked, but a fixed sleep only moves the race.", N),
        " ",
        ("I'll wait for MinIO to say it is ready instead.", N),
    ),
    (
        "edit",
        "scripts/dev-buckets.sh",
        MC_OLD.format(15),
        "mc alias set local http://localhost:9000 minioadmin minioadmin\ntimeout 60 sh -c 'until mc ready local >/dev/null 2>&1; do sleep 1; done'\nmc mb --ignore-existing local/photos",
    ),
    (
        "bash",
        "docker compose restart minio && bash scripts/dev-buckets.sh",
        0,
        "Added `local` successfully.\nBucket created successfully `local/photos`.",
    ),
    (
        "say",
        "The script now polls `mc ready` for up to 60 s instead of sleeping, and the bucket step passes right after a restart.",
        N,
    ),
]

BM = "tests/test_meter_windows.py"
BM_OLD = "    result = p.run()\n    result.wait_until_finish(duration={})"
BM_CMD = "pytest tests/test_meter_windows.py -q"
BM_FAIL = "F\n=================================== FAILURES ===================================\n__________________________ test_hourly_totals_per_meter __________________________\nE   AssertionError: Failed assert: [] == [('m-17', 3.25), ('m-18', 1.5)], unexpected elements [], missing elements [('m-17', 3.25), ('m-18', 1.5)] [while running 'assert_that/Match']\n1 failed in {}s"
S_NS_BEAM = [
    ("user", "test_hourly_totals_per_meter returns an empty result. It should have two meters.", "report"),
    ("bash", BM_CMD, 1, BM_FAIL.format("31.22"), 32.0),
    ("edit", BM, BM_OLD.format(30000), BM_OLD.format(60000)),
    ("bash", BM_CMD, 1, BM_FAIL.format("61.03"), 62.0),
    ("edit", BM, BM_OLD.format(60000), BM_OLD.format(120000)),
    ("bash", BM_CMD, 1, BM_FAIL.format("121.47"), 122.0),
    msg(
        ("Longer waits give the same empty pane.", N),
        " ",
        (
            "The `TestStream` in the test adds the elements but never calls `advance_watermark_to_infinity()`, so the `AfterWatermark` trigger never fires and the window emits nothing.",
            M,
        ),
    ),
    (
        "edit",
        BM,
        "        .add_elements(READINGS)\n",
        "        .add_elements(READINGS)\n        .advance_watermark_to_infinity()\n",
    ),
    ("edit", BM, BM_OLD.format(120000), BM_OLD.format(30000)),
    ("bash", BM_CMD, 0, ".\n1 passed in 2.84s"),
    ("say", "Passes, and `wait_until_finish` is back at 30 s.", N),
]

BK = "buck2 build //app:release --show-output"
S_NS_BUCK2 = [
    ("user", "Kick off a release build of the firmware and tell me when it's done.", "not_report"),
    (
        "bash",
        BK,
        None,
        "Build ID: 3f1c0a7e-52d9-4c61-a8b0-91e2d6f3b410\nLoading targets.   Remaining      0/412\nAnalyzing targets. Remaining     38/1906",
    ),
    ("poll", BK, 30000, None, "Action: cxx_compile //hal/stm32:hal (src/uart.c)   Remaining   1204/3318"),
    ("poll", BK, 60000, None, "Action: cxx_compile //radio/lora:stack (src/mac.c)   Remaining    488/3318"),
    (
        "poll",
        BK,
        120000,
        0,
        "Action: cxx_link //app:release   Remaining      0/3318\nBUILD SUCCEEDED\n//app:release buck-out/v2/gen/root/9c1a.../app/__release__/release.elf",
    ),
    (
        "say",
        "The release build succeeded; the ELF is at `buck-out/v2/gen/root/9c1a.../app/__release__/release.elf`.",
        N,
    ),
]


# ================================================================ explanations

E_LANG = [  # Common Lisp/SBCL, Racket, Ada/Alire, D/dub, SWI-Prolog, Rocq: claude
    (
        "user",
        "Let's go through the toolshed repo package by package today. Start with the Lisp tests.",
        "not_report",
    ),
    (
        "bash",
        "sbcl --non-interactive --eval '(ql:quickload :ledger-cl/tests)' --eval '(asdf:test-system :ledger-cl)'",
        1,
        'Running test suite LEDGER-SUITE\n Running test PARSE-AMOUNT ..\n Running test ROUND-HALF-EVEN .f\n Did 3 checks.\n    Pass: 2 (66%)\n    Skip: 0 ( 0%)\n    Fail: 1 (33%)\n\n Failure Details:\n --------------------------------\n ROUND-HALF-EVEN []: \n      (LEDGER::ROUND-CENTS 2.675d0)\n\n evaluated to \n\n267 \n\n is not \n\n=\n\n to \n\n268\n --------------------------------\nUnhandled SIMPLE-ERROR in thread #<SB-THREAD:THREAD "main thread" RUNNING {1001878103}>: Tests failed',
    ),
    msg(
        (
            "SBCL's double-float rounding is probably different on ARM than on x86, and that's why 2.675 lands on 267.",
            X,
        ),
        " ",
        ("Let me check how `round-cents` is written before I say more.", N),
    ),
    (
        "bash",
        "grep -n 'defun round-cents' -A 3 src/money.lisp",
        0,
        '14:(defun round-cents (x)\n15-  "Round X (a double) to whole cents."\n16-  (round (* x 100)))',
    ),
    msg(
        ("I take back the ARM theory.", N),
        " ",
        (
            "`round-cents` multiplies a double by 100, and 2.675d0 is really 2.67499999…, so `round` gets 267.4999… and returns 267 on any platform.",
            M,
        ),
        " ",
        ("I'll parse amounts as rationals instead.", N),
    ),
    ("edit", "src/money.lisp", "  (round (* x 100)))", "  (round (* (rational x) 100)))"),
    (
        "tool_err",
        "Edit",
        {
            "file_path": "/home/nadia/src/toolshed/src/money.lisp",
            "old_string": "  (round (* x 100)))",
            "new_string": "  (round (* (rational x) 100)))",
            "replace_all": False,
        },
        "String to replace not found in file.\nString:   (round (* x 100)))",
    ),
    msg(
        ("That second edit was a duplicate of the first one, which already went in.", M),
        " ",
        ("Nothing to redo.", N),
    ),
    (
        "bash",
        "sbcl --non-interactive --eval '(ql:quickload :ledger-cl)' --eval '(ledger::import-journal #p\"fixtures/2026-full.journal\")'",
        1,
        "Heap exhausted during garbage collection: 0 bytes available, 32 requested.\n        Immobile Objects\n   Gen  Boxed   Cons    Raw   Code  SmMix  Mixed  LgRaw LgCode  LgMix Waste%       Alloc        Trig   Dirty GCs Mem-age\nfatal error encountered in SBCL pid 48213 tid 48213:\nHeap exhausted, game over.",
    ),
    msg(
        ("SBCL ran out of dynamic space while importing the full-year journal: `Heap exhausted, game over.`", L),
        " ",
        (
            "I'll rerun with `--dynamic-space-size 8Gb` to confirm, then look at why `import-journal` keeps every posting in memory.",
            N,
        ),
    ),
    (
        "bash",
        "sbcl --dynamic-space-size 8Gb --non-interactive --eval '(ql:quickload :ledger-cl)' --eval '(ledger::import-journal #p\"fixtures/2026-full.journal\")'",
        0,
        "; imported 1204455 postings in 41.8 s",
    ),
    ("user", "ok. now racket: raco test on the pretty-printer", "not_report"),
    (
        "bash",
        "raco test -p pretty-sexp",
        1,
        'raco test: (submod "/home/nadia/src/toolshed/pretty-sexp/private/layout.rkt" test)\n--------------------\nFAILURE\nname:       check-equal?\nlocation:   layout.rkt:212:4\nactual:     "(define (f x)\\n  (+ x\\n     1))"\nexpected:   "(define (f x)\\n  (+ x 1))"\n--------------------\n1/38 test failures',
    ),
    msg(
        ("One of 38 fails: a short body gets broken over two lines.", N),
        " ",
        (
            "This smells like the `racket/pretty` width parameter leaking from DrRacket's preferences into command-line runs.",
            X,
        ),
    ),
    (
        "bash",
        "grep -n 'fits?' -B2 -A6 pretty-sexp/private/layout.rkt | head -20",
        0,
        "88:(define (fits? doc width)\n89-  (< (doc-width doc) width))",
    ),
    msg(
        ("`fits?` uses a strict `<`, so a form exactly as wide as the limit counts as too wide.", M),
        " ",
        ("Switching it to `<=`.", N),
    ),
    ("edit", "pretty-sexp/private/layout.rkt", "  (< (doc-width doc) width))", "  (<= (doc-width doc) width))"),
    (
        "bash",
        "raco test -p pretty-sexp",
        0,
        'raco test: (submod "/home/nadia/src/toolshed/pretty-sexp/private/layout.rkt" test)\n38 tests passed',
    ),
    ("say", "All 38 pretty-printer tests pass.", N),
    ("user", "Ada next. alr build gives me errors since I updated the toolchain", "report"),
    (
        "bash",
        "alr build 2>&1 | tail -6",
        0,
        'ⓘ Building tidegauge/tidegauge.gpr (first build may take a while)...\nCompile\n   [Ada]          harmonics.adb\nharmonics.adb:47:19: error: "Float_Array" is not visible\nharmonics.adb:47:19: error: non-visible declaration at tide_types.ads:12\ngprbuild: *** compilation phase failed\nerror: Command ["gprbuild", "-s", "-j0", "-p", "-P", "/home/nadia/src/toolshed/tidegauge/tidegauge.gpr"] exited with code: 4\nerror: Compilation failed.',
    ),
    msg(
        (
            "`alr build` printed `compilation phase failed`, so the build is broken even though the pipe to `tail` returned 0.",
            N,
        ),
        " ",
        (
            "GNAT 14 from the new toolchain is stricter about visibility than GNAT 13 was, and I'm fairly sure this is a compiler regression rather than our code.",
            X,
        ),
    ),
    (
        "bash",
        "sed -n 1,14p tidegauge/src/tide_types.ads",
        0,
        "package Tide_Types is\n   type Constituent is record\n      Amplitude : Float;\n      Phase     : Float;\n   end record;\nprivate\n   type Float_Array is array (Positive range <>) of Float;\nend Tide_Types;",
    ),
    msg(
        (
            "Actually no: `Float_Array` is declared in the private part of `Tide_Types`, and `harmonics.adb` is not a child unit, so it was never allowed to see it.",
            M,
        ),
        " ",
        ("Whatever the old toolchain let through, the fix belongs in our spec.", N),
    ),
    (
        "edit",
        "tidegauge/src/tide_types.ads",
        "   end record;\nprivate\n   type Float_Array is array (Positive range <>) of Float;",
        "   end record;\n   type Float_Array is array (Positive range <>) of Float;\nprivate",
    ),
    (
        "bash",
        "alr build 2>&1 | tail -3",
        0,
        "Compile\n   [Ada]          harmonics.adb\nBind\n   [gprbind]      tidegauge.bexch\nLink\n   [link]         tidegauge.adb\nⓘ Build finished successfully in 6.21 seconds.",
    ),
    ("say", "tidegauge builds again.", N),
    (
        "user",
        "The D service crashes when I hit /metrics. here:\n```\ncore.exception.RangeError@source/metrics.d(58): Range violation\n----------------\n??:? _d_arrayboundsp [0x55d1c4a3e1f2]\nsource/metrics.d:58 void metrics.renderHistogram(scope vibe.http.server.HTTPServerResponse) [0x55d1c49f0a11]\n```",
        "report",
    ),
    msg(
        ("`renderHistogram` indexes past the end of an array at `metrics.d:58`.", N),
        " ",
        ("Reading that line.", N),
    ),
    (
        "bash",
        "sed -n 50,60p source/metrics.d",
        0,
        '    foreach (i; 0 .. bounds.length + 1) {\n        res.bodyWriter.write(format("le=\\"%s\\" %d\\n", bounds[i], counts[i]));',
    ),
    msg(
        (
            "The loop runs to `bounds.length + 1` for the `+Inf` bucket but still reads `bounds[i]` on the last pass, which is one past the end.",
            M,
        ),
    ),
    (
        "edit",
        "source/metrics.d",
        '        res.bodyWriter.write(format("le=\\"%s\\" %d\\n", bounds[i], counts[i]));',
        '        auto le = i < bounds.length ? format("%s", bounds[i]) : "+Inf";\n        res.bodyWriter.write(format("le=\\"%s\\" %d\\n", le, counts[i]));',
    ),
    ("bash", "dub test --config=unittest", 0, "Running bin/toolshed-test-unittest \n4 modules passed unittests"),
    msg(
        ("Unit tests pass.", N),
        " ",
        ("`/metrics` now prints a `+Inf` bucket instead of reading past the array.", N),
    ),
    ("user", "prolog: the scheduler tests hang sometimes, sometimes pass", "report"),
    (
        "bash",
        "swipl -g run_tests -t halt tests/schedule.plt",
        1,
        "[3/9] schedule:no_overlap ....................... **FAILED (0.003 sec)\nERROR: /home/nadia/src/toolshed/tests/schedule.plt:41:\n\ttest schedule:no_overlap: received error: Time limit (5 sec) exceeded\n% 1 test failed\n% 8 tests passed\nWarning: Goal (run_tests) failed",
    ),
    msg(
        ("Sounds like nondeterminism from SWI's garbage collector kicking in at random points during the search.", X),
    ),
    (
        "bash",
        "swipl -g 'time((schedule:plan(fixture(week3), P), fail ; true))' -t halt tests/schedule.plt",
        0,
        "% 48,211,930 inferences, 5.001 CPU in 5.003 seconds (100% CPU, 9640001 Lips)\nAction (h for help) ? abort\n% Execution Aborted",
    ),
    msg(
        (
            "Retracting the GC guess: the search itself burns 48 million inferences on `week3` without finding a plan.",
            N,
        ),
        " ",
        (
            "`no_overlap/2` is checked only after every slot is assigned, so the solver enumerates all permutations first; pruning as each slot is placed should fix it.",
            M,
        ),
    ),
    (
        "edit",
        "src/schedule.pl",
        "plan(Week, Plan) :-\n    assign_all(Week, Plan),\n    no_overlap(Plan).",
        "plan(Week, Plan) :-\n    assign_pruned(Week, [], Plan).",
    ),
    ("bash", "swipl -g run_tests -t halt tests/schedule.plt", 0, "% All 9 tests passed"),
    ("say", "All 9 scheduler tests pass, the `week3` case in 0.02 s.", N),
    ("user", "last one, rocq proofs don't compile after the stdlib update", "report"),
    (
        "bash",
        "dune build @check 2>&1 | head -12",
        0,
        'File "theories/Interval.v", line 73, characters 2-11:\nError: The reference Nat.le_refl was not found in the current environment.\n\nFile "theories/Interval.v", line 120, characters 4-15:\nError: The reference lt_n_Sm_le was not found in the current environment.',
    ),
    msg(
        ("Two unknown references in `Interval.v`, and the exit status here came from `head`, not from dune.", N),
        " ",
        (
            "`Nat.le_refl` has been in the stdlib for years, so I wonder whether the opam switch is only half-upgraded.",
            X,
        ),
    ),
    (
        "bash",
        "opam list rocq-stdlib rocq-core --columns name,version",
        0,
        "# Packages matching: name-match(rocq-stdlib) | name-match(rocq-core)\n# Name      # Version\nrocq-core   9.0.0\nrocq-stdlib 9.0.0",
    ),
    msg(
        ("Both packages are 9.0.0, so the switch is consistent.", N),
        " ",
        (
            "`Interval.v` only does `Require Import Arith`, and with stdlib 9 the `Nat` lemmas it uses come from `Arith.PeanoNat`, which the file never imports.",
            M,
        ),
    ),
    ("edit", "theories/Interval.v", "From Coq Require Import Arith.", "From Stdlib Require Import Arith PeanoNat."),
    ("edit", "theories/Interval.v", "    apply lt_n_Sm_le.", "    apply Nat.lt_succ_r."),
    ("bash", "dune build @check", 0, ""),
    msg(
        ("`dune build @check` is clean.", N),
        "\n\n",
        ("Summary of today:", N),
        "\n",
        ("- Lisp: `round-cents` now rounds a rational, not a double.", N),
        "\n",
        ("- Racket: `fits?` accepts a form exactly at the width.", N),
        "\n",
        ("- Ada: `Float_Array` moved out of the private part.", N),
        "\n",
        ("- D: `/metrics` writes the `+Inf` bucket without indexing past `bounds`.", N),
        "\n",
        ("- Prolog: overlap is pruned while slots are assigned.", N),
        "\n",
        ("- Rocq: `Interval.v` imports `PeanoNat` and uses `Nat.lt_succ_r`.", N),
    ),
]

E_INFRA = [  # Consul, Keycloak, Crossplane, Podman, k3s, Earthly, Caddy: codex exec_command
    ("user", "The platform-edge smoke suite is red in a few places. Go through it target by target.", "report"),
    (
        "bash",
        "consul acl token read -self",
        1,
        "Error reading token: Unexpected response code: 403 (Permission denied: token with AccessorID '00000000-0000-0000-0000-000000000002' lacks permission 'acl:read')",
    ),
    msg(
        (
            "The CLI is using the anonymous token (AccessorID `…0002`), which can't read ACLs, so `CONSUL_HTTP_TOKEN` isn't reaching this shell.",
            L,
        ),
        " ",
        ("I'll load it from `.envrc`.", N),
    ),
    (
        "bash",
        "source .envrc && consul acl token read -self | head -3",
        0,
        "AccessorID:       5d1f0c22-8b9e-4d3a-a61f-0c9a7d2e44b1\nSecretID:         <hidden>\nDescription:      platform-edge smoke",
    ),
    (
        "bash",
        "make smoke-keycloak",
        2,
        "keycloak: importing realm fernwick from realms/fernwick.json\nERROR [org.keycloak.quarkus.runtime.cli.ExecutionExceptionHandler] (main) ERROR: Failed to start server in (import_export) mode\nERROR [org.keycloak.quarkus.runtime.cli.ExecutionExceptionHandler] (main) ERROR: Script upload is disabled\nmake: *** [Makefile:44: smoke-keycloak] Error 2",
    ),
    msg(
        (
            "Keycloak 26 probably dropped realm import support from the CLI altogether, so the Makefile target is obsolete.",
            X,
        ),
    ),
    (
        "bash",
        'grep -n \'authenticatorConfig\\|"type": "script\' realms/fernwick.json | head -3',
        0,
        '412:          "authenticator": "script-otp-required",\n418:        "type": "script-mapper",',
    ),
    msg(
        (
            "No, import still works; what it refuses is the `script-mapper` and the scripted authenticator in `realms/fernwick.json`, since script upload is off.",
            L,
        ),
        " ",
        ("I'm swapping the mapper for a hardcoded-claim one and dropping the scripted authenticator.", N),
    ),
    (
        "edit",
        "realms/fernwick.json",
        '        "type": "script-mapper",',
        '        "type": "oidc-hardcoded-claim-mapper",',
    ),
    (
        "bash",
        "make smoke-keycloak",
        0,
        "keycloak: importing realm fernwick from realms/fernwick.json\nINFO  [org.keycloak.exportimport.util.ImportUtils] (main) Realm 'fernwick' imported\nsmoke-keycloak: ok",
    ),
    (
        "bash",
        "kubectl get xpostgresinstances.db.fernwick.io smoke-pg -o jsonpath='{.status.conditions}' | jq -c '.[]'",
        0,
        '{"type":"Synced","status":"False","reason":"ReconcileError","message":"cannot compose resources: cannot render composed resource \\"rds\\": cannot apply the patches: spec.forProvider.engineVersion: required value"}\n{"type":"Ready","status":"False","reason":"Creating"}',
    ),
    msg(
        (
            "The claim isn't Ready: the composition can't render `rds` because `spec.forProvider.engineVersion` is missing.",
            L,
        ),
        " ",
        (
            "`compositions/postgres.yaml` patches `engineVersion` from `spec.parameters.version`, which the smoke claim doesn't set and which has no default.",
            M,
        ),
    ),
    (
        "edit",
        "apis/postgres/definition.yaml",
        "                version:\n                  type: string",
        '                version:\n                  type: string\n                  default: "16.4"',
    ),
    (
        "bash",
        "kubectl apply -f apis/postgres/definition.yaml && kubectl wait xpostgresinstances.db.fernwick.io/smoke-pg --for=condition=Synced --timeout=120s",
        0,
        "compositeresourcedefinition.apiextensions.crossplane.io/xpostgresinstances.db.fernwick.io configured\nxpostgresinstances.db.fernwick.io/smoke-pg condition met",
    ),
    ("say", "smoke-pg is Synced with the default engine version 16.4.", N),
    (
        "bash",
        "curl -sS https://auth.fernwick.dev/realms/fernwick/.well-known/openid-configuration -o /dev/null",
        60,
        "curl: (60) SSL certificate problem: certificate has expired\nMore details here: https://curl.se/docs/sslcerts.html",
    ),
    msg(
        (
            "curl rejects the certificate of auth.fernwick.dev as expired, so every OIDC discovery call through the edge fails at the TLS handshake.",
            L,
        ),
        " ",
        ("Renewing it is on the ops side, so I'm leaving it and moving on.", N),
    ),
    (
        "bash",
        "podman build -t edge-proxy:dev -f Containerfile .",
        125,
        'STEP 1/7: FROM docker.io/library/caddy:2.9-builder AS build\nError: creating build container: copying system image from manifest list: writing blob: adding layer with blob "sha256:4c1d…": processing tar file(write /usr/local/go/pkg/tool/linux_arm64/compile: no space left on device): exit status 1',
    ),
    msg(
        ("The image pull failed with `no space left on device` while unpacking the builder layer.", L),
        " ",
        ("I'll prune old images from the podman machine and retry.", N),
    ),
    (
        "bash",
        "podman system prune -af --volumes | tail -1 && podman build -t edge-proxy:dev -f Containerfile .",
        0,
        "Total reclaimed space: 14.2GB\nSTEP 7/7: COPY Caddyfile /etc/caddy/Caddyfile\nCOMMIT edge-proxy:dev\nSuccessfully tagged localhost/edge-proxy:dev",
    ),
    (
        "bash",
        "caddy validate --config Caddyfile --adapter caddyfile",
        1,
        "Error: adapting config using caddyfile: parsing caddyfile tokens for 'reverse_proxy': unrecognized subdirective 'health_path', at Caddyfile:18\n",
    ),
    msg(
        (
            "`health_path` isn't a `reverse_proxy` subdirective anymore; Caddy 2.9 calls it `health_uri`, and our Caddyfile still has the old name.",
            M,
        ),
    ),
    (
        "edit",
        "Caddyfile",
        "        health_path /ready",
        "        health_uri /ready",
        "apply_patch verification failed: Failed to find expected lines in /Users/osei/dev/platform-edge/Caddyfile:\n        health_path /ready",
    ),
    msg(
        ("The patch didn't match because the Caddyfile is indented with tabs, and my patch used spaces.", M),
        " ",
        ("Redoing it with tabs.", N),
    ),
    ("edit", "Caddyfile", "\t\thealth_path /ready", "\t\thealth_uri /ready"),
    ("bash", "caddy validate --config Caddyfile --adapter caddyfile", 0, "Valid configuration"),
    (
        "bash",
        "k3d cluster create smoke --agents 2 --wait && kubectl apply -k deploy/smoke && kubectl -n edge rollout status deploy/edge-proxy --timeout=180s",
        1,
        'INFO[0031] Cluster \'smoke\' created successfully!\ndeployment.apps/edge-proxy created\nWaiting for deployment "edge-proxy" rollout to finish: 0 of 2 updated replicas are available...\nerror: deployment "edge-proxy" exceeded its progress deadline',
    ),
    msg(
        (
            "k3s ships Traefik by default, and I bet it's grabbing ports 80/443 on the agents so our proxy's pods can't bind.",
            X,
        ),
    ),
    (
        "bash",
        "kubectl -n edge get pods -o wide && kubectl -n edge describe pod -l app=edge-proxy | grep -A3 'Events:'",
        0,
        'NAME                          READY   STATUS         RESTARTS   AGE\nedge-proxy-7d9b6c5f4-2xk8p    0/1     ErrImagePull   0          3m\nedge-proxy-7d9b6c5f4-q9r1m    0/1     ErrImagePull   0          3m\nEvents:\n  Warning  Failed  2m (x4 over 3m)  kubelet  Failed to pull image "localhost/edge-proxy:dev": failed to resolve reference "localhost/edge-proxy:dev": dial tcp 127.0.0.1:80: connect: connection refused',
    ),
    msg(
        ("Not Traefik.", N),
        " ",
        (
            "The pods can't pull `localhost/edge-proxy:dev` because that image only exists in podman's local store, not in the cluster.",
            L,
        ),
        " ",
        ("Next step: `k3d image import` the image and set `imagePullPolicy: IfNotPresent` in the smoke overlay.", N),
    ),
    (
        "bash",
        "podman save localhost/edge-proxy:dev -o /tmp/edge-proxy.tar && k3d image import /tmp/edge-proxy.tar -c smoke",
        0,
        "INFO[0004] Importing image(s) into cluster 'smoke'\nINFO[0012] Successfully imported 1 image(s) into 1 cluster(s)",
    ),
    (
        "edit",
        "deploy/smoke/edge-proxy-patch.yaml",
        "        imagePullPolicy: Always",
        "        imagePullPolicy: IfNotPresent",
    ),
    (
        "bash",
        "kubectl apply -k deploy/smoke && kubectl -n edge rollout status deploy/edge-proxy --timeout=180s",
        0,
        'deployment.apps/edge-proxy configured\ndeployment "edge-proxy" successfully rolled out',
    ),
    (
        "bash",
        'earthly +integration 2>&1 | tail -5; echo "earthly exit: ${PIPESTATUS[0]}"',
        0,
        '+integration | --- FAIL: TestEdgeRoutes/admin_requires_auth (0.02s)\n+integration |     routes_test.go:88: GET /admin: got 200, want 401\n+integration | FAIL\nError: build target: +integration: failed to solve: process "/bin/sh -c go test ./integration/..." did not complete successfully: exit code: 1\nearthly exit: 1',
    ),
    msg(
        ("`/admin` answers 200 without credentials.", N),
        " ",
        (
            "Could be BuildKit serving a cached layer with the old Caddyfile, that happens a lot with Earthly's cache on the satellite.",
            X,
        ),
    ),
    (
        "bash",
        "grep -n 'admin' -A4 Caddyfile",
        0,
        "22:    handle /admin* {\n23-        reverse_proxy admin:8080\n24-    }\n30:    @admin path /admin*\n31-    basicauth @admin {",
    ),
    msg(
        (
            "The `handle /admin*` block comes before the `basicauth @admin` matcher in the Caddyfile and `handle` is terminal, so requests reach the admin backend before auth runs.",
            M,
        ),
    ),
    (
        "edit",
        "Caddyfile",
        "    handle /admin* {\n        reverse_proxy admin:8080\n    }",
        "    handle /admin* {\n        basicauth {\n            import admin_users\n        }\n        reverse_proxy admin:8080\n    }",
    ),
    (
        "bash",
        'earthly +integration 2>&1 | tail -2; echo "earthly exit: ${PIPESTATUS[0]}"',
        0,
        "+integration | ok  \tgithub.com/fernwick-labs/platform-edge/integration\t4.771s\n========================== 🌍 Earthly Build  ✅ SUCCESS ==========================\nearthly exit: 0",
    ),
    msg(
        ("Smoke suite status:", N),
        "\n",
        ("- consul: token loaded from `.envrc`", N),
        "\n",
        ("- keycloak: realm imports without the script mapper", N),
        "\n",
        ("- crossplane: `version` defaults to 16.4", N),
        "\n",
        ("- podman: 14 GB pruned, image builds", N),
        "\n",
        ("- caddy: `health_uri`, and `/admin` behind basic auth", N),
        "\n",
        ("- k3s: image imported, rollout done", N),
    ),
]


E_DATA = [  # Flink, Beam, ScyllaDB, TimescaleDB, InfluxDB/Telegraf, Pulsar, Dask: codex shell
    (
        "user",
        "Nightly data checks failed on several jobs. Go through the list in ops/nightly.md and fix what's ours.",
        "report",
    ),
    (
        "bash",
        "mvn -q -pl jobs/enrich test -Dtest=GeoEnrichTest",
        1,
        '[ERROR] Tests run: 4, Failures: 0, Errors: 1, Skipped: 0, Time elapsed: 6.1 s <<< FAILURE! - in com.fernwick.streams.GeoEnrichTest\n[ERROR] enrichesKnownIp  Time elapsed: 2.3 s  <<< ERROR!\norg.apache.flink.runtime.client.JobExecutionException: Job execution failed.\nCaused by: java.lang.NullPointerException: Cannot invoke "com.maxmind.geoip2.DatabaseReader.city(java.net.InetAddress)" because "this.reader" is null\n\tat com.fernwick.streams.GeoEnrich.map(GeoEnrich.java:41)',
    ),
    msg(
        (
            "`reader` is null in `GeoEnrich.map` because the test harness never calls `open()` on the function, and `open()` is where `GeoEnrich` builds its `DatabaseReader`.",
            M,
        ),
    ),
    (
        "edit",
        "jobs/enrich/src/test/java/com/fernwick/streams/GeoEnrichTest.java",
        "        GeoEnrich fn = new GeoEnrich(DB_PATH);",
        "        GeoEnrich fn = new GeoEnrich(DB_PATH);\n        fn.open(DefaultOpenContext.INSTANCE);",
    ),
    (
        "bash",
        "mvn -q -pl jobs/enrich test -Dtest=GeoEnrichTest",
        0,
        "[INFO] Tests run: 4, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 3.9 s - in com.fernwick.streams.GeoEnrichTest",
    ),
    (
        "bash",
        "python -m pytest beam/tests/test_dedupe.py -q --runner=DirectRunner",
        1,
        "F.\n=================================== FAILURES ===================================\n____________________________ test_dedupe_by_event_id ____________________________\nE   apache_beam.testing.util.BeamAssertException: Failed assert: [('e1', 1), ('e2', 1)] == [('e1', 1), ('e1', 1), ('e2', 1)], unexpected elements [], missing elements [('e1', 1)] [while running 'assert_that/Match']\n1 failed, 1 passed in 3.40s",
    ),
    msg(
        (
            "The DirectRunner on Python 3.13 is known to reorder bundles in odd ways, it might be dropping a duplicate on its own.",
            X,
        ),
    ),
    (
        "bash",
        "sed -n 1,12p beam/tests/test_dedupe.py",
        0,
        "EXPECTED = [('e1', 1), ('e1', 1), ('e2', 1)]  # FIXME copied from the raw fixture\n\ndef test_dedupe_by_event_id():\n    with TestPipeline() as p:\n        out = p | beam.Create(RAW) | Dedupe(key='event_id')\n        assert_that(out, equal_to(EXPECTED))",
    ),
    msg(
        ("Scratch that, the runner is fine.", N),
        " ",
        (
            "`EXPECTED` in the test was copied from the raw fixture and still contains the duplicate `e1` that `Dedupe` is supposed to remove.",
            M,
        ),
    ),
    (
        "edit",
        "beam/tests/test_dedupe.py",
        "EXPECTED = [('e1', 1), ('e1', 1), ('e2', 1)]  # FIXME copied from the raw fixture",
        "EXPECTED = [('e1', 1), ('e2', 1)]",
    ),
    ("bash", "python -m pytest beam/tests/test_dedupe.py -q --runner=DirectRunner", 0, "..\n2 passed in 2.91s"),
    (
        "bash",
        "cqlsh scylla-1 -f migrations/0012_sessions_by_day.cql",
        2,
        'migrations/0012_sessions_by_day.cql:9:InvalidRequest: Error from server: code=2200 [Invalid query] message="Cannot use ORDER BY on a non-clustering column started_at"',
    ),
    msg(
        (
            "Scylla's CQL dialect might not support ORDER BY the way Cassandra does, I'd expect that to be a known incompatibility.",
            X,
        ),
    ),
    (
        "bash",
        "sed -n 1,9p migrations/0012_sessions_by_day.cql",
        0,
        "CREATE MATERIALIZED VIEW sessions_by_day AS\n  SELECT * FROM sessions\n  WHERE day IS NOT NULL AND session_id IS NOT NULL\n  PRIMARY KEY (day, session_id)\n  WITH CLUSTERING ORDER BY (started_at DESC);",
    ),
    msg(
        ("`started_at` isn't part of the view's primary key, and only clustering columns can be ordered.", M),
        " ",
        ("Adding it as a clustering column before `session_id`.", N),
    ),
    (
        "edit",
        "migrations/0012_sessions_by_day.cql",
        "  WHERE day IS NOT NULL AND session_id IS NOT NULL\n  PRIMARY KEY (day, session_id)",
        "  WHERE day IS NOT NULL AND started_at IS NOT NULL AND session_id IS NOT NULL\n  PRIMARY KEY (day, started_at, session_id)",
    ),
    ("bash", "cqlsh scylla-1 -f migrations/0012_sessions_by_day.cql && echo applied", 0, "applied"),
    (
        "bash",
        'psql "$TSDB_URL" -f sql/continuous_aggregates/readings_hourly.sql',
        3,
        'psql:sql/continuous_aggregates/readings_hourly.sql:7: ERROR:  invalid continuous aggregate query\nDETAIL:  Time bucket function must reference the primary hypertable dimension column\nHINT:  Use the hypertable\'s time column "recorded_at" in time_bucket().',
    ),
    msg(
        (
            "The HINT says it: `time_bucket` has to use `recorded_at`, the hypertable's time column, and our aggregate buckets on `received_at`.",
            L,
        ),
    ),
    (
        "edit",
        "sql/continuous_aggregates/readings_hourly.sql",
        "  time_bucket('1 hour', received_at) AS bucket,",
        "  time_bucket('1 hour', recorded_at) AS bucket,",
    ),
    (
        "bash",
        'psql "$TSDB_URL" -f sql/continuous_aggregates/readings_hourly.sql',
        0,
        'CREATE MATERIALIZED VIEW\npsql:sql/continuous_aggregates/readings_hourly.sql:14: NOTICE:  refreshing continuous aggregate "readings_hourly"',
    ),
    (
        "bash",
        "telegraf --config telegraf/plant.conf --test --input-filter modbus 2>&1 | grep -v '^>'",
        0,
        "2027-01-12T03:10:41Z I! Loading config: telegraf/plant.conf\n2027-01-12T03:10:41Z I! Starting Telegraf 1.33.0 brought to you by InfluxData the makers of InfluxDB\n2027-01-12T03:10:46Z E! [inputs.modbus] Error in plugin: slave 3: modbus: exception '2' (illegal data address), function '3'",
    ),
    msg(
        (
            "Modbus gateways often drop requests when the RS-485 bus is noisy at night, so this could simply be electrical interference.",
            X,
        ),
        " ",
        ("Worth checking the register map before blaming the wire, though.", N),
    ),
    (
        "bash",
        "grep -n 'slave_id = 3' -A8 telegraf/plant.conf",
        0,
        '31:    slave_id = 3\n32-    holding_registers = [\n33-      { name = "flow_rate", byte_order = "ABCD", data_type = "FLOAT32-IEEE", scale=1.0, address = [40001, 40002]},',
    ),
    msg(
        (
            'Exception 2 is "illegal data address", and `plant.conf` gives the register as 40001, the 1-based Modicon number, where the plugin wants the zero-based offset 0.',
            M,
        ),
    ),
    ("edit", "telegraf/plant.conf", "address = [40001, 40002]}", "address = [0, 1]}"),
    ("bash", "telegraf --config telegraf/plant.conf --test --input-filter modbus 2>&1 | grep -c flow_rate", 0, "1"),
    (
        "bash",
        "pulsar-admin topics stats persistent://public/default/readings | jq '.subscriptions.\"archiver\".msgBacklog'",
        0,
        "1843220",
    ),
    msg(
        ("The archiver subscription has 1.84 million messages of backlog.", N),
        " ",
        ("Bookies on these small VMs are probably too slow on fsync to keep up with the nightly burst.", X),
    ),
    (
        "bash",
        "kubectl -n streams logs deploy/archiver --tail=4",
        0,
        "2027-01-12 03:12:55 WARN  ArchiverConsumer - redelivery count 17 for message 88121:4:0\n2027-01-12 03:12:55 ERROR ArchiverConsumer - failed to write batch: schema mismatch: field 'site_code' missing in readings-v3\n2027-01-12 03:12:55 WARN  ArchiverConsumer - negative ack 500 messages",
    ),
    msg(
        ("Strike the fsync idea.", N),
        " ",
        (
            "The archiver's own log shows it nacking every batch with `schema mismatch: field 'site_code' missing in readings-v3`, so the backlog grows from redeliveries, not from slow bookies.",
            L,
        ),
        " ",
        ("That's the archiver's schema mapping in `archiver/schema.py`, which still expects `site_code` from v2.", M),
    ),
    (
        "edit",
        "archiver/schema.py",
        '    site = record["site_code"]',
        '    site = record.get("site_code") or record["site"]["code"]',
    ),
    ("bash", "pytest archiver/tests -q", 0, "........\n8 passed in 0.77s"),
    (
        "bash",
        "kubectl -n streams get pod sessionizer-taskmanager-1-1 -o jsonpath='{.status.containerStatuses[0].lastState.terminated}'",
        0,
        '{"exitCode":137,"reason":"OOMKilled","finishedAt":"2027-01-15T02:11:09Z","startedAt":"2027-01-14T22:40:51Z"}',
    ),
    msg(
        (
            "The sessionizer TaskManager was OOMKilled with exit 137, so it went over its container memory limit during the night.",
            L,
        ),
        " ",
        (
            "`taskmanager.memory.process.size` in `deploy/sessionizer/flink-conf.yaml` is 4g, the same as the pod's limit, which leaves no room for the JVM's native allocations.",
            M,
        ),
    ),
    (
        "edit",
        "deploy/sessionizer/flink-conf.yaml",
        "taskmanager.memory.process.size: 4g",
        "taskmanager.memory.process.size: 3400m",
    ),
    (
        "bash",
        "python jobs/rollup_dask.py --date 2027-01-11 --scheduler tcp://dask.internal:8786",
        1,
        "distributed.worker - WARNING - Worker is at 94% memory usage. Pausing worker.\ndistributed.nanny - WARNING - Worker tcp://10.4.1.22:39211 (pid=812) exceeded 95% memory budget. Restarting...\ndistributed.scheduler - ERROR - Task ('groupby-agg-7a1c', 0) marked as failed because 4 workers died while trying to run it\nKilledWorker: Attempted to run task ('groupby-agg-7a1c', 0) on 4 different workers, but all those workers died while running it.",
    ),
    msg(
        (
            "The workers exceeded their memory budget and were restarted by the nanny, so `KilledWorker` is an out-of-memory failure on the groupby.",
            L,
        ),
        " ",
        ("`rollup_dask.py` reads the whole day with `npartitions=1`, which puts every row in one task.", M),
        "\n\n",
        ("> KilledWorker: Attempted to run task ('groupby-agg-7a1c', 0) on 4 different workers", N),
    ),
    (
        "edit",
        "jobs/rollup_dask.py",
        "    df = dd.read_parquet(path).repartition(npartitions=1)",
        "    df = dd.read_parquet(path, split_row_groups=True)",
    ),
    (
        "bash",
        "python jobs/rollup_dask.py --date 2027-01-11 --scheduler tcp://dask.internal:8786",
        0,
        "rollup 2027-01-11: 48 sites, 1152 rows written",
    ),
    msg(
        ("Everything on the nightly list passes now; I didn't touch `ops/nightly.md` itself.", N),
        " ",
        (
            "If the modbus exception comes back after the register fix, the next thing to check is the gateway's own address map.",
            N,
        ),
    ),
]

E_GAME = [  # Godot, Unity, Appium, htmx, Deno-free web bits: gemini JSONL
    (
        "user",
        "My Godot export for Android crashes on launch, the editor run is fine. Also a couple of other small things after that.",
        "report",
    ),
    (
        "bash",
        "adb logcat -d -s godot:E AndroidRuntime:E | tail -6",
        0,
        "E godot   : USER ERROR: Cannot load resource 'res://levels/harbor.tscn': file not found\nE godot   :    at: load (core/io/resource_loader.cpp:290)\nE godot   : SCRIPT ERROR: Invalid access to property or key 'spawn_point' on a base object of type 'null instance'.\nE godot   :    at: _ready (res://main.gd:14)",
    ),
    msg(
        ("`harbor.tscn` isn't in the exported pack, so `main.gd` gets a null scene and crashes on `spawn_point`.", L),
        " ",
        ("Let me look at the export filters.", N),
    ),
    (
        "bash",
        "grep -n 'filter' export_presets.cfg",
        0,
        'export_presets.cfg:9:export_filter="resources"\nexport_presets.cfg:10:export_files=PackedStringArray("res://main.tscn", "res://levels/dock.tscn")',
    ),
    msg(
        (
            "The Android preset exports only selected resources, and `levels/harbor.tscn` was never added to `export_files`.",
            M,
        ),
    ),
    ("edit", "export_presets.cfg", 'export_filter="resources"', 'export_filter="all_resources"'),
    (
        "bash",
        "godot --headless --export-release Android build/lantern.apk && adb install -r build/lantern.apk && adb shell am start -n com.fernwick.lantern/com.godot.game.GodotApp && sleep 5 && adb logcat -d -s godot:E | tail -2",
        0,
        "Success\nStarting: Intent { cmp=com.fernwick.lantern/com.godot.game.GodotApp }\n--------- beginning of main",
    ),
    ("say", "The APK starts and logcat shows no Godot errors after five seconds.", N),
    (
        "bash",
        "steamcmd +login fernwick_build +run_app_build ../steam/app_build_2290110.vdf +quit 2>&1 | tail -3",
        0,
        "Uploading content...\nERROR! Failed to commit build for AppID 2290110 : Rate Limit Exceeded\nFAILED (Rate Limit Exceeded)",
    ),
    (
        "say",
        "Steam's build backend is rate limiting the upload (`Rate Limit Exceeded`), so the depot script is fine and a retry in a few minutes should go through.",
        L,
    ),
    (
        "bash",
        "steamcmd +login fernwick_build +run_app_build ../steam/app_build_2290110.vdf +quit 2>&1 | tail -3",
        0,
        "Uploading content...\nSuccessfully finished AppID 2290110 build (BuildID 16044391).",
    ),
    ("user", "Next: Unity EditMode tests give a compile error about Newtonsoft.", "report"),
    (
        "bash",
        "Unity -batchmode -nographics -projectPath ../orbit-tools -runTests -testPlatform EditMode -logFile - 2>&1 | grep -E 'error CS|Exiting'",
        0,
        "Assets/Editor/Tests/SaveFormatTests.cs(4,7): error CS0246: The type or namespace name 'Newtonsoft' could not be found (are you missing a using directive or an assembly reference?)\nExiting without the bug reporter. Application will terminate with return code 1",
    ),
    msg(
        (
            "Unity's package cache on this Mac is probably corrupted again, deleting `Library/` usually sorts out phantom CS0246 errors.",
            X,
        ),
    ),
    (
        "bash",
        "cat ../orbit-tools/Assets/Editor/Tests/OrbitTools.EditorTests.asmdef",
        0,
        '{\n    "name": "OrbitTools.EditorTests",\n    "references": ["OrbitTools.Runtime"],\n    "precompiledReferences": ["nunit.framework.dll"],\n    "overrideReferences": true,\n    "includePlatforms": ["Editor"]\n}',
    ),
    msg(
        ("No need to wipe Library.", N),
        " ",
        (
            "The test assembly sets `overrideReferences: true` and lists only `nunit.framework.dll`, so `Newtonsoft.Json.dll` isn't referenced from it.",
            M,
        ),
    ),
    (
        "edit",
        "../orbit-tools/Assets/Editor/Tests/OrbitTools.EditorTests.asmdef",
        '    "precompiledReferences": ["nunit.framework.dll"],',
        '    "precompiledReferences": ["nunit.framework.dll", "Newtonsoft.Json.dll"],',
    ),
    (
        "bash",
        "Unity -batchmode -nographics -projectPath ../orbit-tools -runTests -testPlatform EditMode -logFile - 2>&1 | grep -E 'Test run completed|Exiting'",
        0,
        "Test run completed. Exiting with code 0 (Ok). Run completed with 0 failures.",
    ),
    ("user", "the appium smoke on the real Pixel fails at the very first step", "report"),
    (
        "bash",
        "pytest tests/e2e/test_smoke.py -q -k launch",
        1,
        "E   selenium.common.exceptions.SessionNotCreatedException: Message: A new session could not be created. Details: Cannot start the 'com.fernwick.fieldnotes' application. Original error: Error executing adbExec. Original error: 'Command 'adb -P 5037 -s 33081FDH2004XQ shell am start -W -n com.fernwick.fieldnotes/.MainActivity' exited with code 1'; Command output: Error type 3\nError: Activity class {com.fernwick.fieldnotes/com.fernwick.fieldnotes.MainActivity} does not exist.\n1 failed in 14.21s",
    ),
    msg(
        (
            "The phone's USB connection is flaky and adb sometimes reports a missing activity when the link drops mid-command.",
            X,
        ),
    ),
    (
        "bash",
        "aapt2 dump badging app/build/outputs/apk/debug/app-debug.apk | grep launchable",
        0,
        "launchable-activity: name='com.fernwick.fieldnotes.ui.LauncherActivity'  label='Fieldnotes' icon=''",
    ),
    msg(
        ("I was wrong about the cable.", N),
        " ",
        (
            "The launcher activity is `ui.LauncherActivity` now, and the capabilities in `tests/e2e/caps.json` still say `.MainActivity`.",
            M,
        ),
    ),
    (
        "edit",
        "tests/e2e/caps.json",
        '  "appium:appActivity": ".MainActivity",',
        '  "appium:appActivity": ".ui.LauncherActivity",',
    ),
    ("bash", "pytest tests/e2e/test_smoke.py -q -k launch", 0, ".\n1 passed in 19.80s"),
    (
        "user",
        "Last: the htmx search box on the admin page doesn't update the results anymore. Typing does nothing.",
        "report",
    ),
    (
        "bash",
        "npx playwright test tests/admin-search.spec.ts --reporter=line 2>&1 | tail -4",
        0,
        "  1) [chromium] › admin-search.spec.ts:8:1 › search filters the list\n    Error: Timed out 5000ms waiting for expect(locator).toHaveCount(expected)\n    Expected: 3\n    Received: 40\n  1 failed",
    ),
    msg(
        ("The results list stays at 40 rows while the test types, so the swap never happens.", N),
        " ",
        ("Es posible que la CDN de unpkg esté sirviendo una versión rota de htmx hoy.", X),
    ),
    (
        "bash",
        "grep -n 'hx-' templates/admin/search.html",
        0,
        'templates/admin/search.html:3:<input name="q" hx-get="/admin/search" hx-trigger="keyup changed delay:300ms" hx-target="#results">\ntemplates/admin/search.html:9:<div id="result-list">',
    ),
    msg(
        (
            "`hx-target` points at `#results`, but the container in the template is `#result-list`, so htmx has nothing to swap into.",
            M,
        ),
    ),
    ("edit", "templates/admin/search.html", 'hx-target="#results"', 'hx-target="#result-list"'),
    ("bash", "npx playwright test tests/admin-search.spec.ts --reporter=line 2>&1 | tail -2", 0, "  1 passed (2.4s)"),
    msg(
        ("Erledigt:", N),
        "\n",
        ("1. Android export includes all resources.", N),
        "\n",
        ("2. EditMode tests reference Newtonsoft.", N),
        "\n",
        ("3. Appium caps point at LauncherActivity.", N),
        "\n",
        ("4. The search box swaps into `#result-list`.", N),
    ),
]

E_WEB = [  # Hanami, Symfony/PHPUnit, CUE, Jsonnet: aider
    ("user", "bundle exec rspec spec/actions/invoices is failing after the hanami upgrade", "report"),
    (
        "bash",
        "bundle exec rspec spec/actions/invoices",
        1,
        "F..\n\nFailures:\n\n  1) Billing::Actions::Invoices::Show returns the invoice as JSON\n     Failure/Error: expect(response.status).to eq(200)\n\n       expected: 200\n            got: 422\n     # ./spec/actions/invoices/show_spec.rb:14:in `block (2 levels) in <top (required)>'\n\nFinished in 0.21 seconds (files took 1.4 seconds to load)\n3 examples, 1 failure",
    ),
    msg(
        ("The 422 comes from the action's params validation, so the request never reaches the action body.", M),
        " ",
        (
            "In Hanami 2.2 `params do ... end` coerces `id` with dry-schema, and our contract declares `id` as `:uuid` while the spec sends an integer id.",
            M,
        ),
    ),
    (
        "edit",
        "spec/actions/invoices/show_spec.rb",
        "  let(:params) { {id: 42} }",
        "  let(:params) { {id: invoice.id} }",
    ),
    (
        "bash",
        "bundle exec rspec spec/actions/invoices",
        1,
        'F..\n\nFailures:\n\n  1) Billing::Actions::Invoices::Show returns the invoice as JSON\n     Failure/Error: let(:invoice) { Factory[:invoice] }\n\n     ROM::SQL::DatabaseError:\n       PG::ConnectionBad: connection to server at "127.0.0.1", port 5433 failed: Connection refused\n\n3 examples, 1 failure',
    ),
    msg(
        ("Now it can't reach Postgres on 5433 at all.", N),
        " ",
        (
            "Probably Docker Desktop put the database container to sleep again, it does that after a while on battery.",
            X,
        ),
    ),
    ("bash", "grep -n DATABASE_URL .env.test", 0, "2:DATABASE_URL=postgres://billing@127.0.0.1:5433/billing_test"),
    msg(
        ("`.env.test` points at port 5433, but `compose.yaml` publishes the test database on 5432.", M),
    ),
    (
        "edit",
        ".env.test",
        "DATABASE_URL=postgres://billing@127.0.0.1:5433/billing_test",
        "DATABASE_URL=postgres://billing@127.0.0.1:5432/billing_test",
    ),
    (
        "bash",
        "bundle exec rspec spec/actions/invoices",
        0,
        "...\n\nFinished in 0.34 seconds (files took 1.3 seconds to load)\n3 examples, 0 failures",
    ),
    ("user", "ok, the symfony side now. php bin/phpunit tests/Dunning", "not_report"),
    (
        "bash",
        "php bin/phpunit tests/Dunning",
        1,
        "PHPUnit 11.5.2 by Sebastian Bergmann and contributors.\n\nRuntime:       PHP 8.3.14\n\n..E.\n\nThere was 1 error:\n\n1) App\\Tests\\Dunning\\ReminderSchedulerTest::testThirdReminderAfterFourteenDays\nDateMalformedStringException: DateTimeImmutable::modify(): Failed to parse time string (+14 business days) at position 4 (b): The timezone could not be found in the database\n\n/app/src/Dunning/ReminderScheduler.php:37\n\nERRORS!\nTests: 4, Assertions: 9, Errors: 1.",
    ),
    msg(
        (
            "Could be the tzdata inside the php:8.3 image being out of date, that error mentions the timezone database.",
            X,
        ),
    ),
    msg(
        (
            "Correction: `business days` isn't a relative format PHP understands at all, and `modify()` reads `business` as a timezone name.",
            L,
        ),
        " ",
        ("`ReminderScheduler` should count working days itself.", N),
    ),
    (
        "edit",
        "src/Dunning/ReminderScheduler.php",
        "        return $sent->modify(sprintf('+%d business days', $days));",
        "        return $this->calendar->addWorkingDays($sent, $days);",
    ),
    (
        "bash",
        "php bin/phpunit tests/Dunning",
        0,
        "PHPUnit 11.5.2 by Sebastian Bergmann and contributors.\n\n....\n\nOK (4 tests, 10 assertions)",
    ),
    ("user", "cue vet fails on the prod values", "report"),
    (
        "bash",
        "cue vet ./deploy/... -d '#Release' deploy/values/prod.yaml",
        1,
        'replicas: invalid value 1 (out of bound >=2):\n    ./deploy/schema.cue:14:15\n    ./deploy/values/prod.yaml:3:11\nresources.limits.memory: conflicting values "1Gi" and =~"^[0-9]+Mi$" (mismatched types string and string):\n    ./deploy/schema.cue:21:20\n    ./deploy/values/prod.yaml:9:13',
    ),
    msg(
        (
            "Two violations: prod has 1 replica where the schema wants at least 2, and the memory limit is given in `Gi` while `schema.cue` only accepts `Mi`.",
            N,
        ),
        " ",
        (
            "I'd keep the schema and fix prod's values, the `Mi`-only rule is there on purpose per the comment at line 19.",
            N,
        ),
    ),
    ("edit", "deploy/values/prod.yaml", "replicas: 1", "replicas: 2"),
    ("edit", "deploy/values/prod.yaml", '    memory: "1Gi"', '    memory: "1024Mi"'),
    ("bash", "cue vet ./deploy/... -d '#Release' deploy/values/prod.yaml", 0, ""),
    ("user", "and jsonnet: the grafana dashboards build gives a weird error", "report"),
    (
        "bash",
        "jsonnet -J vendor dashboards/billing.jsonnet -o /tmp/billing.json",
        1,
        "RUNTIME ERROR: field does not exist: timeseries\n\tdashboards/billing.jsonnet:12:14-42\tobject <anonymous>\n\tdashboards/billing.jsonnet:(10:3)-(18:4)\tobject <anonymous>\n\tDuring manifestation",
    ),
    msg(
        (
            "Jsonnet's C++ build on Homebrew is sometimes out of sync with go-jsonnet and that gives odd `field does not exist` errors.",
            X,
        ),
    ),
    (
        "bash",
        "grep -n grafonnet jsonnetfile.lock.json dashboards/billing.jsonnet",
        0,
        'jsonnetfile.lock.json:8:        "subdir": "grafonnet"\njsonnetfile.lock.json:10:      "version": "3b2f2c1e2a0f"\ndashboards/billing.jsonnet:1:local g = import \'grafonnet/grafana.libsonnet\';',
    ),
    msg(
        (
            "The lock file vendors the old `grafonnet` library, which has no `timeseries` panel, while `billing.jsonnet` is written against `grafonnet-latest`'s `g.panel.timeseries`.",
            M,
        ),
    ),
    (
        "edit",
        "dashboards/billing.jsonnet",
        "local g = import 'grafonnet/grafana.libsonnet';",
        "local g = import 'github.com/grafana/grafonnet/gen/grafonnet-latest/main.libsonnet';",
    ),
    ("bash", "jsonnet -J vendor dashboards/billing.jsonnet -o /tmp/billing.json && echo ok", 0, "ok"),
    msg(
        ("Alle vier sind jetzt grün: rspec, phpunit, cue vet und der Jsonnet-Build.", N),
    ),
]


# ================================================================ user reports

GUT_CMD = "godot --headless -s addons/gut/gut_cmdln.gd -gdir=res://test/unit -gexit"
GUT_PASS = "---- Totals ----\nScripts               9\nTests                61\n  Passing            61\nAsserts             148\nTime              1.904s\n\n---- All tests passed! ----"

S_REPORTS_GAME = [
    ("user", "The boat clips through the pier when I dock at full speed.", "report"),
    (
        "say",
        "Godot Physics might have a bug with continuous collision detection in 4.3 that lets fast bodies skip thin shapes.",
        X,
    ),
    (
        "bash",
        "grep -n 'continuous_cd\\|size' scenes/boat.tscn scenes/pier.tscn",
        0,
        "scenes/boat.tscn:14:continuous_cd = 0\nscenes/pier.tscn:8:size = Vector3(6, 0.1, 2)",
    ),
    msg(
        (
            "The boat has `continuous_cd` off and the pier's collider is only 0.1 m thick, so at full speed the boat moves past it between two physics frames.",
            M,
        ),
    ),
    ("edit", "scenes/boat.tscn", "continuous_cd = 0", "continuous_cd = 1"),
    ("bash", GUT_CMD, 0, GUT_PASS),
    ("user", "Still clips at full speed, maybe a bit less often.", "report"),
    (
        "say",
        "Then the collider is too thin for CCD to catch it reliably; I'll make the pier's shape 0.6 m thick, which doesn't change how it looks.",
        M,
    ),
    ("edit", "scenes/pier.tscn", "size = Vector3(6, 0.1, 2)", "size = Vector3(6, 0.6, 2)"),
    (
        "user",
        "Got this when I picked up a second key:\n```\nE 0:00:12:0418   inventory.gd:88 @ add_item(): Invalid call. Nonexistent function 'get_stack' in base 'Nil'.\n  <C++ Source>  core/variant/variant_call.cpp:1198 @ callp()\n  <Stack Trace> inventory.gd:88 @ add_item()\n                pickup.gd:21 @ _on_body_entered()\n```",
        "report",
    ),
    (
        "bash",
        "sed -n 80,90p scripts/inventory.gd",
        0,
        "func add_item(item: Item) -> void:\n\tvar slot = _stack_for(item.id)\n\tif slot == null:\n\t\tslot = _first_free_slot()\n\tslot.get_stack().push(item)",
    ),
    msg(
        ("When the bag is full `_first_free_slot()` returns `null` and `add_item` calls `get_stack` on it anyway.", M),
        " ",
        ("Keys are unique items, so the second key never finds an existing stack either.", M),
    ),
    (
        "edit",
        "scripts/inventory.gd",
        "\tslot.get_stack().push(item)",
        "\tif slot == null:\n\t\tinventory_full.emit(item)\n\t\treturn\n\tslot.get_stack().push(item)",
    ),
    ("bash", GUT_CMD, 0, GUT_PASS),
    ("user", "Het geluid valt weg na het pauzemenu, alleen op Android.", "report"),
    msg(
        ("Waarschijnlijk neemt Android de audiofocus af zodra het spel pauzeert en geeft die daarna niet terug.", X),
        " ",
        ("Ik kijk eerst naar `pause_menu.gd`.", N),
    ),
    (
        "bash",
        "grep -n 'AudioServer' scripts/ui/pause_menu.gd",
        0,
        'scripts/ui/pause_menu.gd:22:\tAudioServer.set_bus_mute(AudioServer.get_bus_index("Master"), true)\nscripts/ui/pause_menu.gd:31:\tget_tree().paused = false',
    ),
    msg(
        ("`pause_menu.gd` mutet de Master-bus bij het openen, maar `_on_resume` zet hem nooit terug.", M),
    ),
    (
        "edit",
        "scripts/ui/pause_menu.gd",
        "\tget_tree().paused = false",
        '\tAudioServer.set_bus_mute(AudioServer.get_bus_index("Master"), false)\n\tget_tree().paused = false',
    ),
    ("user", "Add a setting to turn off screen shake.", "not_report"),
    ("edit", "scripts/settings.gd", "var music_volume := 0.8", "var music_volume := 0.8\nvar screen_shake := true"),
    ("say", "Screen shake is now a setting, on by default, under Accessibility.", N),
    ("user", "Save files from 0.8 don't load in 0.9, the menu just says 'corrupt'.", "report"),
    (
        "bash",
        "grep -n 'FORMAT\\|func migrate' scripts/save/save_migrator.gd",
        0,
        "3:const FORMAT := 4\n12:func migrate_1_to_2(d: Dictionary) -> Dictionary:\n19:func migrate_2_to_3(d: Dictionary) -> Dictionary:",
    ),
    msg(
        (
            "There is no `migrate_3_to_4`, so a 0.8 save (format 3) fails the version check and the loader reports it as corrupt.",
            M,
        ),
        " ",
        ("Format 4 only renamed `gold` to `coins`, so the missing step is small.", N),
    ),
    (
        "edit",
        "scripts/save/save_migrator.gd",
        "func migrate_2_to_3(d: Dictionary) -> Dictionary:",
        'func migrate_3_to_4(d: Dictionary) -> Dictionary:\n\td["coins"] = d.get("gold", 0)\n\td.erase("gold")\n\treturn d\n\n\nfunc migrate_2_to_3(d: Dictionary) -> Dictionary:',
    ),
    ("bash", GUT_CMD, 0, GUT_PASS),
    (
        "user",
        "Bug report template for the testers, tidy it up please:\n**Build:**\n**Device:**\n**What happened:**\n**Log (paste everything, ERROR lines too):**",
        "not_report",
    ),
    ("user", "Achievements unlock twice on the Steam Deck. Seen it on two decks.", "report"),
    msg(
        ("The Steam client on the Deck may replay achievement callbacks after it wakes from sleep.", X),
        " ",
        ("Either way I'll make a second unlock of the same achievement a no-op in `achievements.gd`.", N),
    ),
    (
        "edit",
        "scripts/achievements.gd",
        "func unlock(id: String) -> void:\n",
        "func unlock(id: String) -> void:\n\tif id in _unlocked:\n\t\treturn\n",
    ),
    (
        "user",
        "From the crash reporter:\n```\n2027-01-18 21:04:55.120 [ERROR] lantern: Shader compilation failed: res://shaders/water.gdshader:41: Unknown identifier 'SCREEN_TEXTURE'\n```",
        "report",
    ),
    msg(
        (
            "`water.gdshader` still reads `SCREEN_TEXTURE` at line 41, a built-in that Godot 4's shading language no longer has.",
            L,
        ),
        " ",
        ("It needs a `sampler2D` uniform with `hint_screen_texture` instead.", N),
    ),
    (
        "edit",
        "shaders/water.gdshader",
        "\tvec4 behind = texture(SCREEN_TEXTURE, SCREEN_UV);",
        "\tvec4 behind = texture(screen_tex, SCREEN_UV);",
    ),
    ("user", "If the Steam build fails tonight, just ping me instead of retrying.", "not_report"),
    (
        "user",
        '<ide_selection>The user selected the lines 88 to 92 from /home/nadia/src/lantern-keep/scripts/inventory.gd:\nif slot == null:\n\tpush_error("ERROR: inventory full, dropping %s" % item.id)\n\tinventory_full.emit(item)\n\treturn\n</ide_selection>\nShould this be a warning instead of an error?',
        "not_report",
    ),
    (
        "say",
        "Yes: a full bag is an expected game state, so `push_warning` fits better and keeps the error log for real faults.",
        N,
    ),
    (
        "edit",
        "scripts/inventory.gd",
        '\t\tpush_error("ERROR: inventory full, dropping %s" % item.id)',
        '\t\tpush_warning("inventory full, dropping %s" % item.id)',
    ),
    ("user", "thanks, enough for today", "not_report"),
]

S_REPORTS_EDGE = [
    ("user", "Purges from the CMS don't reach Varnish anymore, editors see old articles for hours.", "report"),
    ("say", "The CDN in front of Varnish could be swallowing the PURGE requests before they get here.", X),
    (
        "bash",
        "grep -n 'acl purgers' -A3 vcl/default.vcl && varnishlog -d -g request -q 'ReqMethod eq \"PURGE\"' | grep -m2 'RespStatus\\|ReqHeader X-Forwarded-For'",
        0,
        'vcl/default.vcl:4:acl purgers {\nvcl/default.vcl:5:    "10.0.0.0"/24;\nvcl/default.vcl:6:}\n-   ReqHeader      X-Forwarded-For: 10.2.7.31\n-   RespStatus     405',
    ),
    msg(
        ("The PURGEs do arrive, from 10.2.7.31, and get a 405.", N),
        " ",
        ("The `purgers` ACL in `default.vcl` only allows 10.0.0.0/24, and the CMS is in 10.2.0.0/16 now.", M),
    ),
    ("edit", "vcl/default.vcl", '    "10.0.0.0"/24;', '    "10.0.0.0"/24;\n    "10.2.0.0"/16;'),
    (
        "bash",
        "varnishadm vcl.load purge_fix vcl/default.vcl && varnishadm vcl.use purge_fix",
        0,
        "VCL compiled.\nVCL 'purge_fix' now active",
    ),
    ("user", "ugh, still 405 on purge from the staging CMS", "report"),
    ("say", "Staging's CMS sits in 10.3.0.0/16, which I didn't add to the ACL.", M),
    ("edit", "vcl/default.vcl", '    "10.2.0.0"/16;', '    "10.2.0.0"/16;\n    "10.3.0.0"/16;'),
    (
        "user",
        'HAProxy log from lb-2, lots of these since this morning:\n```\nJan 19 08:41:12 lb-2 haproxy[1811]: 10.2.3.4:51234 [19/Jan/2027:08:41:02.114] fe_https~ be_api/api-3 0/0/-1/-1/10002 503 217 - - sC-- 412/398/12/0/3 0/0 "GET /v2/orders HTTP/1.1"\n```',
        "report",
    ),
    msg(
        (
            "`sC--` with a connect time of -1 after 10002 ms means HAProxy gave up connecting to api-3 at `timeout connect`.",
            L,
        ),
        " ",
        ("I'll check whether api-3 is still in the pool after Friday's decommission.", N),
    ),
    ("bash", "grep -n 'api-3' haproxy.cfg", 0, "haproxy.cfg:61:    server api-3 10.1.4.13:8080 check"),
    ("say", "api-3 is still listed in `be_api`, although that host was turned off on Friday.", M),
    ("edit", "haproxy.cfg", "    server api-3 10.1.4.13:8080 check\n", ""),
    ("bash", "haproxy -c -f haproxy.cfg", 0, "Configuration file is valid"),
    ("user", "Consul UI'da servisler sürekli kırmızıya dönüyor, sonra tekrar yeşile.", "report"),
    msg(
        ("Büyük ihtimalle ağda paket kaybı var ve gossip bunu hemen yansıtıyor.", X),
        " ",
        ("Hangi servisler olduğunu görmek için `consul monitor` çıktısına bakacağım.", N),
    ),
    ("user", "Write a runbook section: what to do when `consul members` shows a node as `failed`.", "not_report"),
    (
        "edit",
        "docs/runbooks/consul.md",
        "## Nodes\n",
        "## Nodes\n\n### A node shows as `failed`\n\n1. Check the agent on the node: `systemctl status consul`.\n2. If the host is gone for good, `consul force-leave <node>`.\n",
    ),
    (
        "user",
        'Here\'s the alert spec for the new rule:\n```yaml\n- alert: VarnishBackendSick\n  expr: varnish_backend_up == 0\n  for: 2m\n  annotations:\n    summary: "ERROR: backend {{ $labels.backend }} is sick"\n```\nAdd it to the rules file.',
        "not_report",
    ),
    (
        "edit",
        "monitoring/rules/varnish.yml",
        "groups:\n  - name: varnish\n    rules:\n",
        "groups:\n  - name: varnish\n    rules:\n      - alert: VarnishBackendSick\n        expr: varnish_backend_up == 0\n        for: 2m\n",
    ),
    ("user", "the cache hit rate dropped to 20% since yesterday's deploy", "report"),
    (
        "bash",
        "git log -1 -p --format=%h%x20%s -- vcl/",
        0,
        'c41e9a2 add AB test header\n+    set beresp.http.Vary = "Cookie";',
    ),
    msg(
        (
            "Yesterday's VCL change sets `Vary: Cookie` on every backend response, which gives each visitor their own cache entry.",
            M,
        ),
        " ",
        ("Varying on the AB cookie alone keeps the test working.", N),
    ),
    ("edit", "vcl/default.vcl", '    set beresp.http.Vary = "Cookie";', '    set beresp.http.Vary = "X-AB-Bucket";'),
    (
        "user",
        "The provisioning script dies halfway:\n```\nPOST https://auth.fernwick.dev/admin/realms/fernwick/users -> 429 Too Many Requests\nRetry-After: 30\n```",
        "report",
    ),
    msg(
        (
            "Keycloak's admin API answered 429 with `Retry-After: 30`, so the script is being rate limited for creating users too fast.",
            L,
        ),
        " ",
        ("I'll make `provision_users.py` honour `Retry-After` and create users in batches of 20.", N),
    ),
    (
        "edit",
        "scripts/provision_users.py",
        "        resp.raise_for_status()",
        '        if resp.status_code == 429:\n            time.sleep(int(resp.headers.get("Retry-After", "30")))\n            continue\n        resp.raise_for_status()',
    ),
    ("user", "I get a 502 on /login since the Keycloak upgrade.", "report"),
    msg(
        (
            "Keycloak 26 sets much larger session cookies, and I'd guess our proxy's header buffer is now too small for them.",
            X,
        ),
        " ",
        ("Can you send me the HAProxy log line for one of those 502s?", N),
    ),
    ("user", "no time now, go ahead with the next one", "not_report"),
    ("user", "Після перезапуску lb-1 половина запитів отримує 503.", "report"),
    msg(
        ("Схоже, lb-1 піднявся раніше, ніж Consul встиг віддати йому список бекендів.", X),
    ),
    ("user", "If a rollout gets stuck again, roll back first and look afterwards.", "not_report"),
    ("user", "Thanks, that's all for today.", "not_report"),
]

S_REPORTS_DATA = [
    ("user", "The hourly dashboard shows zero kWh for all of Tuesday afternoon.", "report"),
    (
        "say",
        "Could be TimescaleDB's compression job locking that afternoon's chunk, that tends to happen when compression runs during ingest.",
        X,
    ),
    (
        "bash",
        'psql "$TSDB_URL" -c "SELECT config FROM timescaledb_information.jobs WHERE hypertable_name = \'readings_hourly\'"',
        0,
        '                         config\n---------------------------------------------------------\n {"end_offset": "1 day", "start_offset": "3 days", "mat_hypertable_id": 7}\n(1 row)',
    ),
    msg(
        ("That wasn't it.", N),
        " ",
        (
            "Our refresh policy for `readings_hourly` has `end_offset => '1 day'`, so the newest day is never materialized and the dashboard reads zeros for it.",
            M,
        ),
    ),
    (
        "edit",
        "sql/policies/readings_hourly.sql",
        "  end_offset => INTERVAL '1 day',",
        "  end_offset => INTERVAL '1 hour',",
    ),
    (
        "user",
        "```\nTraceback (most recent call last):\n  File \"/app/jobs/export_parquet.py\", line 77, in write_partition\n    table = pa.Table.from_pandas(df, schema=SCHEMA)\npyarrow.lib.ArrowInvalid: ('Could not convert \\'n/a\\' with type str: tried to convert to double', 'Conversion failed for column reading with type object')\n```",
        "report",
    ),
    msg(
        ("Some `reading` values are the string `'n/a'`, which pyarrow can't store in a double column.", L),
    ),
    ("bash", 'grep -n "n/a" jobs/import_csv.py', 0, 'jobs/import_csv.py:52:        row["reading"] = raw or "n/a"'),
    (
        "say",
        "They come from `import_csv.py`, which writes `n/a` for a missing meter value instead of leaving it empty.",
        M,
    ),
    (
        "edit",
        "jobs/import_csv.py",
        '        row["reading"] = raw or "n/a"',
        '        row["reading"] = float(raw) if raw else None',
    ),
    ("bash", "pytest jobs/tests -q", 0, "..............\n14 passed in 1.02s"),
    ("user", "Export do Parquetu běží od včerejška třikrát déle.", "report"),
    msg(
        ("Nejspíš je pomalý disk na sdíleném úložišti, to se stává, když běží zálohy.", X),
        " ",
        ("Podívám se na čas jednotlivých kroků v logu.", N),
    ),
    (
        "user",
        "Spec for the new silence check:\n- plain SQL, no dbt\n- if any meter has no reading for 2h, log `ERROR meter <id> silent` and exit 1\n- otherwise print OK",
        "not_report",
    ),
    (
        "edit",
        "checks/meter_silence.sql",
        "",
        "SELECT meter_id FROM readings GROUP BY meter_id HAVING max(recorded_at) < now() - INTERVAL '2 hours';",
    ),
    (
        "user",
        "This session is being continued from a previous conversation that ran out of context. The conversation is summarized below:\nAnalysis: the user asked to fix the Flink enrichment job; GeoEnrichTest failed with a NullPointerException because open() was not called; the fix was applied and the tests passed.",
        "not_report",
    ),
    (
        "user",
        "the scylla nodes keep complaining in their logs, see:\n```\nERROR 2027-01-20 06:12:41,118 [shard 3:strm] compaction - Compaction for ks.sessions failed: std::runtime_error (Too many open files)\n```",
        "report",
    ),
    msg(
        ("`Too many open files` on shard 3 means the node ran out of file descriptors while compacting.", L),
    ),
    ("bash", "grep -n LimitNOFILE deploy/scylla.service", 0, "deploy/scylla.service:12:LimitNOFILE=65536"),
    ("say", "The unit file we ship sets `LimitNOFILE=65536`, far below the 800000 Scylla's own unit uses.", M),
    ("edit", "deploy/scylla.service", "LimitNOFILE=65536", "LimitNOFILE=800000"),
    (
        "user",
        "Rollup failed at 3am with this:\n```\nsocket.gaierror: [Errno -2] Name or service not known\nOSError: Timed out during handshake while connecting to tcp://dask.internal:8786 after 30 s\n```",
        "report",
    ),
    msg(
        (
            "The job couldn't resolve `dask.internal` (`Name or service not known`), so it never reached the scheduler.",
            L,
        ),
        " ",
        ("My guess is the cron host lost the office DNS zone when it moved to the new VPC.", X),
    ),
    ("user", "Jobs that used to finish by 4 am now run into the morning standup.", "report"),
    msg(
        ("I'd bet the Dask workers share their nodes with the new batch jobs now and get less CPU.", X),
        " ",
        ("If you can tell me which job ran longest last night, I'll start with that one.", N),
    ),
    ("user", "Can you add a `--dry-run` flag to the rollup job?", "not_report"),
    (
        "user",
        "Also make the nightly job fail loudly when a meter goes silent, instead of only logging a warning.",
        "not_report",
    ),
    (
        "edit",
        "jobs/rollup_dask.py",
        '    parser.add_argument("--date")',
        '    parser.add_argument("--date")\n    parser.add_argument("--dry-run", action="store_true")',
    ),
    ("user", "Datanya dobel untuk tanggal 21, semua meter.", "report"),
    (
        "bash",
        'grep -n "to_sql\\|if_exists" jobs/rollup_dask.py',
        0,
        'jobs/rollup_dask.py:88:    out.to_sql("rollups", engine, if_exists="append")',
    ),
    msg(
        (
            '`rollup_dask.py` menulis dengan `if_exists="append"` tanpa menghapus hari itu dulu, jadi kalau job jalan dua kali, datanya ganda.',
            M,
        ),
    ),
    (
        "edit",
        "jobs/rollup_dask.py",
        '    out.to_sql("rollups", engine, if_exists="append")',
        '    delete_day(engine, args.date)\n    out.to_sql("rollups", engine, if_exists="append")',
    ),
    ("user", "Cảm ơn, mai mình xem tiếp.", "not_report"),
]

# ================================================================ features (fix attempts past 80%)

CR = "scripts/crafting/recipes.gd"
CR_BODY = "\n".join(f"\tvar r{i} := Recipe.from_row(rows[{i}])" for i in range(120))
CR_CMD = "godot --headless -s addons/gut/gut_cmdln.gd -gdir=res://test/unit/crafting -gexit"
CR_PASS = "res://test/unit/crafting/test_recipes.gd\n\n---- Totals ----\nScripts               2\nTests                18\n  Passing            18\nAsserts              41\nTime              0.311s\n\n---- All tests passed! ----"
CR_FAIL = "res://test/unit/crafting/test_recipes.gd\n* {}\n    [Failed]:  [{}] expected to equal [{}]\n      at line {}\n\n---- Totals ----\nScripts               2\nTests                18\n  Passing            17\n  Failing             1\n\n---- 1 failing tests ----"


def _cfix(i: int) -> tuple:
    return ("edit", CR, f"\treturn consumed  # c{i}", f"\treturn consumed  # c{i + 1}")


S_FEAT_CRAFT_1 = [
    (
        "user",
        "Add crafting to lantern-keep: recipes from recipes.csv, a crafting panel, and ingredients taken out of the inventory.",
        "not_report",
    ),
    (
        "edit",
        CR,
        "func load_recipes(rows: Array) -> Array:\n\tpass",
        "func load_recipes(rows: Array) -> Array:\n" + CR_BODY + "\n\treturn consumed  # c0",
    ),
    ("bash", CR_CMD, 0, CR_PASS),
    ("say", "Recipes load from `recipes.csv` and the 18 crafting tests pass; the panel is wired to the inventory.", N),
]
S_FEAT_CRAFT_2 = [
    ("user", "Carry on with crafting, there are new tests for stackable ingredients.", "not_report"),
    ("bash", CR_CMD, 1, CR_FAIL.format("test_stackable_ingredients_merge", "2", "1", 44)),
    _cfix(0),  # attempt 1
    ("bash", CR_CMD, 0, CR_PASS),
    ("user", "Crafting a lantern eats two oil flasks instead of one.", "report"),
    _cfix(1),  # attempt 2
    ("bash", CR_CMD, 0, CR_PASS),
    ("bash", CR_CMD, 1, CR_FAIL.format("test_cannot_craft_without_tool", "true", "false", 71)),
    _cfix(2),  # attempt 3, two edits
    (
        "edit",
        "scripts/crafting/panel.gd",
        "\tcraft_button.disabled = not recipe.has_ingredients(inv)",
        "\tcraft_button.disabled = not recipe.can_craft(inv)",
    ),
    ("bash", CR_CMD, 1, CR_FAIL.format("test_tool_is_not_consumed", "0", "1", 83)),
    _cfix(3),  # attempt 4
    ("bash", CR_CMD, 0, CR_PASS),
    (
        "user",
        "After crafting rope:\n```\nE 0:02:41:0077   recipes.gd:131 @ consume(): Invalid access to property or key 'count' on a base object of type 'Nil'.\n  <Stack Trace> recipes.gd:131 @ consume()\n                panel.gd:58 @ _on_craft_pressed()\n```",
        "report",
    ),
    _cfix(4),  # attempt 5
    ("bash", CR_CMD, 0, CR_PASS),
    ("say", "All 18 crafting tests pass, a lantern takes one oil flask, and rope crafts without the error.", N),
]

DN = "src/Dunning/ReminderPolicy.php"
DNM = "src/Dunning/ReminderMailer.php"
DN_BODY = "\n".join(f"        $step{i} = $this->schedule->step({i});" for i in range(110))
DNM_BODY = "\n".join(f"        $part{i} = $this->template->part({i});" for i in range(80))
DN_CMD = "php bin/phpunit tests/Dunning"
DN_PASS = "PHPUnit 11.5.2 by Sebastian Bergmann and contributors.\n\n..........................\n\nOK (26 tests, 71 assertions)"


def _dn_fail(test: str, detail: str) -> str:
    return f"PHPUnit 11.5.2 by Sebastian Bergmann and contributors.\n\n.....F....................\n\nThere was 1 failure:\n\n1) App\\Tests\\Dunning\\{test}\n{detail}\n\nFAILURES!\nTests: 26, Assertions: 71, Failures: 1."


S_FEAT_DUN_1 = [
    (
        "user",
        "Build dunning reminders for unpaid invoices: a policy with three reminder steps per customer tier.",
        "not_report",
    ),
    (
        "edit",
        DN,
        "    public function stepsFor(Invoice $invoice): array\n    {\n    }",
        "    public function stepsFor(Invoice $invoice): array\n    {\n"
        + DN_BODY
        + "\n        return $steps; // s0\n    }",
    ),
    ("bash", DN_CMD, 0, DN_PASS),
]
S_FEAT_DUN_2 = [
    ("user", "Now the mailer that sends each reminder step, with the tier's template.", "not_report"),
    (
        "edit",
        DNM,
        "    public function send(Reminder $reminder): void\n    {\n    }",
        "    public function send(Reminder $reminder): void\n    {\n"
        + DNM_BODY
        + "\n        $this->mailer->send($email); // m0\n    }",
    ),
    ("bash", DN_CMD, 0, DN_PASS),
    ("say", "The reminder mailer is in and all 26 dunning tests pass.", N),
]
DUN_OPENERS = [
    ("fail", _dn_fail("ReminderPolicyTest::testGoldTierWaitsTenDays", "Failed asserting that 7 is identical to 10.")),
    ("user", "A customer got the final reminder the same day as the first one.", "report"),
    (
        "fail",
        _dn_fail(
            "ReminderMailerTest::testUsesTierTemplate",
            "Failed asserting that two strings are identical.\n--- Expected\n+++ Actual\n@@ @@\n-'dunning/gold/first.html.twig'\n+'dunning/default/first.html.twig'",
        ),
    ),
    (
        "user",
        'Messenger failed in staging:\n```\n[2027-01-24T07:30:02.118Z] app.CRITICAL: Error thrown while handling message App\\Message\\SendReminder. Removing from transport after 3 retries. Error: "Call to a member function getEmail() on null"\n```',
        "report",
    ),
    ("user", "Paid invoices are still getting reminders.", "report"),
    ("fail", _dn_fail("ReminderPolicyTest::testSkipsDisputedInvoices", "Failed asserting that an array is empty.")),
    (
        "user",
        "CI on the branch:\n```\n1) App\\Tests\\Dunning\\ReminderMailerTest::testSubjectContainsInvoiceNumber\nFailed asserting that 'Payment reminder' contains \"INV-2027-0042\".\nError: Process completed with exit code 1.\n```",
        "report",
    ),
    (
        "fail",
        _dn_fail(
            "ReminderPolicyTest::testWeekendsShiftToMonday",
            "Failed asserting that '2027-01-30' is identical to '2027-02-01'.",
        ),
    ),
    ("user", "The French customers get the reminder in English.", "report"),
    (
        "fail",
        _dn_fail(
            "ReminderMailerTest::testAttachesInvoicePdf", "Failed asserting that actual size 0 matches expected size 1."
        ),
    ),
    (
        "user",
        "Finance says the second reminder for the silver tier shows the wrong late fee, 15 instead of 10.",
        "report",
    ),
]
S_FEAT_DUN_3: list = [("user", "Let's get the dunning reminders ready for the February billing run.", "not_report")]
for _i, _op in enumerate(DUN_OPENERS):
    if _op[0] == "user":
        S_FEAT_DUN_3.append(_op)
    else:
        S_FEAT_DUN_3.append(("bash", DN_CMD, 1, _op[1]))
    S_FEAT_DUN_3.append(("gap", 5))
    _path, _mark = (DN, "return $steps; // s") if _i % 2 == 0 else (DNM, "$this->mailer->send($email); // m")
    _n = _i // 2
    S_FEAT_DUN_3.append(("edit", _path, f"        {_mark}{_n}", f"        {_mark}{_n + 1}"))
    S_FEAT_DUN_3.append(("bash", DN_CMD, 0, DN_PASS))
S_FEAT_DUN_3.append(
    ("say", "Eleven fixes in, the 26 dunning tests pass and every reported case has a test of its own.", N)
)

TD = "src/tide_tables.adb"
TD_BODY = "\n".join(f"      H{i} : constant Float := Constituent_Height (Station, {i}, T);" for i in range(100))
TD_CMD = "alr test"
TD_PASS = "ⓘ Running tests for tidegauge_tests...\nTest_Tide_Tables.Highs_And_Lows : PASS\nTest_Tide_Tables.Lisbon_January : PASS\nTest_Tide_Tables.Rounding : PASS\nTest_Tide_Tables.Day_Boundary : PASS\n4 tests passed, 0 failed"
TD_FAIL = "ⓘ Running tests for tidegauge_tests...\nTest_Tide_Tables.Highs_And_Lows : PASS\nTest_Tide_Tables.Lisbon_January : PASS\nTest_Tide_Tables.Rounding : FAIL\n    tide_tables-test.adb:{}: expected {} got {}\nTest_Tide_Tables.Day_Boundary : PASS\n3 tests passed, 1 failed\nerror: Test failed"


def _tfix(i: int) -> tuple:
    return ("edit", TD, f"      return Table;  -- t{i}", f"      return Table;  -- t{i + 1}")


S_FEAT_TIDE_1 = [
    (
        "user",
        "Add tide tables: predict high and low water for a station from its harmonic constituents, one table per day.",
        "not_report",
    ),
    (
        "edit",
        TD,
        "   function Day_Table (Station : Station_Id; Day : Date) return Table_Type is\n   begin\n      return (others => <>);",
        "   function Day_Table (Station : Station_Id; Day : Date) return Table_Type is\n   begin\n"
        + TD_BODY
        + "\n      return Table;  -- t0",
    ),
    ("bash", TD_CMD, 0, TD_PASS),
    ("user", "The Lisbon table for the 3rd is missing the evening low.", "report"),
    _tfix(0),  # attempt 1
    ("bash", TD_CMD, 0, TD_PASS),
    ("say", "Day tables for every station pass their tests, and Lisbon on the 3rd has its evening low at 19:42.", N),
]
S_FEAT_TIDE_2 = [
    (
        "user",
        "CI failed on main after the tide tables merge:\n```\nTest_Tide_Tables.Rounding : FAIL\n    tide_tables-test.adb:88: expected  3.42 got  3.41\nerror: Test failed\n```",
        "report",
    ),
    _tfix(1),  # attempt 2
    ("bash", TD_CMD, 1, TD_FAIL.format(91, " 0.87", " 0.88")),
    _tfix(2),  # attempt 3
    ("bash", TD_CMD, 0, TD_PASS),
    ("say", "Heights are rounded once, after the constituents are summed, and all four tide table tests pass.", N),
]


NA = "/home/nadia/src"
OS = "/Users/osei/dev"
PI = "/home/pilar/src"
# (name, user, format, cwd, branch, day, hour, steps); gemini and aider record no branch
SESSIONS = [
    ("spiral-godot", "nadia", "claude", f"{NA}/lantern-keep", "fix/cloud-save-test", 4, 10, S_GODOT),
    ("spiral-unity", "osei", "shell_command", f"{OS}/orbit-courier", "fix/playmode-docking", 4, 9, S_UNITY),
    ("spiral-consul-bash-timeout", "pilar", "claude", f"{PI}/meshbook", "fix/registration-itest", 5, 9, S_CONSUL),
    ("spiral-flink-timeout-ms", "osei", "shell", f"{OS}/clickstream-jobs", "release/2027.01", 5, 14, S_FLINK),
    ("spiral-pulsar-tail", "osei", "exec_command", f"{OS}/ledger-events", "fix/pulsar-consumer-test", 6, 10, S_PULSAR),
    ("spiral-mqtt-or-true", "nadia", "claude", f"{NA}/fleet-telemetry", "fix/telemetry-smoke", 6, 15, S_MQTT),
    ("spiral-dask", "pilar", "claude", f"{PI}/yield-curves", "fix/distributed-tests", 7, 9, S_DASK),
    ("spiral-neo4j-1", "nadia", "claude", f"{NA}/kinship-graph", "fix/neo4j-pool-tests", 7, 16, S_NEO4J_1),
    ("spiral-neo4j-2", "nadia", "shell_command", f"{NA}/kinship-graph", "fix/neo4j-pool-tests", 8, 9, S_NEO4J_2),
    ("spiral-varnish-1", "osei", "shell_command", f"{OS}/edge-cache", "fix/ban-lurker-vtc", 8, 16, S_VARNISH_1),
    ("spiral-varnish-2", "osei", "shell_command", f"{OS}/edge-cache", "fix/ban-lurker-vtc", 9, 10, S_VARNISH_2),
    ("spiral-lake-bg-poll", "pilar", "claude", f"{PI}/ringlets", "chore/mathlib-bump", 9, 9, S_LAKE),
    ("spiral-traefik-gemini", "pilar", "gemini", f"{PI}/atlas-gateway", "", 10, 10, S_TRAEFIK),
    ("ns-racket-justified", "nadia", "claude", f"{NA}/scribble-lint", "release/0.9", 11, 9, S_NS_RACKET),
    ("ns-haproxy-no-failure", "osei", "exec_command", f"{OS}/edge-lb", "chore/report-timeouts", 11, 11, S_NS_HAPROXY),
    ("ns-appium-lowering", "pilar", "claude", f"{PI}/fieldnotes-mobile", "fix/login-e2e", 12, 9, S_NS_APPIUM),
    ("ns-linkerd-sites", "osei", "shell_command", f"{OS}/mesh-platform", "fix/checkout-mesh-e2e", 12, 14, S_NS_LINKERD),
    ("ns-minio-condition", "pilar", "gemini_jsonl", f"{PI}/photo-vault", "", 13, 10, S_NS_MINIO),
    ("ns-beam-two-raises", "nadia", "claude", f"{NA}/meter-pipeline", "fix/hourly-window-test", 13, 11, S_NS_BEAM),
    ("ns-buck2-poll", "osei", "exec_command", f"{OS}/firmware-mono", "release/fw-3.2", 14, 9, S_NS_BUCK2),
    ("expl-lang", "nadia", "claude", f"{NA}/toolshed", "main", 14, 13, E_LANG),
    ("expl-infra", "osei", "exec_command", f"{OS}/platform-edge", "main", 15, 9, E_INFRA),
    ("expl-data", "pilar", "shell", f"{PI}/warehouse-streams", "main", 15, 10, E_DATA),
    ("expl-game", "nadia", "gemini_jsonl", f"{NA}/lantern-keep", "", 16, 10, E_GAME),
    ("expl-web", "pilar", "aider", f"{PI}/billing-hanami", "", 16, 14, E_WEB),
    ("reports-game", "nadia", "claude", f"{NA}/lantern-keep", "main", 18, 9, S_REPORTS_GAME),
    ("reports-edge", "osei", "claude", f"{OS}/edge-cache", "main", 18, 10, S_REPORTS_EDGE),
    ("reports-data", "pilar", "claude", f"{PI}/warehouse-streams", "main", 20, 9, S_REPORTS_DATA),
    ("feat-craft-1", "nadia", "claude", f"{NA}/lantern-keep", "feature/crafting", 20, 14, S_FEAT_CRAFT_1),
    ("feat-craft-2", "nadia", "claude", f"{NA}/lantern-keep", "feature/crafting", 21, 9, S_FEAT_CRAFT_2),
    ("feat-dun-1", "osei", "exec_command", f"{OS}/dunning-symfony", "feature/dunning-reminders", 22, 9, S_FEAT_DUN_1),
    ("feat-dun-2", "osei", "shell_command", f"{OS}/dunning-symfony", "feature/dunning-reminders", 22, 13, S_FEAT_DUN_2),
    ("feat-dun-3", "osei", "claude", f"{OS}/dunning-symfony", "feature/dunning-reminders", 23, 9, S_FEAT_DUN_3),
    ("feat-tide-1", "pilar", "claude", f"{PI}/tidegauge", "feature/tide-tables", 26, 9, S_FEAT_TIDE_1),
    ("feat-tide-2", "nadia", "shell_command", f"{NA}/tidegauge", "fix/tide-rounding", 28, 10, S_FEAT_TIDE_2),
]

SPIRALS: dict[str, dict[str, Any]] = {
    "spiral-godot": {
        "site": GD,
        "outcome": "fixed_by_logic",
        "values_s": [2, 6, 15, 40],
        "wait_on": "test file (GUT wait_for_signal max wait, seconds)",
    },
    "spiral-unity": {
        "site": UN,
        "outcome": "unresolved",
        "values_s": [10, 30, 90, 180],
        "wait_on": "test file (NUnit [Timeout] attribute, ms), codex shell_command",
    },
    "spiral-consul-bash-timeout": {
        "site": "gotestsum",
        "outcome": "fixed_by_logic",
        "values_s": [120, 300, 480, 600],
        "wait_on": "claude Bash timeout",
    },
    "spiral-flink-timeout-ms": {
        "site": "mvn",
        "outcome": "masked",
        "values_s": [120, 300, 600, 1200],
        "wait_on": "codex timeout_ms, codex shell",
    },
    "spiral-pulsar-tail": {
        "site": "go test",
        "outcome": "fixed_by_logic",
        "values_s": [60, 180, 420, 900],
        "wait_on": "command-line flag (go test -timeout), failure visible only in output (| tail), codex exec_command",
    },
    "spiral-mqtt-or-true": {
        "site": "mosquitto_sub",
        "outcome": "unresolved",
        "values_s": [5, 15, 45, 120],
        "wait_on": "command-line flag (mosquitto_sub -W), failure visible only in output (|| true)",
    },
    "spiral-dask": {
        "site": DK,
        "outcome": "fixed_by_logic",
        "values_s": [10, 30, 90, 180],
        "wait_on": "config file (Dask distributed.comm.timeouts.connect, YAML duration)",
    },
    "spiral-neo4j-2": {
        "site": NJ,
        "outcome": "fixed_by_logic",
        "values_s": [5, 15, 45, 120],
        "wait_on": "config file (TOML connection_acquisition_timeout, s), across two sessions and two agents (claude, then codex shell_command)",
        "also_session": "spiral-neo4j-1",
    },
    "spiral-varnish-2": {
        "site": "varnishtest",
        "outcome": "masked",
        "values_s": [30, 60, 180, 300],
        "wait_on": "command-line flag (varnishtest -t), codex shell_command, across two sessions",
        "also_session": "spiral-varnish-1",
    },
    "spiral-lake-bg-poll": {
        "site": "sleep",
        "outcome": "unresolved",
        "values_s": [60, 180, 420, 900],
        "wait_on": "run_in_background + polling sleep",
    },
    "spiral-traefik-gemini": {
        "site": TF,
        "outcome": "fixed_by_logic",
        "values_s": [5, 15, 45, 90],
        "wait_on": "config file (Traefik responseHeaderTimeout), failure visible only in output (curl -w status, no exit status), gemini",
    },
}

NOT_SPIRALS = {
    "ns-racket-justified": "one Claude Bash timeout raise 120000 -> 600000 ms justified by the 3m41s the same command took in CI",
    "ns-haproxy-no-failure": "HAProxy timeout server raised three times on request, every haproxy -c passing: no failed check",
    "ns-appium-lowering": "Appium implicit wait lowered 60 -> 10 -> 3 s to fail fast, then a locator fix",
    "ns-linkerd-sites": "three single raises at three different sites (linkerd check --wait, a ServiceProfile route timeout, a proxy connect timeout annotation)",
    "ns-minio-condition": "a sleep raised once, then replaced by a condition wait (until mc ready) with a deadline",
    "ns-beam-two-raises": "wait_until_finish duration raised only twice, then a TestStream fix and the duration put back",
    "ns-buck2-poll": "write_stdin polls with growing yield_time_ms on a buck2 release build that progresses and succeeds",
}

FEATURES: list[dict[str, Any]] = [
    {
        "repo": "lantern-keep",
        "branch": "feature/crafting",
        "sessions": ["feat-craft-1", "feat-craft-2"],
        "patches_after_80": 5,
        "cliff": False,
        "note": "five fix attempts made of six edits; one opened by a plain-word report, one by a pasted Godot error",
    },
    {
        "repo": "dunning-symfony",
        "branch": "feature/dunning-reminders",
        "sessions": ["feat-dun-1", "feat-dun-2", "feat-dun-3"],
        "patches_after_80": 11,
        "cliff": True,
        "note": "two Codex sessions (exec_command, shell_command) write the code, a Claude Code session fixes it: five failed checks, four plain-word reports, two pasted logs; about 4 h before the mark, over 70 h after",
    },
    {
        "name": "Tide tables",
        "repo": "tidegauge",
        "branch": "feature/tide-tables + fix/tide-rounding",
        "sessions": ["feat-tide-1", "feat-tide-2"],
        "patches_after_80": 3,
        "cliff": False,
        "note": "two branches, two users and two agents joined by features.toml branch patterns; two attempts opened by user reports",
    },
]


def features_toml() -> str:
    return (
        "# Feature rules for the seventh held-out round: tide tables span two branches, users and agents.\n"
        '[[feature]]\nname = "Tide tables"\n'
        'branches = ["feature/tide-tables*", "fix/tide-rounding*"]\n'
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
        "about": "Seventh held-out round, written blind in stacks earlier rounds did not use; see build_heldout7.py.",
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
