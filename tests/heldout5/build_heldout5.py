"""Build the fifth held-out corpus: sessions in stacks no earlier round used, written blind.

Claude Code, Codex CLI, Gemini CLI and Aider transcripts for three users (dates in 2026-11 and
2026-12): Go operators with controller-runtime, envtest/Gomega and kind, NATS JetStream,
PlatformIO and ESP-IDF, Zephyr (twister, west), PySpark, dbt on Snowflake, Airflow, ClickHouse,
Elasticsearch, Cassandra, Cloudflare Workers (wrangler), Supabase, Firebase emulators,
SvelteKit, Angular/Karma, Electron, Tauri, ROS 2 (colcon), OCaml/dune, Zig, Erlang/rebar3,
Clojure, R/testthat, Julia, Swift on Linux and Packer. Codex rollouts come in the three tool
shapes the CLI has written (``shell``, ``shell_command``, ``exec_command``/``write_stdin``);
Gemini CLI sessions are single-JSON chat recordings under ``.gemini/tmp/<project>/chats``;
Aider sessions are appended to one ``.aider.chat.history.md`` per project (the person types
``/test`` and ``/run``; edits are SEARCH/REPLACE blocks; Aider has no tool timeouts).

``truth.json`` holds the timeout spirals (waits in code and config files, command-line flags,
the agent's own tool budgets, background runs polled with growing sleeps, a sleep before a
probe in a Gemini CLI session, a config file raised through Aider, a probe whose verdict is
only in its output because ``|| true`` hides the exit status, one spiral that continues into
the next day's session), the look-alikes that are not spirals, every sentence the agent says
with its verdict (exotic, legit, mundane, or non_claim: must carry no exotic verdict; several
messages hold more than one labelled sentence or bullet, each labelled on its own; some are in
Spanish, Russian, German, French and Chinese), the user messages that report a failure or do
not, and the features with their fix attempts past the 80% mark (``features.toml`` joins two
branches and a Gemini CLI session, which records no branch, into one named feature). Written
blind: nothing here was derived from the detectors. Stdlib only and deterministic.

Usage: python tests/heldout5/build_heldout5.py OUT_DIR
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

NS = uuid.UUID("c5e2a1f3-8d4c-4e0b-9d72-6e3f9a8b2c05")
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


def _pieces(step: tuple) -> list[tuple[str, str]]:
    """The labelled sentences of a say step."""
    return [(step[1], step[2])] if isinstance(step[1], str) else list(step[1])


def _text(step: tuple) -> str:
    """The message a say step writes: its sentences joined as the agent wrote them."""
    return step[1] if isinstance(step[1], str) else step[2].join(p for p, _v in step[1])


# Steps of a scripted session (both formats):
#   ("user", text[, "report" | "not_report"])   a person's message; the tag lands in truth.json
#   ("say", text, verdict)                     the agent's prose; every one is in truth.json
#   ("say", [(text, verdict), ...], joiner)     one message of several labelled sentences or bullets
#   ("edit", path, old, new) | ("gap", hours)
#   ("bash", cmd, exit_code, output)           a command that ran to its end
#   ("bash_t", cmd, timeout_ms, exit_code, output)   with a tool timeout; exit None = the tool timed out
# Gemini CLI and Aider: user, say, edit, bash (Aider: a /test or /run the person typed), gap.
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
    slug = "-".join(["quiet", "amber", "heron"] if len(name) % 2 else ["brisk", "cedar", "otter"])

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
            "version": "2.1.97",
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
            assistant([{"type": "text", "text": _text(step)}])
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


CODEX_VERSIONS = {"shell": "0.58.0", "shell_command": "0.86.0", "exec_command": "0.118.0"}


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
                "repository_url": f"git@github.com:quarrylane/{repo}.git",
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
            ctx = {"turn_id": turn, **ctx, "current_date": _ts(t)[:10], "timezone": "Europe/Madrid"}
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
            item: dict = {
                "type": "message",
                "role": "assistant",
                "content": [{"type": "output_text", "text": _text(step)}],
            }
            if style == "exec_command":
                item["phase"] = "commentary"
            emit("response_item", item)
            if newer:
                emit("event_msg", {"type": "agent_message", "message": _text(step)})
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
            budget = ms or 0
            if style == "shell":
                if code is None:
                    t += timedelta(milliseconds=budget)
                    body = {
                        "output": f"command timed out after {budget + 41} milliseconds\n{out}",
                        "metadata": {"exit_code": 124, "duration_seconds": round(budget / 1000 + 0.04, 2)},
                    }
                else:
                    body = {"output": out, "metadata": {"exit_code": code, "duration_seconds": secs}}
                text = json.dumps(body)
            elif style == "shell_command":
                if code is None:
                    t += timedelta(milliseconds=budget)
                    text = f"Exit code: 124\nWall time: {budget / 1000:.1f} seconds\nOutput:\ncommand timed out after {budget + 41} milliseconds\n{out}\n"
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


def gemini_session(name: str, cwd: str, start: datetime, steps: list) -> tuple[str, str]:
    """Render scripted steps as a Gemini CLI chat recording (the single-JSON document)."""
    sid = _sid(name)
    messages: list[dict] = []
    t = start
    n = 0

    def stamp() -> str:
        nonlocal t, n
        n += 1
        now = _ts(t)
        t += STEP
        return now

    def reply(content: str, calls: list) -> None:
        mid = str(uuid.uuid5(NS, f"{name}/g{n}"))
        rec: dict = {"id": mid, "timestamp": stamp(), "type": "gemini", "content": content}
        if calls:
            rec["toolCalls"] = calls
        rec["thoughts"] = []
        rec["tokens"] = {"input": 14200 + 310 * n, "output": 96, "cached": 11800, "thoughts": 140, "tool": 0}
        rec["tokens"]["total"] = sum(rec["tokens"].values()) - rec["tokens"]["cached"]
        rec["model"] = "gemini-2.5-pro"
        messages.append(rec)

    def call(tool: str, args: dict, output: str, display: str, description: str) -> dict:
        cid = f"{tool}-{int(t.timestamp() * 1000)}-{_hex(f'{name}/k{n}', 13)}"
        return {
            "id": cid,
            "name": tool,
            "args": args,
            "result": [{"functionResponse": {"id": cid, "name": tool, "response": {"output": output}}}],
            "status": "success",
            "timestamp": _ts(t + timedelta(seconds=3)),
            "resultDisplay": display,
            "description": description,
            "displayName": {"run_shell_command": "Shell", "replace": "Edit"}[tool],
            "renderOutputAsMarkdown": tool != "run_shell_command",
        }

    for step in steps:
        kind = step[0]
        if kind == "user":
            mid = str(uuid.uuid5(NS, f"{name}/u{n}"))
            messages.append({"id": mid, "timestamp": stamp(), "type": "user", "content": [{"text": step[1]}]})
        elif kind == "say":
            reply(_text(step), [])
        elif kind == "gap":
            t += timedelta(hours=step[1])
        elif kind == "bash":
            _, cmd, code, out, *secs = step
            pgid = 700000 + 37 * n
            body = f"Output: {out}\n" + (f"Exit Code: {code}\n" if code else "") + f"Process Group PGID: {pgid}"
            args = {"command": cmd, "description": "Run the check", "dir_path": cwd, "is_background": False}
            reply("", [call("run_shell_command", args, body, out, f"{cmd} [in {cwd}] (Run the check)")])
            t += timedelta(seconds=secs[0] if secs else 5)
        elif kind == "edit":
            _, path, old, new = step
            full = path if path.startswith("/") else f"{cwd}/{path}"
            args = {"file_path": full, "old_string": old, "new_string": new, "instruction": "Apply the change."}
            done = f"Successfully modified file: {full} (1 replacements)."
            reply("", [call("replace", args, done, "", path)])
        else:
            raise ValueError(kind)
    doc = {
        "sessionId": sid,
        "projectHash": hashlib.sha256(cwd.encode()).hexdigest(),
        "startTime": _ts(start),
        "lastUpdated": _ts(t),
        "messages": messages,
        "kind": "main",
    }
    return sid, json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def aider_session_id(start: datetime, git_dir: str) -> str:
    """The id the history gets for a session: its start and its git working dir."""
    return f"aider-{start.strftime('%Y%m%dT%H%M%S')}-{hashlib.sha1(git_dir.encode()).hexdigest()[:8]}"


def _aider_output(text: str) -> list[str]:
    """A tool output as Aider writes it: '> ' on the first line, two spaces closing the last."""
    lines = [x.rstrip() for x in text.split("\n")]
    lines[0] = "> " + lines[0]
    lines[-1] += "  "
    return lines


def aider_session(name: str, cwd: str, start: datetime, steps: list) -> tuple[str, str]:
    """Render scripted steps as one session of an Aider chat history (to be appended)."""
    sid = aider_session_id(start, cwd)
    out: list[str] = [f"# aider chat started at {start.strftime('%Y-%m-%d %H:%M:%S')}", ""]
    banner = [
        "/home/dev/.local/bin/aider --model sonnet",
        "Aider v0.86.1",
        "Main model: anthropic/claude-sonnet-4-5 with diff edit format, infinite output",
        "Weak model: anthropic/claude-haiku-4-5",
        "Git repo: .git with 214 files",
        "Repo-map: using 4096 tokens, auto refresh",
        f"Git working dir: {cwd}",
    ]
    out += [f"> {x}  " for x in banner] + [""]
    reply: list[str] = []
    edits: list[str] = []
    sent = 8400

    def flush() -> None:
        nonlocal sent
        if not reply:
            return
        out.extend(["\n\n".join(reply), ""])
        sent += 1900
        out.append(f"> Tokens: {sent:,} sent, {120 + 40 * len(reply)} received. Cost: $0.03 message, $0.41 session.  ")
        out.append("")
        for path in edits:
            out.extend([f"> Applied edit to {path}  ", ""])
        if edits:
            out.extend([f"> Commit {_hex(name + str(len(out)), 7)} fix: update {edits[-1]}  ", ""])
        reply.clear()
        edits.clear()

    for step in steps:
        kind = step[0]
        if kind == "say":
            reply.append(_text(step))
        elif kind == "edit":
            _, path, old, new = step
            reply.append(f"{path}\n```\n<<<<<<< SEARCH\n{old}\n=======\n{new}\n>>>>>>> REPLACE\n```")
            edits.append(path)
        elif kind == "user":
            flush()
            out += [f"#### {x}  " for x in step[1].split("\n")] + [""]
        elif kind == "bash":
            flush()
            _, cmd, code, text, *_secs = step
            verb = "/test" if "test" in cmd else "/run"
            out += [f"#### {verb} {cmd}  "] + _aider_output(text)
            if code:
                out += [f"> Command '{cmd}' exited with status {code}  "]
            out += [f"> Added {text.count(chr(10)) + 1} lines of output to the chat.  ", ""]
        elif kind == "gap":
            pass
        else:
            raise ValueError(kind)
    flush()
    return sid, "\n".join(out) + "\n"


def _day(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, 11, 0, tzinfo=UTC)


# ================================================================ spirals

GT = "internal/controller/backup_controller_test.go"
GT_OLD = "\t\tEventually(func(g Gomega) {{\n\t\t\tg.Expect(k8sClient.Get(ctx, key, &backup)).To(Succeed())\n\t\t\tg.Expect(backup.Status.Phase).To(Equal(backupv1.PhaseCompleted))\n\t\t}}, {}*time.Second, 250*time.Millisecond).Should(Succeed())"
GT_CMD = "go test ./internal/controller/... -count=1 -ginkgo.focus='Backup'"
GT_FAIL = "  [FAILED] Timed out after {}.001s.\n  The function passed to Eventually failed at /home/greta/src/backup-operator/internal/controller/backup_controller_test.go:71 with:\n  Expected\n      <v1.BackupPhase>: Pending\n  to equal\n      <v1.BackupPhase>: Completed\n  In [It] at: /home/greta/src/backup-operator/internal/controller/backup_controller_test.go:74\n\nRan 6 of 6 Specs in {}.208 seconds\nFAIL! -- 5 Passed | 1 Failed | 0 Pending | 0 Skipped\n--- FAIL: TestControllers ({}.21s)\nFAIL\nFAIL\tgithub.com/quarrylane/backup-operator/internal/controller\t{}.930s\nFAIL"
S_ENVTEST = [
    (
        "user",
        "The Backup controller spec in envtest fails every time on the Completed phase. Can you sort it out?",
        "report",
    ),
    ("bash", GT_CMD, 1, GT_FAIL.format(10, 14, 14, 15), 16.0),
    ("edit", GT, GT_OLD.format(10), GT_OLD.format(30)),
    ("bash", GT_CMD, 1, GT_FAIL.format(30, 34, 34, 35), 36.0),
    (
        "say",
        "envtest's kube-apiserver is probably slow to come up on this laptop, so I'm giving Eventually more room.",
        "exotic",
    ),
    ("edit", GT, GT_OLD.format(30), GT_OLD.format(60)),
    ("bash", GT_CMD, 1, GT_FAIL.format(60, 64, 64, 65), 66.0),
    ("edit", GT, GT_OLD.format(60), GT_OLD.format(120)),
    ("bash", GT_CMD, 1, GT_FAIL.format(120, 124, 124, 125), 126.0),
    (
        "say",
        "Two minutes and the phase is still Pending, so time is not the problem: Reconcile sets backup.Status.Phase on its local copy and returns without calling r.Status().Update, so the API server never sees Completed.",
        "mundane",
    ),
    (
        "edit",
        "internal/controller/backup_controller.go",
        "\tbackup.Status.Phase = backupv1.PhaseCompleted\n\treturn ctrl.Result{}, nil",
        "\tbackup.Status.Phase = backupv1.PhaseCompleted\n\tif err := r.Status().Update(ctx, &backup); err != nil {\n\t\treturn ctrl.Result{}, err\n\t}\n\treturn ctrl.Result{}, nil",
    ),
    (
        "bash",
        GT_CMD,
        0,
        "Ran 6 of 6 Specs in 3.114 seconds\nSUCCESS! -- 6 Passed | 0 Failed | 0 Pending | 0 Skipped\nPASS\nok  \tgithub.com/quarrylane/backup-operator/internal/controller\t3.870s",
    ),
    ("say", "The status update is persisted now and the spec passes in about three seconds.", "non_claim"),
]

KD = "kubectl -n ingest-system rollout status deploy/ingest-controller-manager --timeout={}"
KD_FAIL = 'Waiting for deployment "ingest-controller-manager" rollout to finish: 0 of 1 updated replicas are available...\nerror: timed out waiting for the condition'
S_KIND = [
    ("user", "make deploy on the kind cluster never finishes the rollout. Get the e2e job going please.", "report"),
    (
        "bash",
        "kind load docker-image ghcr.io/quarrylane/ingest-operator:dev --name e2e && make deploy IMG=ghcr.io/quarrylane/ingest-operator:dev",
        0,
        'Image: "ghcr.io/quarrylane/ingest-operator:dev" with ID "sha256:5e1f" not yet present on node "e2e-control-plane", loading...\ndeployment.apps/ingest-controller-manager configured',
    ),
    ("bash", KD.format("60s"), 1, KD_FAIL, 61.2),
    ("bash", KD.format("180s"), 1, KD_FAIL, 181.0),
    ("say", "kind clusters are notoriously slow on Docker Desktop, so the rollout just needs longer.", "exotic"),
    ("bash", KD.format("300s"), 1, KD_FAIL, 301.4),
    ("bash", KD.format("600s"), 1, KD_FAIL, 601.9),
    (
        "say",
        "I've stopped raising the timeout; the pod never turns Ready, so the next thing to read is the readiness probe in config/manager/manager.yaml.",
        "non_claim",
    ),
]

PIO = "pio test -e esp32dev -f test_ota_rollback"
PIO_PART = "Processing test_ota_rollback in esp32dev environment\n--------------------------------------------------------------------------------\nBuilding & Uploading...\nTesting...\nIf you don't see any output for the first 10 secs, please reset board (press reset button)\n\ntest/test_ota_rollback/test_main.cpp:41: test_mark_valid_after_boot\t[PASSED]"
S_PIO = [
    ("user", "pio test for the OTA rollback suite hangs on the board on my desk. Fix it?", "report"),
    ("bash_t", PIO, 120000, None, PIO_PART),
    ("bash_t", PIO, 300000, None, PIO_PART),
    ("say", "Probably the CH340 USB-serial driver on this machine dropping the connection mid-test.", "exotic"),
    ("bash_t", PIO, 480000, None, PIO_PART),
    ("bash_t", PIO, 600000, None, PIO_PART),
    (
        "say",
        "test_rollback_after_failed_boot waits for ROLLBACK_DONE on the serial port, but ota_manager.cpp prints it only when CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE is set, and the esp32dev test env in platformio.ini doesn't set it.",
        "mundane",
    ),
    (
        "edit",
        "platformio.ini",
        "[env:esp32dev]\nbuild_flags = -DCORE_DEBUG_LEVEL=3",
        "[env:esp32dev]\nbuild_flags = -DCORE_DEBUG_LEVEL=3 -DCONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE=1",
    ),
    (
        "bash_t",
        PIO,
        600000,
        0,
        "test/test_ota_rollback/test_main.cpp:41: test_mark_valid_after_boot\t[PASSED]\ntest/test_ota_rollback/test_main.cpp:58: test_rollback_after_failed_boot\t[PASSED]\n------------------------------------------------------------------ esp32dev:test_ota_rollback [PASSED] Took 38.12 seconds\n=================== 2 test cases: 2 succeeded in 00:00:38.120 ===================",
    ),
]

SP_CMD = "pytest tests/test_sessionize.py -q"
S_SPARK = [
    ("user", "tests/test_sessionize.py times out in my shell. Get it to pass.", "report"),
    ("bash_t", SP_CMD, 60000, None, "tests/test_sessionize.py .."),
    ("say", "Spark's local mode spins up a fresh JVM for the session, so the first run is always slow.", "exotic"),
    ("bash_t", SP_CMD, 180000, None, "tests/test_sessionize.py ..."),
    ("bash_t", SP_CMD, 420000, None, "tests/test_sessionize.py ...."),
    ("bash_t", SP_CMD, 900000, 0, "tests/test_sessionize.py ......\n6 passed in 611.42s (0:10:11)"),
    (
        "say",
        [
            ("Done:", "non_claim"),
            ("- `tests/test_sessionize.py` passes (6 tests, ~10 min)", "non_claim"),
            ("- Tool timeout raised to 15 minutes for this suite", "non_claim"),
            ("- No changes to `jobs/sessionize.py`", "non_claim"),
        ],
        "\n",
    ),
]

AF = "airflow dags test nightly_export 2026-11-05 > /tmp/dagtest.log 2>&1"
AF_LOG = '[2026-11-06T09:14:03.112+0000] {taskinstance.py:2905} ERROR - Task failed with exception\nTraceback (most recent call last):\n  File "/opt/airflow/dags/nightly_export.py", line 61, in upload_parquet\n    bucket = Variable.get("export_bucket")\nKeyError: \'Variable export_bucket does not exist\'\n[2026-11-06T09:14:03.130+0000] {taskinstance.py:1206} INFO - Marking task as UP_FOR_RETRY. dag_id=nightly_export, task_id=upload_parquet'
S_AIRFLOW = [
    ("user", "The nightly_export DAG goes into retries when I test it locally. Have a look.", "report"),
    ("bg", AF, "bq4t7n2ka"),
    ("bash", "sleep 30 && tail -15 /tmp/dagtest.log", 0, AF_LOG, 30.1),
    ("bg", AF, "bw8m1c5rj"),
    ("bash", "sleep 90 && tail -15 /tmp/dagtest.log", 0, AF_LOG, 90.1),
    (
        "say",
        "Airflow's scheduler is probably still catching up on the retries, so I'll give it longer before reading the log.",
        "exotic",
    ),
    ("bg", AF, "bz3p6v9ue"),
    ("bash", "sleep 240 && tail -15 /tmp/dagtest.log", 0, AF_LOG, 240.1),
    ("bg", AF, "bk2d5x8mo"),
    ("bash", "sleep 480 && tail -15 /tmp/dagtest.log", 0, AF_LOG, 480.1),
    ("say", "Eight minutes later upload_parquet is still up for retry with the same KeyError.", "non_claim"),
]

WR = "npx wrangler dev --port 8787 > /tmp/wrangler.log 2>&1 & sleep {} && curl -sf http://localhost:8787/health"
WR_FAIL = "curl: (22) The requested URL returned error: 404"
S_WRANGLER = [
    ("user", "The local health check against wrangler dev fails. Make the smoke script pass.", "report"),
    ("bash", WR.format(5), 22, WR_FAIL, 6.0),
    ("bash", WR.format(15), 22, WR_FAIL, 16.0),
    (
        "say",
        "Wrangler's local runtime (workerd) takes a while to compile the bundle on first start, so the health check is probably firing too early.",
        "exotic",
    ),
    ("bash", WR.format(30), 22, WR_FAIL, 31.0),
    ("bash", WR.format(60), 22, WR_FAIL, 61.0),
    (
        "say",
        "A 404 after a minute means the worker is up and answering: the router in src/index.ts only registers GET /healthz, so /health falls through to the not-found handler.",
        "mundane",
    ),
    (
        "edit",
        "src/index.ts",
        'router.get("/healthz", health);',
        'router.get("/healthz", health);\nrouter.get("/health", health);',
    ),
    ("bash", WR.format(60), 0, '{"ok":true,"version":"2026.11.2"}', 61.0),
    ("say", "The smoke check gets its 200 now.", "non_claim"),
]

DU = "test/test_pool.ml"
DU_OLD = "  Lwt_unix.with_timeout {} (fun () -> Pool.use pool (fun c -> Db.exec c q))"
DU_CMD = "dune test"
DU_FAIL = "Testing `pool'.\nThis run has ID `Q7TZ1M4E'.\n\n  [OK]          pool          0   acquires.\n  [OK]          pool          1   releases.\n> [FAIL]        pool          2   releases on error.\n  [OK]          pool          3   reuses.\n\n[exception] Lwt_unix.Timeout\n\n1 failure! in {}s. 4 tests run."
S_DUNE_1 = [
    ("user", "test_pool's 'releases on error' case hangs and times out. Look into it.", "report"),
    ("bash", DU_CMD, 1, DU_FAIL.format("2.013"), 3.1),
    ("edit", DU, DU_OLD.format("2.0"), DU_OLD.format("5.0")),
    ("bash", DU_CMD, 1, DU_FAIL.format("5.021"), 6.0),
    ("say", "Lwt's libev backend is probably starving the timer on this machine.", "exotic"),
    ("say", "Still timing out at five seconds; I'll carry on with this tomorrow.", "non_claim"),
]
S_DUNE_2 = [
    ("user", "Back on the pool timeout from yesterday.", "not_report"),
    ("edit", DU, DU_OLD.format("5.0"), DU_OLD.format("15.0")),
    ("bash", DU_CMD, 1, DU_FAIL.format("15.030"), 16.2),
    ("edit", DU, DU_OLD.format("15.0"), DU_OLD.format("30.0")),
    ("bash", DU_CMD, 1, DU_FAIL.format("30.044"), 31.5),
    (
        "say",
        "Pool.use never gives the connection back when the callback raises, so after test 2's failing query the pool of two is empty and the next acquire waits forever.",
        "mundane",
    ),
    (
        "edit",
        "lib/pool.ml",
        "  let* r = f c in\n  release t c;\n  Lwt.return r",
        "  Lwt.finalize (fun () -> f c) (fun () -> release t c; Lwt.return_unit)",
    ),
    (
        "bash",
        DU_CMD,
        0,
        "Testing `pool'.\n\n  [OK]          pool          0   acquires.\n  [OK]          pool          1   releases.\n  [OK]          pool          2   releases on error.\n  [OK]          pool          3   reuses.\n\nTest Successful in 0.031s. 4 tests run.",
    ),
]

ES = 'curl -s "http://localhost:9200/_cluster/health?wait_for_status=green&timeout={}" || true'
ES_YELLOW = '{{"cluster_name":"docker-cluster","status":"yellow","timed_out":true,"number_of_nodes":1,"number_of_data_nodes":1,"active_primary_shards":5,"active_shards":5,"relocating_shards":0,"initializing_shards":0,"unassigned_shards":5,"active_shards_percent_as_number":50.0,"waited":"{}"}}'
S_ES = [
    (
        "user",
        "The indexer's integration setup waits for a green cluster and never gets it. Fix the setup step.",
        "report",
    ),
    ("bash", ES.format("30s"), 0, ES_YELLOW.format("30s"), 30.2),
    ("bash", ES.format("90s"), 0, ES_YELLOW.format("90s"), 90.2),
    ("bash", ES.format("180s"), 0, ES_YELLOW.format("180s"), 180.3),
    ("bash", ES.format("300s"), 0, ES_YELLOW.format("300s"), 300.2),
    (
        "say",
        "It will never turn green: es/templates/products.json asks for number_of_replicas: 1, and a single-node cluster has nowhere to put the replicas, which is exactly the five unassigned shards.",
        "mundane",
    ),
    ("edit", "es/templates/products.json", '"number_of_replicas": 1', '"number_of_replicas": 0'),
    (
        "bash",
        ES.format("300s"),
        0,
        '{"cluster_name":"docker-cluster","status":"green","timed_out":false,"number_of_nodes":1,"active_primary_shards":5,"active_shards":5,"unassigned_shards":0}',
        2.1,
    ),
    (
        "say",
        "The cluster is green; a multi-node cluster in CI could keep one replica through an override of the template.",
        "non_claim",
    ),
]

NT = "internal/stream/consumer.go"
NT_OLD = "const fetchWait = {} * time.Second"
NT_CMD = "go test ./internal/stream -run TestConsumerDrainsBacklog -count=1"
NT_FAIL = "--- FAIL: TestConsumerDrainsBacklog ({}.04s)\n    consumer_test.go:58: fetch: nats: timeout\nFAIL\nFAIL\tgithub.com/quarrylane/order-events/internal/stream\t{}.311s\nFAIL"
S_NATS = [
    ("user", "El test TestConsumerDrainsBacklog falla siempre con nats: timeout. ¿Puedes arreglarlo?", "report"),
    ("bash", NT_CMD, 1, NT_FAIL.format(2, 2), 3.0),
    ("edit", NT, NT_OLD.format(2), NT_OLD.format(5)),
    ("bash", NT_CMD, 1, NT_FAIL.format(5, 5), 6.0),
    (
        "say",
        "Seguramente el servidor NATS embebido tarda en arrancar JetStream en esta máquina; subo el tiempo de espera.",
        "exotic",
    ),
    ("edit", NT, NT_OLD.format(5), NT_OLD.format(15)),
    ("bash", NT_CMD, 1, NT_FAIL.format(15, 15), 16.0),
    ("edit", NT, NT_OLD.format(15), NT_OLD.format(30)),
    ("bash", NT_CMD, 1, NT_FAIL.format(30, 30), 31.0),
    (
        "say",
        "El consumidor durable filtra por orders.*, pero el publicador escribe orders.eu.created, que tiene dos tokens después del prefijo: el filtro tiene que ser orders.>.",
        "mundane",
    ),
    ("edit", NT, '\tFilterSubject: "orders.*",', '\tFilterSubject: "orders.>",'),
    ("bash", NT_CMD, 0, "ok  \tgithub.com/quarrylane/order-events/internal/stream\t0.412s"),
    ("say", "Listo: el test pasa en medio segundo.", "non_claim"),
]

KA = "karma.conf.js"
KA_OLD = "    browserNoActivityTimeout: {},"
KA_CMD = "npx ng test --watch=false --browsers=ChromeHeadless"
KA_FAIL = "16 11 2026 10:02:41.118:INFO [launcher]: Starting browser ChromeHeadless\nChrome Headless 131.0.6778.85 (Linux x86_64) ERROR\n  Disconnected , because no message in {} ms.\nChrome Headless 131.0.6778.85 (Linux x86_64): Executed 212 of 340 DISCONNECTED ({} secs / {} secs)"
S_KARMA = [
    ("user", "ng test dies halfway with 'Disconnected, because no message in 30000 ms'. Please fix.", "report"),
    ("say", "Can you run the suite with /test so I can see the whole output?", "non_claim"),
    ("bash", KA_CMD, 1, KA_FAIL.format(30000, "30.4", "28.1")),
    (
        "say",
        "Karma's launcher for headless Chrome is known to be flaky in containers, so a longer no-activity window should steady it.",
        "exotic",
    ),
    ("edit", KA, KA_OLD.format(30000), KA_OLD.format(60000)),
    ("bash", KA_CMD, 1, KA_FAIL.format(60000, "60.7", "58.3")),
    ("say", "Let's double it again.", "non_claim"),
    ("edit", KA, KA_OLD.format(60000), KA_OLD.format(120000)),
    ("bash", KA_CMD, 1, KA_FAIL.format(120000, "2 mins 0.9", "1 min 58.6")),
    ("say", "One more raise, to five minutes.", "non_claim"),
    ("edit", KA, KA_OLD.format(120000), KA_OLD.format(300000)),
    (
        "bash",
        KA_CMD,
        0,
        "Chrome Headless 131.0.6778.85 (Linux x86_64): Executed 340 of 340 SUCCESS (4 mins 12.6 secs / 4 mins 10.9 secs)\nTOTAL: 340 SUCCESS",
    ),
    ("say", "All 340 specs pass with the five-minute window.", "non_claim"),
]


# ================================================================ not spirals

RC = "colcon test --packages-select nav_planner --event-handlers console_direct+ && colcon test-result --verbose"
S_NS_ROS = [
    ("user", "nav_planner's integration test started failing in colcon. Check what's going on.", "report"),
    (
        "bash",
        RC,
        1,
        "2/3 Test #2: test_planner_integration .........***Timeout 240.03 sec\n\n67% tests passed, 1 tests failed out of 3\n\nThe following tests FAILED:\n\t  2 - test_planner_integration (Timeout)\nSummary: 3 tests, 0 errors, 1 failure, 0 skipped",
    ),
    (
        "bash",
        "grep -h 'test_planner_integration' log/test_2026-11-1*/nav_planner/stdout_stderr.log | grep Passed",
        0,
        "2/3 Test #2: test_planner_integration .........   Passed  231.70 sec\n2/3 Test #2: test_planner_integration .........   Passed  236.92 sec\n2/3 Test #2: test_planner_integration .........   Passed  228.41 sec",
    ),
    (
        "say",
        "The last three green runs took 228–237 s against a 240 s ctest limit, since the scenario set grew to 40 maps last week, so the limit in our CMakeLists.txt is what fails; I'm raising it once, to 420 s, which leaves headroom over the measured time.",
        "mundane",
    ),
    ("edit", "src/nav_planner/CMakeLists.txt", "  TIMEOUT 240", "  TIMEOUT 420"),
    (
        "bash",
        RC,
        0,
        "3/3 Test #3: test_costmap ......................   Passed    4.12 sec\n\n100% tests passed, 0 tests failed out of 3\nSummary: 3 tests, 0 errors, 0 failures, 0 skipped",
    ),
]

PK = "aws-ubuntu.pkr.hcl"
PK_OLD = '  ssh_timeout          = "{}"'
PK_OK = "The configuration is valid."
S_NS_PACKER = [
    (
        "user",
        "Security wants longer SSH and boot windows on the golden image builds: take ssh_timeout to 10m for now.",
        "not_report",
    ),
    ("edit", PK, PK_OLD.format("5m"), PK_OLD.format("10m")),
    ("bash", "packer validate .", 0, PK_OK),
    ("user", "They came back and want 20m.", "not_report"),
    ("edit", PK, PK_OLD.format("10m"), PK_OLD.format("20m")),
    ("bash", "packer validate .", 0, PK_OK),
    ("user", "Final answer from them: 30m, and note it in the README.", "not_report"),
    ("edit", PK, PK_OLD.format("20m"), PK_OLD.format("30m")),
    ("bash", "packer validate .", 0, PK_OK),
    ("say", "ssh_timeout is 30m in aws-ubuntu.pkr.hcl and packer validate is happy.", "non_claim"),
    (
        "say",
        "Note: after the next build AWS may take a few minutes to make the AMI visible in the other regions.",
        "non_claim",
    ),
]

CH = "clickhouse-client --progress --query \"INSERT INTO events_daily SELECT toDate(ts) AS day, site_id, count() FROM events WHERE ts >= '2026-11-01' GROUP BY day, site_id\""
S_NS_CLICKHOUSE = [
    ("user", "Backfill events_daily for November on the staging ClickHouse and tell me the row count.", "not_report"),
    ("bash", CH, None, "Progress: 41.20 million rows, 1.98 GB (8.21 million rows/s., 394.62 MB/s.)  9%"),
    ("poll", CH, 30000, None, "Progress: 212.77 million rows, 10.21 GB (7.09 million rows/s., 340.40 MB/s.)  44%"),
    ("poll", CH, 60000, None, "Progress: 388.03 million rows, 18.63 GB (6.46 million rows/s., 310.45 MB/s.)  81%"),
    ("poll", CH, 120000, None, "Progress: 471.55 million rows, 22.64 GB (5.23 million rows/s., 251.10 MB/s.)  98%"),
    (
        "poll",
        CH,
        300000,
        0,
        "Ok.\n0 rows in set. Elapsed: 91.342 sec. Processed 480.12 million rows, 23.05 GB (5.26 million rows/s., 252.35 MB/s.)",
    ),
    ("bash", "clickhouse-client --query \"SELECT count() FROM events_daily WHERE day >= '2026-11-01'\"", 0, "18342"),
    ("say", "The backfill processed 480 million events into 18,342 daily rows.", "non_claim"),
    (
        "say",
        "Merges will keep running in the background for a while; queries return correct totals meanwhile.",
        "non_claim",
    ),
]

FB = "jest.config.js"
FB_OLD = "  testTimeout: {},"
FB_CMD = 'firebase emulators:exec --only firestore,auth "npx jest tests/rules"'
S_NS_FIREBASE = [
    (
        "user",
        "The Firestore rules tests take forever before they fail. Make them fail fast and then fix them.",
        "report",
    ),
    (
        "bash",
        FB_CMD,
        1,
        '  ● invites › member can read own invite\n\n    thrown: "Exceeded timeout of 60000 ms for a test.\n\nTests:       1 failed, 17 passed, 18 total\nTime:        64.118 s\nError: Script exited unsuccessfully (code 1)',
        66.0,
    ),
    ("say", "The Firestore emulator is just slow on macOS, which is why each failure takes a minute.", "exotic"),
    ("edit", FB, FB_OLD.format(60000), FB_OLD.format(10000)),
    (
        "bash",
        FB_CMD,
        1,
        '  ● invites › member can read own invite\n\n    thrown: "Exceeded timeout of 10000 ms for a test.\n\nTests:       1 failed, 17 passed, 18 total\nTime:        12.402 s\nError: Script exited unsuccessfully (code 1)',
        14.0,
    ),
    (
        "say",
        "With ten seconds it fails quickly, and the cause is in the test: assertSucceeds(getDoc(ref)) is never awaited, so Jest waits on a dangling promise until the timeout.",
        "mundane",
    ),
    (
        "edit",
        "tests/rules/invites.test.ts",
        "    assertSucceeds(getDoc(ref));",
        "    await assertSucceeds(getDoc(ref));",
    ),
    ("bash", FB_CMD, 0, "Tests:       18 passed, 18 total\nTime:        3.911 s"),
]

JL_CMD = "julia --project -e 'using Pkg; Pkg.test()'"
S_NS_JULIA = [
    ("user", "Pkg.test() on Orbits.jl is red after the channel refactor. Get it green.", "report"),
    (
        "bash",
        JL_CMD,
        1,
        "Test Summary:      | Pass  Fail  Total   Time\nchannels           |    7     1      8   6.2s\n  propagator feed  |    2     1      3   5.4s\nERROR: LoadError: Some tests did not pass: 7 passed, 1 failed, 0 errored, 0 broken.\ntest/test_channels.jl:33: timedwait returned :timed_out",
    ),
    (
        "edit",
        "test/test_channels.jl",
        "    @test timedwait(() -> isready(feed), 5.0) == :ok",
        "    @test timedwait(() -> isready(feed), 10.0) == :ok",
    ),
    (
        "bash",
        JL_CMD,
        1,
        "Test Summary:  | Pass  Fail  Total   Time\nfetch          |    3     1      4  5.1s\nERROR: LoadError: HTTP.Exceptions.TimeoutError: Connection closed after 5 seconds\nStacktrace:\n [1] fetch_tle(url::String) @ Orbits ~/work/Orbits.jl/src/fetch.jl:22",
    ),
    ("edit", "src/fetch.jl", "    resp = HTTP.get(url; readtimeout=5)", "    resp = HTTP.get(url; readtimeout=15)"),
    (
        "bash_t",
        JL_CMD,
        120000,
        None,
        "Precompiling project...\n  ✓ Orbits\n  48 dependencies successfully precompiled in 104 seconds",
    ),
    (
        "bash_t",
        JL_CMD,
        600000,
        0,
        "Test Summary: | Pass  Total   Time\nOrbits.jl     |   61     61  41.9s\n     Testing Orbits tests passed",
    ),
    ("say", "All 61 tests pass; the first run spent most of its time precompiling dependencies.", "non_claim"),
]

CQ = "docker compose up -d cassandra && sleep {} && cqlsh -f schema/ledger.cql"
CQ_FAIL = "Connection error: ('Unable to connect to any servers', {'127.0.0.1:9042': ConnectionRefusedError(111, \"Tried connecting to [('127.0.0.1', 9042)]. Last error: Connection refused\")})"
S_NS_CASSANDRA = [
    ("user", "Loading the ledger schema into the local Cassandra fails. Make the bootstrap script work.", "report"),
    ("bash", CQ.format(30), 1, CQ_FAIL, 31.0),
    (
        "bash",
        "docker compose logs cassandra | grep -m1 'Starting listening for CQL clients'",
        0,
        "cassandra-1  | INFO  [main] 2026-11-18 09:12:48,870 PipelineConfigurator.java:125 - Starting listening for CQL clients on /0.0.0.0:9042 (unencrypted)...",
    ),
    (
        "say",
        "cqlsh ran before Cassandra had finished starting: the container came up at 09:12:00 and the log shows it listening for CQL clients only at 09:12:48.",
        "legit",
    ),
    ("bash", CQ.format(60), 0, "", 61.0),
    (
        "say",
        "A fixed sleep will break again on a slower laptop, so I'm replacing it with a wait on cqlsh itself.",
        "non_claim",
    ),
    (
        "bash",
        "docker compose up -d cassandra && until cqlsh -e 'describe keyspaces' >/dev/null 2>&1; do sleep 2; done && cqlsh -f schema/ledger.cql",
        0,
        "",
        47.0,
    ),
]


# ================================================================ explanations


def fails(opening: str, items: list) -> list:
    """An explanation session: a request, then (command, exit code, output, said...) blocks."""
    steps: list = [("user", opening, "not_report")]
    for cmd, code, out, *said in items:
        steps.append(("bash", cmd, code, out))
        steps.extend(said)
    return steps


RBAC_OUT = '--- FAIL: TestE2E/backup_creates_cronjob (31.02s)\n    e2e_test.go:88: cronjobs.batch "nightly-db" is forbidden: User "system:serviceaccount:backup-system:backup-controller-manager" cannot create resource "cronjobs" in API group "batch" in the namespace "db"'
EXPL_OPERATORS = fails(
    "Run the operator's unit and e2e suites one after the other and explain anything that fails.",
    [
        (
            "make test-e2e",
            2,
            RBAC_OUT,
            (
                "say",
                "Looks like the kind node image has a broken containerd snapshotter again; kindest/node 1.31 had that.",
                "exotic",
            ),
            (
                "bash",
                "grep -n 'kubebuilder:rbac' internal/controller/backup_controller.go",
                0,
                "31:// +kubebuilder:rbac:groups=batch,resources=jobs,verbs=get;list;watch;create;update;patch;delete\n32:// +kubebuilder:rbac:groups=backup.quarrylane.io,resources=backups,verbs=get;list;watch;update;patch",
            ),
            (
                "say",
                [
                    ("So it's not the cluster after all.", "non_claim"),
                    (
                        "config/rbac/role.yaml is generated from the +kubebuilder:rbac markers, and backup_controller.go has a marker for batch/jobs but none for batch/cronjobs, so the manager's ServiceAccount can't create them.",
                        "mundane",
                    ),
                ],
                " ",
            ),
        ),
        (
            "make test-e2e",
            2,
            'Warning  Failed     12s (x3 over 51s)  kubelet  Failed to pull image "docker.io/library/postgres:16": failed to pull and unpack image "docker.io/library/postgres:16": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/postgres/manifests/sha256:9a1c: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.\nWarning  Failed     12s (x3 over 51s)  kubelet  Error: ImagePullBackOff',
            (
                "say",
                "Docker Hub is rate-limiting anonymous pulls from this IP (429 toomanyrequests in the kubelet event), so the postgres fixture image never arrives.",
                "legit",
            ),
            (
                "say",
                "I'll preload it with kind load docker-image so the e2e run stops pulling from Docker Hub at all.",
                "non_claim",
            ),
        ),
        (
            "go test ./internal/... -count=1",
            1,
            "--- FAIL: TestRetentionPrunesOldBackups (0.41s)\n    retention_test.go:64: expected 3 backups to remain, got 4\nFAIL\tgithub.com/quarrylane/backup-operator/internal/retention\t0.612s",
            (
                "say",
                "controller-runtime's informer cache probably hands back stale objects under load, which would explain the extra backup.",
                "exotic",
            ),
            (
                "say",
                "Actually the test builds its list with a fake client, no cache involved: Prune sorts by CreationTimestamp ascending and then keeps the first three, which are the oldest ones.",
                "mundane",
            ),
        ),
        (
            "go test ./internal/webhook/... -count=1",
            1,
            '--- FAIL: TestDefaulting (2.11s)\n    webhook_test.go:40: Internal error occurred: failed calling webhook "mbackup.kb.io": failed to call webhook: Post "https://127.0.0.1:38117/mutate-backup-quarrylane-io-v1-backup?timeout=10s": tls: failed to verify certificate: x509: certificate signed by unknown authority',
            (
                "say",
                "The webhook test builds its own serving certs, and suite_test.go passes testEnv.WebhookInstallOptions.LocalServingCertDir to the manager but not the CA bundle to the client config, so the API server can't verify our server.",
                "mundane",
            ),
        ),
        (
            "kind create cluster --name e2e --config hack/kind.yaml",
            1,
            'ERROR: failed to create cluster: failed to ensure docker network: command "docker network create -d=bridge --ipv6 --subnet fc00:f853:ccd:e793::/64 kind" failed with error: exit status 1\nCommand Output: Error response from daemon: Pool overlaps with other one on this address space',
            (
                "say",
                "Docker refuses the kind network because its subnet overlaps an existing bridge, as the daemon says; an old network from another tool is holding that range.",
                "legit",
            ),
            (
                "say",
                "If you'd rather not delete it, set networking.ipFamily: ipv4 in hack/kind.yaml and kind will skip the IPv6 pool.",
                "non_claim",
            ),
        ),
        (
            "go test ./internal/stream/... -count=1 -race",
            1,
            "WARNING: DATA RACE\nWrite at 0x00c0001b4090 by goroutine 41:\n  github.com/quarrylane/backup-operator/internal/stream.(*Batcher).Add()\n      /home/greta/src/backup-operator/internal/stream/batcher.go:48 +0x11c\nPrevious read at 0x00c0001b4090 by goroutine 39:\n  github.com/quarrylane/backup-operator/internal/stream.(*Batcher).flushLoop()\n      /home/greta/src/backup-operator/internal/stream/batcher.go:71 +0x8a\n--- FAIL: TestBatcherFlushes (0.03s)\n    testing.go:1398: race detected during execution of test",
            (
                "say",
                "Go's scheduler is preempting at an unlucky point; this kind of thing only shows up with -race.",
                "exotic",
            ),
            (
                "say",
                "Batcher.Add appends to b.pending without holding b.mu, while flushLoop reads it under the lock.",
                "mundane",
            ),
        ),
        (
            "make test && make test-e2e",
            0,
            "ok  \tgithub.com/quarrylane/backup-operator/internal/controller\t4.102s\nok  \tgithub.com/quarrylane/backup-operator/internal/retention\t0.388s\nok  \tgithub.com/quarrylane/backup-operator/internal/stream\t1.214s\nok  \tgithub.com/quarrylane/backup-operator/test/e2e\t142.771s",
            (
                "say",
                [
                    ("All green now. What changed:", "non_claim"),
                    ("- RBAC marker for batch/cronjobs (config/rbac/role.yaml regenerated)", "non_claim"),
                    ("- postgres:16 preloaded into kind, so the e2e run no longer pulls from Docker Hub", "non_claim"),
                    ("- Prune keeps the newest three backups", "non_claim"),
                    ("- Batcher.Add takes the mutex", "non_claim"),
                ],
                "\n",
            ),
        ),
    ],
)

EMB_MONITOR = "pio run -e esp32dev -t upload -t monitor"
EXPL_EMBEDDED = fails(
    "Flash and test the firmware targets one by one and tell me what breaks.",
    [
        (
            EMB_MONITOR,
            1,
            "A fatal error occurred: Could not open /dev/ttyUSB0, the port doesn't exist\n*** [upload] Error 2",
            (
                "say",
                "The board isn't enumerated: esptool can't find /dev/ttyUSB0 at all, so it's unplugged or it came up under another name.",
                "legit",
            ),
            ("say", "Which USB port is the DevKitC on, the hub or the laptop itself?", "non_claim"),
        ),
        (
            "west flash -d build/nrf52840dk",
            1,
            "-- runners.nrfjprog: Flashing file: build/nrf52840dk/zephyr/zephyr.hex\nERROR: Unable to connect to a debugger.\nERROR: JLinkARM DLL reported an error. Try again. If error condition\nERROR: persists, run the same command again with argument --log, contact Nordic\nFATAL ERROR: command exited with status 33: nrfjprog --program build/nrf52840dk/zephyr/zephyr.hex --sectoranywhere --verify -f NRF52 --snr 1050288313",
            (
                "say",
                "nrfjprog can't reach the J-Link on the DK (it says it's unable to connect to a debugger), so the probe is unplugged or held by another process.",
                "legit",
            ),
        ),
        (
            "twister -T tests/sensor -p native_sim",
            1,
            "INFO    - 1/4 native_sim              tests/sensor/sensor.filter.median           FAILED rc=1 (native 0.021s)\nERROR   - see: twister-out/native_sim/tests/sensor/sensor.filter.median/handler.log\nhandler.log: Assertion failed at tests/sensor/src/main.c:52: test_median_of_even_window: (median(w, 4) not equal to 15)\nmedian(w, 4) = 10",
            ("say", "I'd bet the Zephyr SDK's toolchain is miscompiling this at -Os.", "exotic"),
            (
                "say",
                "No, it's native_sim, so the host gcc built it: median() returns w[n/2 - 1] for even windows instead of averaging the two middle values.",
                "mundane",
            ),
        ),
        (
            "idf.py build",
            1,
            "/home/greta/src/tidepool-fw/components/uplink/uplink.c:118:5: error: implicit declaration of function 'esp_wifi_sta_get_rssi' [-Wimplicit-function-declaration]\nninja: build stopped: subcommand failed.",
            ("say", "ESP-IDF 5.3 probably broke the Wi-Fi headers in the last point release.", "exotic"),
            (
                "say",
                "uplink.c uses esp_wifi_sta_get_rssi but only includes esp_wifi_types.h, not esp_wifi.h where it is declared.",
                "mundane",
            ),
        ),
        (
            "pio test -e native",
            1,
            "test/test_ringbuf/test_main.c:27: test_wraps_around: Expected 7 Was 0\n-------- native:test_ringbuf [FAILED] Took 0.84 seconds --------",
            ("say", "Classic memory corruption from the host's ASLR, native tests are like that.", "exotic"),
            (
                "say",
                "ringbuf_push masks the head with (RB_SIZE - 1) but RB_SIZE is 12, not a power of two, so index 7 lands in slot 0.",
                "mundane",
            ),
        ),
        (
            "idf.py -p /dev/ttyACM0 flash",
            2,
            "serial.serialutil.SerialException: [Errno 13] could not open port /dev/ttyACM0: [Errno 13] Permission denied: '/dev/ttyACM0'",
            (
                "say",
                "Your user can't open /dev/ttyACM0 (Permission denied); adding it to the dialout group and logging in again fixes that.",
                "legit",
            ),
        ),
        (
            "idf.py -p /dev/ttyUSB0 flash",
            2,
            "Connecting......................................\nA fatal error occurred: Failed to connect to ESP32: Wrong boot mode detected (0x13)! The chip needs to be in download mode.",
            (
                "say",
                "The ESP32 isn't entering download mode (esptool reports wrong boot mode 0x13), so hold BOOT while it connects; this board's auto-reset circuit isn't pulling GPIO0 low.",
                "legit",
            ),
        ),
        (
            "idf.py build",
            2,
            "CMake Error at CMakeLists.txt:7 (include):\n  include could not find requested file:\n\n    /tools/cmake/project.cmake",
            ("say", "Looks like last night's apt upgrade broke CMake.", "exotic"),
            (
                "say",
                "The path starts at /tools, so IDF_PATH is empty in this shell: export.sh was never sourced here, and sourcing it fixes the include.",
                "legit",
            ),
        ),
        (
            "idf.py build",
            1,
            "/home/greta/.espressif/tools/xtensa-esp-elf/esp-13.2.0/xtensa-esp-elf/bin/../lib/gcc/xtensa-esp-elf/13.2.0/../../../../xtensa-esp-elf/bin/ld: tidepool-fw.elf section `.dram0.bss' will not fit in region `dram0_0_seg'\nregion `dram0_0_seg' overflowed by 2304 bytes",
            (
                "say",
                "The linker says .dram0.bss overflows DRAM by 2304 bytes; our new 4 KB static rx_frames buffer in uplink.c is what pushed it over.",
                "mundane",
            ),
            (
                "say",
                [
                    ("Plan:", "non_claim"),
                    ("1. Move rx_frames to PSRAM with EXT_RAM_BSS_ATTR", "non_claim"),
                    ("2. Re-run idf.py size to confirm the headroom", "non_claim"),
                    ("3. Flash and check the uplink on the bench board", "non_claim"),
                ],
                "\n",
            ),
        ),
    ],
)

EXPL_DATA = fails(
    "Work through the analytics pipeline checks (dbt, Spark, Airflow) and explain each failure.",
    [
        (
            "dbt build --select stg_orders+",
            1,
            "Compilation Error in model stg_orders (models/staging/stg_orders.sql)\n  Model 'model.analytics.stg_orders' (models/staging/stg_orders.sql) depends on a node named 'stg_customer' which was not found",
            (
                "say",
                "macOS's case-insensitive filesystem is probably hiding a second Staging folder from dbt.",
                "exotic",
            ),
            ("say", "stg_orders.sql refs 'stg_customer', but the model file is stg_customers.sql.", "mundane"),
            (
                "say",
                "dbt resolves ref() by model name, not by path, so the folder layout doesn't matter here.",
                "non_claim",
            ),
        ),
        (
            "dbt run --select fct_revenue --target prod",
            1,
            "Database Error in model fct_revenue (models/marts/fct_revenue.sql)\n  000606 (57P03): No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command.\n  Warehouse 'TRANSFORM_WH' cannot be resumed because resource monitor 'MONTHLY_CAP' has exceeded its quota.",
            (
                "say",
                "Snowflake refused to resume TRANSFORM_WH because the MONTHLY_CAP resource monitor is over quota; an account admin has to raise the cap or reset the monitor.",
                "legit",
            ),
        ),
        (
            "dbt test --select fct_revenue",
            1,
            "Failure in test not_null_fct_revenue_net_amount (models/marts/schema.yml)\n  Got 214 results, configured to fail if != 0",
            ("say", "Probably Snowflake's warehouse auto-suspending mid-query and leaving partial rows.", "exotic"),
            (
                "say",
                "fct_revenue left-joins refunds and computes gross - refund_amount, which is NULL for every order without a refund; it needs a coalesce.",
                "mundane",
            ),
        ),
        (
            "pytest tests/test_dedupe.py -q",
            1,
            "FAILED tests/test_dedupe.py::test_keeps_latest_event - AssertionError: assert 3 == 2\n1 failed, 9 passed in 24.81s",
            (
                "say",
                "Spark is dropping rows during the shuffle; I've seen that with adaptive query execution turned on.",
                "exotic",
            ),
            (
                "say",
                "dedupe() calls dropDuplicates(['event_id']) before ordering by ingested_at; a row_number() window ordered by ingested_at desc would keep the latest one.",
                "mundane",
            ),
        ),
        (
            "spark-submit --master local[4] jobs/sessionize.py --date 2026-11-03",
            1,
            "py4j.protocol.Py4JJavaError: An error occurred while calling o142.parquet.\n: java.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)",
            (
                "say",
                "The driver ran out of heap (java.lang.OutOfMemoryError in the trace) with the default 1g spark.driver.memory, while collecting the session index.",
                "legit",
            ),
            (
                "say",
                "Is it fine with you if I pass --driver-memory 4g in the Makefile, or do you want the collect() gone first?",
                "non_claim",
            ),
        ),
        (
            "dbt run --select stg_payments",
            1,
            "Database Error\n  250001 (08001): Failed to connect to DB: quarrylane.eu-central-1.snowflakecomputing.com:443. 390114 (08001): Authentication token has expired.  The user must authenticate again.",
            (
                "say",
                "Your Snowflake session token has expired (390114 in the output), so dbt has to authenticate again before anything runs.",
                "legit",
            ),
            (
                "say",
                "If the warehouse keeps suspending during long dbt runs on your side, set auto_suspend to 300 on TRANSFORM_WH rather than retrying models.",
                "non_claim",
            ),
            ("say", "Should I ask the account admin about the MONTHLY_CAP monitor, or will you?", "non_claim"),
        ),
        (
            "clickhouse-client --queries-file sql/rollup_check.sql",
            210,
            "Code: 210. DB::NetException: Connection refused (localhost:9000). (NETWORK_ERROR)",
            ("say", "ClickHouse Cloud must be having an incident right now.", "exotic"),
        ),
        (
            "airflow dags test partner_sync 2026-11-04",
            1,
            "[2026-11-07T08:02:11.504+0000] {taskinstance.py:2905} ERROR - Task failed with exception\nairflow.exceptions.AirflowNotFoundException: The conn_id `partner_sftp` isn't defined",
            ("say", "Airflow's metadata DB is probably out of sync with the connections UI again.", "exotic"),
            (
                "say",
                "The DAG asks for conn_id partner_sftp, but airflow_settings.yaml defines it as partners_sftp.",
                "mundane",
            ),
        ),
        (
            "clickhouse-client --queries-file sql/rollup_check.sql",
            1,
            "Code: 241. DB::Exception: Memory limit (for query) exceeded: would use 9.32 GiB (attempt to allocate chunk of 4194304 bytes), maximum: 9.31 GiB: While executing AggregatingTransform. (MEMORY_LIMIT_EXCEEDED)",
            (
                "say",
                "ClickHouse hit the per-query memory limit in AggregatingTransform (MEMORY_LIMIT_EXCEEDED), because the rollup groups by the raw user_agent string.",
                "legit",
            ),
        ),
    ],
)

EXPL_LANGS = fails(
    "Run the test suites of the small libraries in this monorepo (R, Julia, OCaml, Zig, Erlang, Clojure) and explain failures.",
    [
        (
            "Rscript -e 'devtools::test()'",
            1,
            '══ Failed tests ════════════════════════════════════════════════════════════════\n── Failure (test-tidal.R:18:3): harmonic fit recovers M2 amplitude ─────────────\n`fit$amp["M2"]` not equal to 1.21.\n1/1 mismatches\n[1] 0.605 - 1.21 == -0.605\n[ FAIL 1 | WARN 0 | SKIP 0 | PASS 23 ]',
            (
                "say",
                "That's R's BLAS on this machine; the reference BLAS gives slightly different least-squares results.",
                "exotic",
            ),
            (
                "say",
                "A factor of exactly two is not rounding: fit_harmonics() returns the peak-to-peak range, and the test expects the amplitude.",
                "mundane",
            ),
            (
                "say",
                "fit_harmonics() solves the least-squares system with qr.solve and returns one value per tidal constituent.",
                "non_claim",
            ),
        ),
        (
            "julia --project=julia/Orbits -e 'using Orbits; Orbits.refresh_cache()'",
            1,
            'ERROR: LoadError: SystemError: opening file "/mnt/nfs/tle/cache.bin": Read-only file system\nStacktrace:\n [1] systemerror(p::String, errno::Int32; extrainfo::Nothing)',
            (
                "say",
                "The cache file lives on an NFS mount that is read-only on this host, as the SystemError says; pointing ORBITS_CACHE at a local directory gets around it.",
                "legit",
            ),
        ),
        (
            "zig build test",
            1,
            "test.ring wraps... thread 18211 panic: index out of bounds: index 16, len 16\n/home/ines/work/monolibs/zig/ring/src/ring.zig:41:24: 0x10424e1 in push (test)\n        self.buf[self.head] = item;\n                       ^\nerror: the following test command crashed:",
            ("say", "The Zig test runner is probably running out of memory on this box.", "exotic"),
            ("say", "push increments head before the wrap check, so head reaches 16 on a 16-slot buffer.", "mundane"),
        ),
        (
            "rebar3 ct --suite=apps/relay/test/relay_SUITE",
            1,
            '%%% relay_SUITE ==> init_per_suite: FAILED\n%%% relay_SUITE ==> {{badmatch,{error,eaddrinuse}},[{relay_SUITE,init_per_suite,1,[{file,"relay_SUITE.erl"},{line,22}]}]}\n\nlsof -i :4369,8080 ->\nCOMMAND   PID  USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\nbeam.smp 8812  ines   23u  IPv4 0x1a2b      0t0  TCP *:8080 (LISTEN)',
            (
                "say",
                "Port 8080 is already taken: the listener fails with eaddrinuse and lsof shows an older beam.smp (pid 8812) still bound to it, probably the dev release you started this morning.",
                "legit",
            ),
        ),
        (
            "clojure -X:test",
            1,
            "FAIL in (transfer-is-atomic) (ledger_test.clj:31)\nexpected: (= 100 (+ (balance a) (balance b)))\n  actual: (not (= 100 90))\n\nRan 14 tests containing 39 assertions.\n1 failures, 0 errors.",
            ("say", "The JVM's JIT is reordering the two swap! calls under contention.", "exotic"),
            ("say", "It isn't the JIT, though: atoms are linearizable on any JVM.", "non_claim"),
            (
                "say",
                "transfer! updates the two accounts with two separate swap! calls on two atoms, so a concurrent reader sees the money in neither; it needs one ref and dosync, or a single atom holding both balances.",
                "mundane",
            ),
        ),
        (
            "dune build @runtest",
            1,
            'File "lib/parse.ml", line 44, characters 4-30:\n44 |     | Tok.Ident s -> Ident s\n         ^^^^^^^^^^^^^^^^^^^^^^^^^^\nError (warning 11 [redundant-case]): this match case is unused.',
            ("say", "The new OCaml 5.2 compiler is stricter about this warning than 4.14 was.", "exotic"),
            (
                "say",
                "The dune file builds with :standard flags, which make warning 11 an error in dev, and the Tok.Ident case really is shadowed by the catch-all two lines above it.",
                "mundane",
            ),
        ),
        (
            "julia --project -e 'using Pkg; Pkg.test()'",
            1,
            'ERROR: LoadError: ArgumentError: Package CSV not found in current path.\n- Run `import Pkg; Pkg.add("CSV")` to install the CSV package.\nin expression starting at /home/ines/work/monolibs/julia/Orbits/test/runtests.jl:3',
            ("say", "Julia's package server is probably having an outage, so CSV never downloaded.", "exotic"),
            (
                "say",
                "test/runtests.jl imports CSV, but CSV is in neither [deps] nor [extras]/[targets] of Project.toml, so the test environment doesn't have it.",
                "mundane",
            ),
        ),
    ],
)

EXPL_POLYGLOT = [
    ("user", "Прогони тесты сервиса уведомлений и объясни, что падает.", "not_report"),
    (
        "bash",
        "go test ./notify/... -count=1",
        1,
        "--- FAIL: TestDigestGroupsByTenant (0.01s)\n    digest_test.go:44: got 3 groups, want 2\nFAIL\tgithub.com/quarrylane/notify/digest\t0.214s",
    ),
    (
        "say",
        "Похоже, это глюк ядра: планировщик Linux перемешивает горутины, и группы собираются в другом порядке.",
        "exotic",
    ),
    (
        "say",
        "Нет, дело в нашем коде: GroupByTenant использует tenant.Name как ключ, а у двух тенантов одинаковое имя в разном регистре.",
        "mundane",
    ),
    (
        "bash",
        "go test ./notify/... -count=1",
        1,
        "--- FAIL: TestSendDigest (0.00s)\n    sender_test.go:29: dial tcp 127.0.0.1:4222: connect: connection refused",
    ),
    ("say", "Скорее всего, это сетевой сбой у провайдера.", "exotic"),
    (
        "say",
        "Хотя нет, провайдер тут ни при чём: 127.0.0.1:4222 — локальный адрес, и connection refused значит, что контейнер NATS просто не запущен.",
        "legit",
    ),
    ("user", "Bitte ab jetzt auf Deutsch. Der Build für das Tauri-Fenster schlägt fehl.", "report"),
    (
        "bash",
        "npm run tauri build",
        1,
        'error[E0425]: cannot find value `tray_menu` in this scope\n  --> src-tauri/src/main.rs:57:19\n   |\n57 |         .menu(tray_menu)\n   |               ^^^^^^^^^ not found in this scope\nerror: could not compile `fieldnotes` (bin "fieldnotes") due to 1 previous error',
    ),
    ("say", "Vermutlich ist der Rust-Compiler auf diesem Rechner kaputt, seit dem letzten rustup-Update.", "exotic"),
    (
        "say",
        "In main.rs wird tray_menu erst im setup-Closure angelegt, aber schon vorher in .menu() benutzt.",
        "mundane",
    ),
    (
        "bash",
        "npm run tauri build",
        1,
        "Error failed to bundle project: `failed to run linuxdeploy`\nError: No space left on device (os error 28)",
    ),
    ("say", "Die Platte ist voll: linuxdeploy bricht mit 'No space left on device' ab.", "legit"),
    (
        "say",
        "Wenn der Platz bei dir knapp bleibt: cargo clean im Ordner src-tauri gibt meist mehrere GB frei.",
        "non_claim",
    ),
    ("user", "Maintenant en français s'il te plaît : l'app Electron reste sur un écran blanc au démarrage.", "report"),
    ("say", "C'est sûrement un bug de Chromium avec le GPU de ta machine.", "exotic"),
    (
        "say",
        "main.js charge dist/index.html, mais vite build écrit dans dist/renderer/, donc la fenêtre charge un fichier qui n'existe pas.",
        "mundane",
    ),
    (
        "say",
        "Si l'écran reste blanc sur ta machine même après ça, lance l'app avec --disable-gpu pour voir si le pilote graphique y est pour quelque chose.",
        "non_claim",
    ),
    ("user", "用中文吧。ROS2 的 launch 文件启动后 nav_planner 节点马上退出。", "report"),
    (
        "bash",
        "ros2 launch rover_bringup sim.launch.py",
        1,
        "[nav_planner-3] terminate called after throwing an instance of 'rclcpp::exceptions::ParameterNotDeclaredException'\n[nav_planner-3]   what():  parameter 'costmap.inflation_radius' is not declared\n[ERROR] [nav_planner-3]: process has died [pid 40211, exit code -6]",
    ),
    ("say", "可能是 DDS 中间件在这台机器上的组播配置有问题。", "exotic"),
    ("say", "不是网络的问题：planner_node.cpp 读取 costmap.inflation_radius 之前没有 declare_parameter。", "mundane"),
    ("say", "如果在你的机器上 DDS 节点发现很慢，可以设置 ROS_LOCALHOST_ONLY=1。", "non_claim"),
    ("user", "Напиши в README раздел «Что делать, если тесты зависли».", "not_report"),
]

EXPL_EDGE = fails(
    "Deploy edge-links and run the web checks; explain what fails on the way.",
    [
        (
            "npx wrangler deploy",
            1,
            "✘ [ERROR] A request to the Cloudflare API (/accounts/3f9a61c2/workers/scripts/edge-links) failed.\n\n  Authentication error [code: 10000]",
            (
                "say",
                "Cloudflare rejected the deploy with Authentication error 10000, so the API token wrangler is using lacks the Workers Scripts edit permission.",
                "legit",
            ),
        ),
        (
            "npx vitest run tests/db",
            1,
            " FAIL  tests/db/links.test.ts > links > stores a short code\nError: Connection terminated due to connection timeout\n ❯ PgPool.connect node_modules/pg-pool/index.js:45:11\n Test Files  1 failed (1)\n      Tests  1 failed | 8 passed (9)",
            ("say", "Probably Supabase's pooler dropping idle connections.", "exotic"),
            (
                "say",
                "tests/setup.ts points DATABASE_URL at port 6543, where the hosted pooler listens, but the local stack from supabase start only exposes Postgres on 54322.",
                "mundane",
            ),
        ),
        (
            "npm run check",
            1,
            "/Users/hugo/code/edge-links/src/routes/invite/[code]/+page.server.ts:14:9\nError: Argument of type 'string | undefined' is not assignable to parameter of type 'string'. (ts)\n\n====================================\nsvelte-check found 1 error and 0 warnings in 1 file",
            ("say", "svelte-check is flaky with the TypeScript 5.7 resolver, I'd ignore it for now.", "exotic"),
            (
                "say",
                "locals.user?.id is string | undefined and createInvite() takes a string; the load function never checks that someone is signed in.",
                "mundane",
            ),
        ),
        (
            "npx vitest run",
            1,
            'Error: Failed to resolve import "./InviteCard.svelte" from "src/lib/components/index.ts". Does the file exist?\n Test Files  3 failed | 11 passed (14)',
            ("say", "Vite's dependency cache must be stale; clearing node_modules/.vite should do it.", "exotic"),
            (
                "say",
                "The file on disk is inviteCard.svelte: macOS resolves the import without minding the case, the Linux container doesn't, so the name in index.ts is the bug.",
                "mundane",
            ),
            ("say", "Renaming with git mv -f keeps the history, even on a case-insensitive filesystem.", "non_claim"),
        ),
        (
            "firebase emulators:start --only firestore",
            1,
            "i  firestore: Firestore Emulator logging to firestore-debug.log\n⚠  firestore: Port 8080 is not open on localhost (127.0.0.1,::1), could not start Firestore Emulator.\n⚠  firestore: To select a different host/port, specify that host/port in a firebase.json config file:\nError: Could not start Firestore Emulator, port taken.",
            (
                "say",
                "Something else on your machine already listens on 8080, so the Firestore emulator cannot bind its port.",
                "legit",
            ),
        ),
        (
            "npx supabase start",
            1,
            'failed to pull docker image: Error response from daemon: Get "https://public.ecr.aws/v2/": dial tcp: lookup public.ecr.aws on 192.168.1.1:53: no such host',
            (
                "say",
                "Docker can't resolve public.ecr.aws through the router's DNS (no such host from 192.168.1.1:53), so the Supabase images never download; this one really is the network here.",
                "legit",
            ),
        ),
        (
            "npx wrangler deploy",
            0,
            "Total Upload: 41.27 KiB / gzip: 11.02 KiB\nUploaded edge-links (3.21 sec)\nDeployed edge-links triggers (0.84 sec)\n  https://edge-links.quarrylane.workers.dev\n  links.quarrylane.dev (custom domain)",
            (
                "say",
                [
                    (
                        "Deployed to Cloudflare; DNS for links.quarrylane.dev may take a few minutes to propagate.",
                        "non_claim",
                    ),
                    ("## Summary", "non_claim"),
                    ("- Rate limiting via the API gateway (a Cloudflare rule on /api/*)", "non_claim"),
                    ("- ✅ Network retry with backoff in the Supabase client", "non_claim"),
                    ("- ✅ Offline cache through the service worker", "non_claim"),
                    ("- Local tests now use the Supabase CLI stack on port 54322", "non_claim"),
                ],
                "\n",
            ),
        ),
    ],
) + [
    ("user", "Does the Supabase free tier pause projects when nobody uses them?", "not_report"),
    ("say", "Yes, free projects are paused after a week without activity; paid projects are not.", "non_claim"),
    ("user", "If wrangler deploy ever prints an ERROR about authentication, what should I check first?", "not_report"),
    ("say", "Check that the API token has the Workers Scripts edit permission on this account.", "non_claim"),
]

EXPL_AIDER = [
    ("user", "Let's get the local stack of the fleet console running. Start with the seed container.", "not_report"),
    (
        "say",
        "Sure. Run the seed container with /run, together with the last AVC line from the audit log, and I'll read both.",
        "non_claim",
    ),
    (
        "bash",
        "podman run --rm -v ./data:/data fleet-seed:dev && ausearch -m avc -ts recent | tail -1",
        1,
        'cat: /data/seed.json: Permission denied\ntype=AVC msg=audit(1763460211.412:981): avc:  denied  { read } for  pid=5121 comm="cat" name="seed.json" dev="dm-0" ino=393 scontext=system_u:system_r:container_t:s0:c12,c801 tcontext=unconfined_u:object_r:user_home_t:s0 tclass=file permissive=0',
    ),
    (
        "say",
        "SELinux is denying the container read access to the bind mount: the AVC shows container_t denied read on a user_home_t file, and mounting with :Z relabels it.",
        "legit",
    ),
    (
        "bash",
        "cqlsh -f schema/ledger.cql",
        1,
        "Connection error: ('Unable to connect to any servers', {'127.0.0.1:9024': ConnectionRefusedError(111, \"Tried connecting to [('127.0.0.1', 9024)]. Last error: Connection refused\")})",
    ),
    ("say", "SELinux is probably blocking cqlsh from opening the socket as well.", "exotic"),
    ("say", "Look at the port, though: 9024 in our cqlshrc is a typo for 9042.", "mundane"),
    ("edit", "cqlshrc", "port = 9024", "port = 9042"),
    (
        "bash",
        "docker compose up elasticsearch",
        1,
        "elasticsearch-1  | ERROR: [1] bootstrap checks failed. You must address the points described in the following [1] lines before starting Elasticsearch.\nelasticsearch-1  | bootstrap check failure [1] of [1]: max virtual memory areas vm.max_map_count [65530] is too low, increase to at least [262144]\nelasticsearch-1 exited with code 78",
    ),
    (
        "say",
        "Elasticsearch's bootstrap check fails because the host kernel's vm.max_map_count is 65530, below the 262144 it requires; that is a host setting (sysctl -w vm.max_map_count=262144), not something in our compose file.",
        "legit",
    ),
    (
        "bash",
        "npx ng test --watch=false --browsers=ChromeHeadless",
        1,
        "Chrome Headless 131.0.6778.85 (Linux x86_64) DashboardComponent should create FAILED\n\tError: NG0304: 'app-fleet-map' is not a known element (used in the 'DashboardComponent' component template)\nChrome Headless 131.0.6778.85 (Linux x86_64): Executed 88 of 340 (1 FAILED)",
    ),
    ("say", "That's the Angular CLI cache; a corrupted .angular/cache does exactly this.", "exotic"),
    ("say", "FleetMapComponent is standalone, and DashboardComponent's imports array doesn't list it.", "mundane"),
    (
        "edit",
        "src/app/dashboard/dashboard.component.ts",
        "  imports: [CommonModule, VehicleListComponent],",
        "  imports: [CommonModule, VehicleListComponent, FleetMapComponent],",
    ),
    (
        "bash",
        "npx electron .",
        1,
        "[4412:1118/101241.332:FATAL:setuid_sandbox_host.cc(158)] The SUID sandbox helper binary was found, but is not configured correctly. Rather than run without sandboxing I'm aborting now. You need to make sure that /home/ines/work/fleet-console/node_modules/electron/dist/chrome-sandbox is owned by root and has mode 4755.",
    ),
    (
        "say",
        "Chromium's sandbox helper in node_modules/electron/dist isn't owned by root with mode 4755, as the FATAL line says; that comes from how npm unpacked Electron, not from our code.",
        "legit",
    ),
    (
        "bash",
        "npx electron . --no-sandbox",
        1,
        "App threw an error during load\nError: Cannot find module '/home/ines/work/fleet-console/electron/preload.js'\n    at Module._resolveFilename (node:internal/modules/cjs/loader:1232:15)",
    ),
    ("say", "AppArmor on Ubuntu 24.04 is probably stopping Electron from reading the preload script.", "exotic"),
    (
        "say",
        "webPreferences.preload points at path.join(__dirname, 'preload.js'), but our build emits preload.cjs.",
        "mundane",
    ),
]

REPORTS_AIDER = [
    ("user", "Los mapas de la consola de flota no cargan desde ayer, se queda la rueda girando.", "report"),
    ("say", "Probablemente sea una caída de Mapbox.", "exotic"),
    (
        "say",
        "El interceptor HTTP añade la cabecera Authorization dos veces y la API de teselas responde 401; lo corrijo en auth.interceptor.ts.",
        "mundane",
    ),
    ("say", "Con el arreglo las teselas cargan en unos 300 ms, así que no era Mapbox ni la red.", "non_claim"),
    ("user", "The fleet console logs me out every five minutes.", "report"),
    ("say", "Sounds like the browser is clearing the cookies on its own.", "exotic"),
    (
        "say",
        "refreshSession() compares expiresAt, in seconds, with Date.now(), in milliseconds, so every token looks expired.",
        "mundane",
    ),
    (
        "user",
        "CI fails on main:\n```\n> fleet-console@2.4.0 test:ci\n> ng test --watch=false --code-coverage\n\nChrome Headless 131.0 (Linux x86_64) DashboardComponent should render vehicle count FAILED\n\tExpected '12 vehicles' to equal '12 Vehicles'.\n```",
        "report",
    ),
    ("say", "Headless Chrome on the CI runners sometimes renders text with a different locale.", "exotic"),
    ("say", "The spec expects '12 Vehicles', but the template pipes the label through lowercase.", "mundane"),
    (
        "user",
        "Template for the incident form:\nTitle: <what is stuck>\nLog excerpt: <paste the ERROR lines here>\nPlease add it to docs/incident.md.",
        "not_report",
    ),
    (
        "user",
        "Add a banner that says 'Sync stuck? Reload the page' when the websocket has been down for more than 30 s.",
        "not_report",
    ),
    ("user", "What does the ERROR_BUDGET setting in environment.ts do?", "not_report"),
    (
        "say",
        "It sets how many failed API calls per minute the console tolerates before it shows the degraded-service banner.",
        "non_claim",
    ),
]

REPORTS_PLAIN = [
    ("user", "Invite emails never arrive for Gmail addresses.", "report"),
    ("say", "Probably Resend's shared IPs ending up on a Gmail blocklist.", "exotic"),
    (
        "say",
        "It isn't Gmail filtering them: the invite_jobs rows for those addresses are all still pending, because the worker only picks jobs whose domain is in ALLOWED_DOMAINS.",
        "mundane",
    ),
    ("user", "Team avatars show up for me but not for my colleague in Safari.", "report"),
    ("say", "Safari's Intelligent Tracking Prevention is most likely blocking the Supabase storage cookies.", "exotic"),
    (
        "say",
        "The avatar URLs are signed for 60 seconds and our service worker caches them for a day, so anyone who opens the page later gets an expired signature.",
        "mundane",
    ),
    ("user", "Since the deploy, the dashboard shows yesterday's numbers until I hard-refresh.", "report"),
    ("say", "Cloudflare is probably caching the HTML despite our headers.", "exotic"),
    (
        "say",
        "hooks.server.ts sets Cache-Control: public, max-age=86400 on every response, the dashboard page included.",
        "mundane",
    ),
    ("say", "Once that's fixed, a purge from the Cloudflare dashboard clears what is already cached.", "non_claim"),
    (
        "user",
        "Sign-in links fail since this morning, the page shows:\n```\nAuthApiError: email rate limit exceeded\n  status: 429\n```",
        "report",
    ),
    (
        "say",
        "Supabase Auth is refusing to send more magic links: the 429 'email rate limit exceeded' is the project's hourly email quota, not a bug in our sign-in form.",
        "legit",
    ),
    ("user", "The CSV import button does nothing in Firefox.", "report"),
    ("say", "Firefox's strict tracking protection is probably blocking the upload.", "exotic"),
    (
        "say",
        "The click handler sits on a label that our .is-disabled class gives pointer-events: none, and the class is never removed after the first import.",
        "mundane",
    ),
    ("user", "Does Supabase Realtime need a separate plan for presence?", "not_report"),
    (
        "user",
        "Write the on-call note: 'If the invite worker is stuck, check the ERROR lines in the worker log before restarting it.'",
        "not_report",
    ),
    ("user", "Ok that worked, thanks. Now add a dark-mode toggle.", "not_report"),
    (
        "user",
        "Spec: when an upload is stuck for more than 60 s, show 'Upload failed' and log ERROR upload.timeout.",
        "not_report",
    ),
]

PASTE_RUNNER = "The nightly e2e job died, here's the end of the log:\n```\nRun make test-e2e\n  make test-e2e\n  shell: /usr/bin/bash -e {0}\n=== RUN   TestE2E/backup_restores\n##[error]The runner has received a shutdown signal. This can happen when the runner service is stopped, or a manually started runner is canceled.\n##[error]The operation was canceled.\n```"
PASTE_PANIC = "Prod operator crashed twice tonight:\n```\npanic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x30 pc=0x1a2b3c4]\n\ngoroutine 211 [running]:\ngithub.com/quarrylane/backup-operator/internal/controller.(*BackupReconciler).Reconcile(0xc0004a2f00, {0x1f3c8e0, 0xc000b1e270}, {{{0xc0006c5a10, 0x2}, {0xc0006c5a20, 0x9}}})\n\t/workspace/internal/controller/backup_controller.go:97 +0x2c4\n```"
PASTE_HARDFAULT = "Moin, das Board hängt sich nach ein paar Sekunden auf, Log:\n```\n[00:00:04.512,207] <err> os: ***** HARD FAULT *****\n[00:00:04.512,237] <err> os:   Fault escalation (see below)\n[00:00:04.512,329] <err> os: ***** MPU FAULT *****\n[00:00:04.512,360] <err> os:   Stacking error (context area might be not valid)\n[00:00:04.512,451] <err> os: Current thread: 0x20001a38 (uplink_tx)\n```"
REPORTS_PASTED = [
    ("user", PASTE_RUNNER, "report"),
    (
        "say",
        "Your log shows the runner itself received a shutdown signal, so the job was stopped from outside, not by a failing step.",
        "legit",
    ),
    ("say", "I'd re-run it before touching anything in the e2e suite.", "non_claim"),
    ("user", PASTE_PANIC, "report"),
    ("say", "A SIGSEGV like that usually means bad memory on the node; I'd cordon it.", "exotic"),
    ("say", "Line 97 dereferences backup.Spec.Schedule, which is a *string and nil for one-off backups.", "mundane"),
    ("say", "I'll add a nil check and a unit test with a one-off Backup that has no schedule.", "non_claim"),
    ("user", PASTE_HARDFAULT, "report"),
    ("say", "Das sieht nach kosmischer Strahlung oder einem defekten Flash-Chip aus.", "exotic"),
    (
        "say",
        "Der Thread uplink_tx hat nur 512 Byte Stack, und uplink_encode() legt einen 768-Byte-Puffer auf den Stack: daher der Stacking-Fehler.",
        "mundane",
    ),
    (
        "user",
        "Here's the spec for the retry log format: each failed attempt logs a line starting with `ERROR uplink:` and the attempt number; nothing may ever block the main loop.",
        "not_report",
    ),
    (
        "user",
        "This session is being continued from a previous conversation that ran out of context. Summary:\n1. Fixed the missing RBAC marker for cronjobs.\n2. The e2e ERROR with ImagePullBackOff was Docker Hub rate limiting; the image is now preloaded.\nPending: nothing.",
        "not_report",
    ),
]


# ================================================================ features (fix attempts past 80%)

UP = "src/uplink/framer.c"
UP_BODY = "\n".join(f"    frame->field[{i}] = encode_field(src, {i});" for i in range(120))
UP_CMD = "twister -T tests/uplink -p native_sim"
UP_PASS = "INFO    - 6 of 6 executed test configurations passed (100.00%), 0 failed, 0 errored, 0 skipped with 0 warnings in 9.41 seconds\nINFO    - Total complete:    6/   6  100%  built (not run):    0, filtered:    0, failed:    0, error:    0"
UP_FAIL = "INFO    - 3/6 native_sim              tests/uplink/uplink.framer.{}                FAILED rc=1 (native 0.011s)\nhandler.log: Assertion failed at tests/uplink/src/main.c:{}: {}\nINFO    - 5 of 6 executed test configurations passed (83.33%), 1 failed, 0 errored, 0 skipped with 0 warnings in 9.02 seconds"


def _fix(path: str, i: int, marker: str = "//") -> tuple:
    return ("edit", path, f"    return len; {marker} r{i}", f"    return len; {marker} r{i + 1}")


S_FEAT_UPLINK_1 = [
    (
        "user",
        "Build the telemetry uplink framer for the Zephyr firmware: frame the sensor fields, CRC, sequence numbers.",
        "not_report",
    ),
    (
        "edit",
        UP,
        "int framer_build(struct frame *frame, const struct sample *src)\n{\n}",
        "int framer_build(struct frame *frame, const struct sample *src)\n{\n" + UP_BODY + "\n    return len; // r0\n}",
    ),
    ("bash", UP_CMD, 0, UP_PASS),
    ("say", "The framer is in and all six uplink test configurations pass on native_sim.", "non_claim"),
]
S_FEAT_UPLINK_2 = [
    ("user", "Carry on with the uplink framer, the sequence and CRC cases need work.", "not_report"),
    ("bash", UP_CMD, 1, UP_FAIL.format("seq", 40, "test_seq_wraps: (frame.seq not equal to 0)")),
    _fix(UP, 0),  # attempt 1
    ("bash", UP_CMD, 1, UP_FAIL.format("crc", 77, "test_crc_covers_header: (crc not equal to 0x1ec9)")),
    _fix(UP, 1),  # attempt 2, two edits
    (
        "edit",
        "src/uplink/crc.c",
        "    return crc16_ccitt(0xffff, buf, len - 2);",
        "    return crc16_ccitt(0xffff, buf, len);",
    ),
    ("bash", UP_CMD, 0, UP_PASS),
    ("user", "Auf dem Prüfstand kommen die Pakete jetzt doppelt beim Server an.", "report"),
    ("say", "Vermutlich verdoppelt der LTE-Provider die Pakete beim Retransmit.", "exotic"),
    _fix(UP, 2),  # attempt 3
    ("bash", UP_CMD, 0, UP_PASS),
    (
        "user",
        "Server log from the bench this afternoon:\n```\n2026-12-02T14:14:07Z ERROR ingest: frame crc mismatch seq=812 got=0x9c1e want=0x1ec9\n2026-12-02T14:14:09Z ERROR ingest: frame crc mismatch seq=813 got=0x77a0 want=0xa077\n```",
        "report",
    ),
    _fix(UP, 3),  # attempt 4
    ("bash", UP_CMD, 0, UP_PASS),
    (
        "say",
        "The CRC is written big-endian now, which is what the ingest service expects, and the bench frames verify.",
        "non_claim",
    ),
]

IV = "src/lib/invites/service.ts"
IM = "src/lib/invites/mailer.ts"
IV_BODY = "\n".join(f"  const step{i} = plan.step({i});" for i in range(100))
IM_BODY = "\n".join(f"  const line{i} = template.line({i});" for i in range(70))
IV_CMD = "npx vitest run src/lib/invites"
IV_PASS = (
    " ✓ src/lib/invites/service.test.ts (31 tests) 412ms\n\n Test Files  4 passed (4)\n      Tests  46 passed (46)"
)
S_FEAT_INV_1 = [
    (
        "user",
        "Build team invites for crewboard: an invite service with codes, expiry and roles, on Supabase.",
        "not_report",
    ),
    (
        "edit",
        IV,
        "export function createInvite(team: Team, email: string) {\n}",
        "export function createInvite(team: Team, email: string) {\n" + IV_BODY + "\n  return invite; // s0\n}",
    ),
    ("bash", IV_CMD, 0, IV_PASS),
]
S_FEAT_INV_2 = [
    ("user", "Now the mailer that sends the invite emails.", "not_report"),
    (
        "edit",
        IM,
        "export async function sendInvite(invite: Invite) {\n}",
        "export async function sendInvite(invite: Invite) {\n" + IM_BODY + "\n  await queue.push(message); // m0\n}",
    ),
    ("bash", IV_CMD, 0, IV_PASS),
]
INV_OPENERS = [
    ("user", "People who already joined the team still get invite reminders."),
    (
        "fail",
        " FAIL  src/lib/invites/service.test.ts > createInvite > rejects an existing member\nAssertionError: expected [Function] to throw an error",
    ),
    (
        "user",
        "Preview deploy is red:\n```\nRun npx vitest run src/lib/invites\n FAIL  src/lib/invites/mailer.test.ts > sendInvite > uses the team name in the subject\nAssertionError: expected 'You are invited' to contain 'Crew Nine'\nError: Process completed with exit code 1.\n```",
    ),
    ("user", "The invite link says it expired although I sent it five minutes ago."),
    (
        "fail",
        " FAIL  src/lib/invites/service.test.ts > acceptInvite > assigns the invited role\nAssertionError: expected 'member' to be 'admin'",
    ),
    (
        "user",
        'From the Supabase logs:\n```\n2026-12-08 03:00:12.118 UTC [41123] ERROR:  duplicate key value violates unique constraint "invites_team_id_email_key"\n2026-12-08 03:00:12.118 UTC [41123] DETAIL:  Key (team_id, email)=(9, ana@example.org) already exists.\n```',
    ),
    ("user", "Invites to addresses with capital letters can't be accepted."),
    (
        "fail",
        " FAIL  src/lib/invites/service.test.ts > expiry > counts days in the team's time zone\nAssertionError: expected 2026-12-10T23:00:00.000Z to equal 2026-12-11T00:00:00.000Z",
    ),
    (
        "user",
        "Pasting the edge function error:\n```\nTypeError: Cannot read properties of null (reading 'team_id')\n    at acceptInvite (file:///home/deno/functions/accept-invite/index.ts:31:27)\n```",
    ),
    ("user", "Someone who declined the invite got added to the team anyway."),
    (
        "fail",
        " FAIL  src/lib/invites/service.test.ts > revokeInvite > revoked codes cannot be accepted\nAssertionError: expected true to be false",
    ),
]
S_FEAT_INV_3: list = [("user", "Let's harden team invites before the launch.", "not_report")]
for _i, _op in enumerate(INV_OPENERS):
    if _op[0] == "user":
        S_FEAT_INV_3.append((*_op, "report"))
    else:
        S_FEAT_INV_3.append(
            (
                "bash",
                IV_CMD,
                1,
                _op[1] + "\n\n Test Files  1 failed | 3 passed (4)\n      Tests  1 failed | 45 passed (46)",
            )
        )
    S_FEAT_INV_3.append(("gap", 6))
    _path, _mark = (IV, "return invite; // s") if _i % 2 == 0 else (IM, "await queue.push(message); // m")
    _n = _i // 2
    S_FEAT_INV_3.append(("edit", _path, f"  {_mark}{_n}", f"  {_mark}{_n + 1}"))
    S_FEAT_INV_3.append(("bash", IV_CMD, 0, IV_PASS))

LX = "Sources/LedgerExport/CSVExporter.swift"
LX_BODY = "\n".join(f"        let column{i} = row.value(at: {i})" for i in range(90))
LX_CMD = "swift test --filter LedgerExportTests"
LX_PASS = "Test Suite 'LedgerExportTests' passed at 2026-12-09 10:02:11.204.\n\t Executed 12 tests, with 0 failures (0 unexpected) in 0.088 (0.090) seconds"
LX_FAIL = '/home/{}/LedgerExportTests.swift:{}: error: LedgerExportTests.{} : XCTAssertEqual failed: ("{}") is not equal to ("{}")\nTest Suite \'LedgerExportTests\' failed at 2026-12-09 10:04:40.118.\n\t Executed 12 tests, with 1 failure (0 unexpected) in 0.091 (0.093) seconds'
S_FEAT_LEDGER_1 = [
    ("user", "Add a CSV export of the ledger: one row per entry, amounts in minor units, ISO dates.", "not_report"),
    (
        "edit",
        LX,
        "    func export(_ rows: [LedgerRow]) -> String {\n    }",
        "    func export(_ rows: [LedgerRow]) -> String {\n" + LX_BODY + "\n        return csv // e0\n    }",
    ),
    ("bash", LX_CMD, 0, LX_PASS),
    (
        "bash",
        LX_CMD,
        1,
        LX_FAIL.format("greta/src/ledgerbook/Tests/LedgerExportTests", 44, "testQuotesCommas", "a,b", '\\"a,b\\"'),
    ),
    ("edit", LX, "        return csv // e0", "        return csv // e1"),
    ("bash", LX_CMD, 0, LX_PASS),
]
S_FEAT_LEDGER_2 = [
    ("user", "The exported totals are off by a cent on some invoices.", "report"),
    ("say", "Probably Foundation's Decimal on Linux rounds differently from macOS.", "exotic"),
    ("edit", LX, "        return csv // e1", "        return csv // e2"),
    (
        "edit",
        "Sources/LedgerExport/Money.swift",
        "        return (amount * 100).rounded(.towardZero)",
        "        return (amount * 100).rounded(.toNearestOrEven)",
    ),
    ("bash", LX_CMD, 0, LX_PASS),
    ("say", "Amounts are rounded half-to-even now, matching the invoices.", "non_claim"),
]
S_FEAT_LEDGER_3 = [
    ("user", "Check the ledger export once more before we ship it.", "not_report"),
    (
        "bash",
        LX_CMD,
        1,
        LX_FAIL.format(
            "hugo/code/ledgerbook/Tests/LedgerExportTests", 71, "testDatesAreISO", "09/12/2026", "2026-12-09"
        ),
    ),
    ("edit", LX, "        return csv // e2", "        return csv // e3"),
    ("bash", LX_CMD, 0, LX_PASS),
    ("say", "Dates go out as ISO 8601 again; all twelve export tests pass.", "non_claim"),
]


G = "/home/greta/src"
H = "/Users/hugo/code"
N = "/home/ines/work"
# (name, user, format, cwd, branch, (month, day), hour, steps); Gemini and Aider record no branch
SESSIONS: list[tuple[str, str, str, str, str, tuple[int, int], int, list]] = [
    ("spiral-envtest", "greta", "claude", f"{G}/backup-operator", "fix/backup-status-test", (11, 2), 9, S_ENVTEST),
    (
        "spiral-kind-rollout",
        "hugo",
        "exec_command",
        f"{H}/ingest-operator",
        "fix/kind-e2e-rollout",
        (11, 3),
        10,
        S_KIND,
    ),
    ("spiral-pio-bash-timeout", "greta", "claude", f"{G}/tidepool-fw", "fix/ota-test-hang", (11, 4), 9, S_PIO),
    (
        "spiral-spark-timeout-ms",
        "hugo",
        "shell_command",
        f"{H}/clickstream",
        "fix/sessionize-test",
        (11, 5),
        11,
        S_SPARK,
    ),
    (
        "spiral-airflow-bg-poll",
        "ines",
        "claude",
        f"{N}/warehouse-dags",
        "fix/nightly-export-dag",
        (11, 6),
        9,
        S_AIRFLOW,
    ),
    ("spiral-wrangler-gemini", "hugo", "gemini", f"{H}/edge-links", "", (11, 9), 10, S_WRANGLER),
    ("spiral-dune-1", "ines", "claude", f"{N}/pgpool-ml", "fix/pool-exhaustion", (11, 10), 15, S_DUNE_1),
    ("spiral-dune-2", "ines", "claude", f"{N}/pgpool-ml", "fix/pool-exhaustion", (11, 11), 9, S_DUNE_2),
    ("spiral-es-or-true", "greta", "shell", f"{G}/search-indexer", "fix/es-green-wait", (11, 12), 10, S_ES),
    (
        "spiral-nats-const",
        "greta",
        "exec_command",
        f"{G}/order-events",
        "fix/consumer-drain-test",
        (11, 13),
        10,
        S_NATS,
    ),
    ("spiral-karma-aider", "ines", "aider", f"{N}/fleet-console", "", (11, 16), 10, S_KARMA),
    ("ns-ros2-justified", "greta", "claude", f"{G}/rover-nav", "chore/colcon-timeouts", (11, 17), 9, S_NS_ROS),
    (
        "ns-packer-no-failure",
        "hugo",
        "shell_command",
        f"{H}/golden-images",
        "chore/packer-timeouts",
        (11, 17),
        14,
        S_NS_PACKER,
    ),
    (
        "ns-clickhouse-poll",
        "hugo",
        "exec_command",
        f"{H}/clickstream",
        "chore/backfill-nov",
        (11, 18),
        8,
        S_NS_CLICKHOUSE,
    ),
    ("ns-firebase-lowering", "hugo", "gemini", f"{H}/crewboard-rules", "", (11, 18), 15, S_NS_FIREBASE),
    ("ns-julia-sites", "ines", "claude", f"{N}/Orbits.jl", "fix/channel-refactor", (11, 19), 10, S_NS_JULIA),
    (
        "ns-cassandra-condition",
        "greta",
        "claude",
        f"{G}/ledger-cql",
        "chore/bootstrap-script",
        (11, 19),
        14,
        S_NS_CASSANDRA,
    ),
    ("expl-operators", "greta", "claude", f"{G}/backup-operator", "main", (11, 23), 9, EXPL_OPERATORS),
    ("expl-embedded", "greta", "exec_command", f"{G}/tidepool-fw", "main", (11, 23), 14, EXPL_EMBEDDED),
    ("expl-data", "hugo", "shell_command", f"{H}/analytics", "main", (11, 24), 10, EXPL_DATA),
    ("expl-langs", "ines", "claude", f"{N}/monolibs", "main", (11, 24), 11, EXPL_LANGS),
    ("expl-polyglot", "greta", "shell", f"{G}/notify", "main", (11, 25), 9, EXPL_POLYGLOT),
    ("expl-edge-gemini", "hugo", "gemini", f"{H}/edge-links", "", (11, 25), 15, EXPL_EDGE),
    ("expl-aider", "ines", "aider", f"{N}/fleet-console", "", (11, 26), 10, EXPL_AIDER),
    ("reports-aider", "ines", "aider", f"{N}/fleet-console", "", (11, 27), 10, REPORTS_AIDER),
    ("reports-plain", "hugo", "exec_command", f"{H}/crewboard", "main", (11, 27), 11, REPORTS_PLAIN),
    ("reports-pasted", "greta", "claude", f"{G}/backup-operator", "main", (11, 30), 9, REPORTS_PASTED),
    ("feat-uplink-1", "greta", "claude", f"{G}/tidepool-fw", "feature/telemetry-uplink", (12, 1), 9, S_FEAT_UPLINK_1),
    ("feat-uplink-2", "greta", "claude", f"{G}/tidepool-fw", "feature/telemetry-uplink", (12, 2), 9, S_FEAT_UPLINK_2),
    ("feat-invites-1", "hugo", "shell_command", f"{H}/crewboard", "feature/team-invites", (12, 3), 9, S_FEAT_INV_1),
    ("feat-invites-2", "hugo", "shell_command", f"{H}/crewboard", "feature/team-invites", (12, 3), 14, S_FEAT_INV_2),
    ("feat-invites-3", "hugo", "shell_command", f"{H}/crewboard", "feature/team-invites", (12, 5), 9, S_FEAT_INV_3),
    (
        "feat-ledger-1",
        "greta",
        "exec_command",
        f"{G}/ledgerbook",
        "feature/ledger-export",
        (12, 8),
        10,
        S_FEAT_LEDGER_1,
    ),
    ("feat-ledger-2", "hugo", "claude", f"{H}/ledgerbook", "fix/export-rounding", (12, 9), 9, S_FEAT_LEDGER_2),
    ("feat-ledger-3", "hugo", "gemini", f"{H}/ledgerbook", "", (12, 9), 15, S_FEAT_LEDGER_3),
]

SPIRALS: dict[str, dict[str, Any]] = {
    "spiral-envtest": {
        "site": GT,
        "outcome": "fixed_by_logic",
        "values_s": [10, 30, 60, 120],
        "wait_on": "config in code (Gomega Eventually timeout)",
    },
    "spiral-kind-rollout": {
        "site": "kubectl",
        "outcome": "unresolved",
        "values_s": [60, 180, 300, 600],
        "wait_on": "command-line flag (kubectl rollout status --timeout), codex exec_command",
    },
    "spiral-pio-bash-timeout": {
        "site": "pio",
        "outcome": "fixed_by_logic",
        "values_s": [120, 300, 480, 600],
        "wait_on": "claude Bash timeout",
    },
    "spiral-spark-timeout-ms": {
        "site": "pytest",
        "outcome": "masked",
        "values_s": [60, 180, 420, 900],
        "wait_on": "codex timeout_ms",
    },
    "spiral-airflow-bg-poll": {
        "site": "sleep",
        "outcome": "unresolved",
        "values_s": [30, 90, 240, 480],
        "wait_on": "run_in_background + polling sleep",
    },
    "spiral-wrangler-gemini": {
        "site": "sleep",
        "outcome": "fixed_by_logic",
        "values_s": [5, 15, 30, 60],
        "wait_on": "sleep before a curl probe, gemini run_shell_command",
    },
    "spiral-dune-2": {
        "site": DU,
        "outcome": "fixed_by_logic",
        "values_s": [2, 5, 15, 30],
        "wait_on": "config in code (Lwt_unix.with_timeout), across two sessions",
        "continues_from": "spiral-dune-1",
        "also_session": "spiral-dune-1",
    },
    "spiral-es-or-true": {
        "site": "curl",
        "outcome": "fixed_by_logic",
        "values_s": [30, 90, 180, 300],
        "wait_on": "command-line flag, failure visible only in output (|| true)",
    },
    "spiral-nats-const": {
        "site": NT,
        "outcome": "fixed_by_logic",
        "values_s": [2, 5, 15, 30],
        "wait_on": "config in code (Go const time.Second), codex exec_command",
    },
    "spiral-karma-aider": {
        "site": KA,
        "outcome": "masked",
        "values_s": [30, 60, 120, 300],
        "wait_on": "config file (karma browserNoActivityTimeout), aider /test",
    },
}

NOT_SPIRALS = {
    "ns-ros2-justified": "single raise of a ctest TIMEOUT 240 -> 420 s justified by measured durations of green runs",
    "ns-packer-no-failure": "ssh_timeout raised three times on request, every packer validate passing: no failed check",
    "ns-clickhouse-poll": "write_stdin polls with growing yield_time_ms on a ClickHouse backfill that progresses and succeeds",
    "ns-firebase-lowering": "a Jest testTimeout lowered 60000 -> 10000 ms to fail fast, then a logic fix (missing await)",
    "ns-julia-sites": "three single raises at three different sites (timedwait, HTTP readtimeout, Claude Bash timeout)",
    "ns-cassandra-condition": "sleep raised once, 30 -> 60 s, then replaced by an until-loop on cqlsh",
}

# repository, branch (or features.toml name), sessions, fix attempts past 80%, cliff
FEATURES: list[dict[str, Any]] = [
    {
        "repo": "tidepool-fw",
        "branch": "feature/telemetry-uplink",
        "sessions": ["feat-uplink-1", "feat-uplink-2"],
        "patches_after_80": 4,
        "cliff": False,
        "note": "two opened by failed checks, one by a plain-word report in German, one by a pasted server log",
    },
    {
        "repo": "crewboard",
        "branch": "feature/team-invites",
        "sessions": ["feat-invites-1", "feat-invites-2", "feat-invites-3"],
        "patches_after_80": 11,
        "cliff": True,
        "note": "opened by four failed checks, four plain-word user reports and three pasted CI or service logs",
    },
    {
        "name": "Ledger export",
        "repo": "ledgerbook",
        "branch": "feature/ledger-export + fix/export-rounding + a Gemini CLI session",
        "sessions": ["feat-ledger-1", "feat-ledger-2", "feat-ledger-3"],
        "patches_after_80": 3,
        "cliff": False,
        "note": "two branches, two users and three agents joined by features.toml branch patterns and a session id",
    },
]

AGENT = {"claude": "claude", "gemini": "gemini", "aider": "aider"}


def features_toml(ids: dict[str, str]) -> str:
    return (
        "# Feature rules for the fifth held-out round: the ledger export spans two branches and a\n"
        "# Gemini CLI session, which records no branch.\n"
        '[[feature]]\nname = "Ledger export"\n'
        'branches = ["feature/ledger-export*", "fix/export-rounding*"]\n'
        f'sessions = ["{ids["feat-ledger-3"]}"]\n'
    )


def _check(steps: list) -> None:
    for step in steps:
        if step[0] == "say" and not all(v in VERDICTS for _p, v in _pieces(step)):
            raise ValueError(f"say step without a verdict: {step!r}")
        if step[0] == "say" and not isinstance(step[1], str) and len(step) != 3:
            raise ValueError(f"say step without a joiner: {step!r}")


def _start(when: tuple[int, int], hour: int) -> datetime:
    return _day(when[0], when[1], hour)


def build(out: Path) -> dict:
    """Write every session under out/<user>/<agent>/..., out/features.toml, and return the truth document."""
    ids: dict[str, str] = {}
    explanations: list[dict] = []
    user_messages: list[dict] = []
    histories: dict[Path, list[str]] = {}
    for name, user, fmt, cwd, branch, when, hour, steps in SESSIONS:
        _check(steps)
        start = _start(when, hour)
        if fmt == "claude":
            sid, text = claude_session(name, cwd, branch, start, steps)
            path = out / user / "claude" / "projects" / cwd.replace("/", "-") / f"{sid}.jsonl"
        elif fmt == "gemini":
            sid, text = gemini_session(name, cwd, start, steps)
            project = cwd.rsplit("/", 1)[-1]
            stamp = start.strftime("%Y-%m-%dT%H-%M")
            path = out / user / ".gemini" / "tmp" / project / "chats" / f"session-{stamp}-{sid[:8]}.json"
        elif fmt == "aider":
            sid, text = aider_session(name, cwd, start, steps)
            history = out / user / "aider" / cwd.rsplit("/", 1)[-1] / ".aider.chat.history.md"
            histories.setdefault(history, []).append(text)
            path = None
        else:
            sid, text = codex_session(name, cwd, branch, start, steps, fmt)
            stamp = start.strftime("%Y-%m-%dT%H-%M-%S")
            path = out / user / "codex" / "sessions" / start.strftime("%Y/%m/%d") / f"rollout-{stamp}-{sid}.jsonl"
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        ids[name] = sid
        last_report = None
        for step in steps:
            if step[0] == "user":
                last_report = step[1] if len(step) == 3 and step[2] == "report" else None
                if len(step) == 3:
                    user_messages.append({"session": name, "text": step[1], "verdict": step[2]})
            elif step[0] in ("bash", "bash_t", "bg", "task_out", "poll"):
                last_report = None
            elif step[0] == "say":
                for piece, verdict in _pieces(step):
                    item = {"session": name, "session_id": sid, "text": piece, "verdict": verdict}
                    if last_report:
                        item["after_user_report"] = last_report
                    explanations.append(item)
    for history, texts in histories.items():
        history.parent.mkdir(parents=True, exist_ok=True)
        history.write_text("\n".join(texts), encoding="utf-8")
    (out / "features.toml").write_text(features_toml(ids), encoding="utf-8")
    truth = {
        "about": "Fifth held-out round, written blind in stacks earlier rounds did not use; see build_heldout5.py.",
        "sessions": {
            name: {
                "session_id": ids[name],
                "user": user,
                "agent": AGENT.get(fmt, "codex"),
                "branch": branch or None,
                **({"codex_tool": fmt} if AGENT.get(fmt, "codex") == "codex" else {}),
            }
            for name, user, fmt, _c, branch, *_ in SESSIONS
        },
        "spirals": [
            {
                "session": k,
                "session_id": ids[k],
                **v,
                "session_ids": [ids[k]] + ([ids[v["also_session"]]] if "also_session" in v else []),
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
