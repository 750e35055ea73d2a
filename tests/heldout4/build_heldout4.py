"""Build the fourth held-out corpus: sessions in stacks no earlier round used, written blind.

Claude Code and Codex CLI transcripts for two users (dates in 2026-11): Django/Celery with
RabbitMQ, Kafka consumers, Xcode and the iOS simulator, Android/Espresso through adb, Flutter,
Laravel, Rails/Capybara, Haskell/stack, Temporal, Helm, Vitest browser mode, Bazel, Nix,
PyTorch/CUDA, Pulumi, Deno, Bun, k6, gRPC deadlines, Bull queues, GitHub Actions, and bugs that
users report in plain words or by pasting a traceback or a CI log. Codex rollouts come in the
three tool shapes the CLI has written: ``shell`` with an argv and a JSON output (0.5x),
``shell_command`` with a string and plain-text output (0.8x), ``exec_command``/``write_stdin``
with "Process exited with code N" outputs and ``event_msg`` copies of the messages (0.11x).

``truth.json`` holds the timeout spirals (config files edited between runs, command-line flags,
waits the agent sets on its own tools: Claude Code Bash ``timeout``, ``run_in_background`` plus
polling sleeps, Codex ``timeout_ms``; checks whose verdict is only in the printed output because
``| tail`` or ``|| true`` hides the exit status; one spiral that continues into the next day's
session), the look-alikes that are not spirals, every sentence the agent says with its verdict
(exotic, legit, mundane, or non_claim: must carry no exotic verdict), the user messages that
report a failure or do not, and the features with their fix attempts past the 80% mark
(``features.toml`` joins two branches into one named feature). Nothing here was derived from the
detectors. Stdlib only and deterministic.

Usage: python tests/heldout4/build_heldout4.py OUT_DIR
"""

from __future__ import annotations

import json
import shlex
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

NS = uuid.UUID("a4c1f0d2-7e3b-4b9a-9c61-5d2e8f7a1b04")
STEP = timedelta(seconds=43)
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
            assistant([{"type": "text", "text": step[1]}])
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
                "repository_url": f"git@github.com:tidewater/{repo}.git",
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
            ctx = {"turn_id": turn, **ctx, "current_date": _ts(t)[:10], "timezone": "Europe/Berlin"}
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
            item: dict = {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": step[1]}]}
            if style == "exec_command":
                item["phase"] = "commentary"
            emit("response_item", item)
            if newer:
                emit("event_msg", {"type": "agent_message", "message": step[1]})
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


def _day(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, 7, 0, tzinfo=UTC)


# ================================================================ spirals

CEL = "tests/test_reminder_task.py"
CEL_OLD = '    result = send_reminders.delay(invoice_ids)\n    assert result.get(timeout={}) == {{"sent": 3}}'
CEL_FAIL = "FAILED tests/test_reminder_task.py::test_send_reminders_for_overdue - celery.exceptions.TimeoutError: The operation timed out.\n1 failed, 23 passed in {}s"
S_CELERY = [
    ("user", "test_send_reminders_for_overdue hangs and then fails, can you get it passing?", "report"),
    ("bash", "pytest tests/test_reminder_task.py -q", 1, CEL_FAIL.format("6.88"), 8.1),
    ("edit", CEL, CEL_OLD.format(5), CEL_OLD.format(15)),
    ("bash", "pytest tests/test_reminder_task.py -q", 1, CEL_FAIL.format("16.91"), 18.2),
    ("edit", CEL, CEL_OLD.format(15), CEL_OLD.format(30)),
    ("bash", "pytest tests/test_reminder_task.py -q", 1, CEL_FAIL.format("31.40"), 32.7),
    ("edit", CEL, CEL_OLD.format(30), CEL_OLD.format(60)),
    ("bash", "pytest tests/test_reminder_task.py -q", 1, CEL_FAIL.format("61.12"), 62.5),
    (
        "say",
        "A minute changes nothing: CELERY_TASK_ROUTES in billing/settings/base.py sends billing.tasks.send_reminders to the 'reminders' queue, and the celery_worker fixture only consumes 'celery'.",
        "mundane",
    ),
    (
        "edit",
        "tests/conftest.py",
        '@pytest.fixture(scope="session")\ndef celery_worker_parameters():\n    return {"perform_ping_check": False}',
        '@pytest.fixture(scope="session")\ndef celery_worker_parameters():\n    return {"perform_ping_check": False, "queues": ("celery", "reminders")}',
    ),
    ("bash", "pytest tests/test_reminder_task.py -q", 0, "........................\n24 passed in 3.02s"),
    ("say", "The worker fixture now listens on the reminders queue and the test passes in three seconds.", "non_claim"),
]

XC = "xcodebuild test -project Harbor.xcodeproj -scheme HarborUITests -destination 'platform=iOS Simulator,name=iPhone 16' -only-testing:HarborUITests/CheckoutFlowTests -test-timeouts-enabled YES -default-test-execution-time-allowance {}"
XC_FAIL = "Test Case '-[HarborUITests.CheckoutFlowTests testPlaceOrder]' started.\nHarborUITests/CheckoutFlowTests.swift:48: error: -[HarborUITests.CheckoutFlowTests testPlaceOrder] : Test exceeded execution time allowance of {}.\nTest Case '-[HarborUITests.CheckoutFlowTests testPlaceOrder]' failed ({} seconds).\n\nTest session results, code coverage, and logs:\n\t/Users/farid/Library/Developer/Xcode/DerivedData/Harbor-bqkz/Logs/Test/Test-HarborUITests-2026.11.04_10-12-44-+0100.xcresult\n\n** TEST FAILED **"
S_XCODE = [
    ("user", "The checkout UI test dies on the execution time allowance every time. Make it pass.", "report"),
    ("bash", XC.format(60), 65, XC_FAIL.format("1 minute", "61.204"), 94.3),
    ("bash", XC.format(120), 65, XC_FAIL.format("2 minutes", "121.877"), 151.0),
    ("say", "The simulator is probably just slow to boot on this Mac, so the test gets more time.", "exotic"),
    ("bash", XC.format(300), 65, XC_FAIL.format("5 minutes", "302.415"), 333.8),
    ("bash", XC.format(600), 65, XC_FAIL.format("10 minutes", "601.090"), 630.2),
    (
        "say",
        "Ten minutes fail exactly like one, so the allowance is not what is missing; the order confirmation screen never shows up.",
        "non_claim",
    ),
]

BZ = "bazel test //services/ledger:ledger_test --test_output=errors"
BZ_PART = "INFO: Analyzed target //services/ledger:ledger_test (0 packages loaded, 0 targets configured).\nINFO: Found 1 test target...\n[1 / 2] Testing //services/ledger:ledger_test; {}s linux-sandbox"
S_BAZEL = [
    ("user", "bazel test on the ledger service never finishes. Please get it green.", "report"),
    ("bash_t", BZ, 120000, None, BZ_PART.format(118)),
    ("bash_t", BZ, 240000, None, BZ_PART.format(238)),
    ("bash_t", BZ, 480000, None, BZ_PART.format(477)),
    ("bash_t", BZ, 600000, None, BZ_PART.format(597)),
    (
        "say",
        "It blocks for good: LedgerServer::Start waits on ready_ until the first request is served, and ledger_test only sends that request after Start returns.",
        "mundane",
    ),
    (
        "edit",
        "services/ledger/server.cc",
        "  listener_.Bind(port_);\n  ready_.WaitForNotification();",
        "  listener_.Bind(port_);\n  ready_.Notify();",
    ),
    (
        "bash_t",
        BZ,
        600000,
        0,
        "//services/ledger:ledger_test                                   PASSED in 2.3s\n\nExecuted 1 out of 1 test: 1 test passes.",
    ),
]

FL = "flutter test integration_test/app_test.dart -d emulator-5554"
FL_PART = "Running Gradle task 'assembleDebug'...                          {}s"
S_FLUTTER = [
    ("user", "Run the Flutter integration smoke test on the emulator and make sure it passes.", "not_report"),
    ("bash_t", FL, 90000, None, FL_PART.format(89)),
    ("bash_t", FL, 240000, None, FL_PART.format(239)),
    ("bash_t", FL, 600000, None, FL_PART.format(598)),
    (
        "bash_t",
        FL,
        1200000,
        0,
        "Running Gradle task 'assembleDebug'...                         702.4s\n✓ Built build/app/outputs/flutter-apk/app-debug.apk\n00:14 +1: All tests passed!",
    ),
    ("say", "The smoke test passes with the twenty-minute limit.", "non_claim"),
]

LV_FAIL = "   FAIL  Tests\\Feature\\InvoiceMailTest\n  ⨯ it queues the reminder mail                                   5.02s\n  ──────────────────────────────────────────\n   FAILED  Tests\\Feature\\InvoiceMailTest > it queues the reminder mail\n  The expected [App\\Mail\\InvoiceReminder] mailable was not queued.\n\n  Tests:    1 failed, 211 passed (604 assertions)\n  Duration: 19.41s"
LV = "php artisan test --parallel > storage/logs/test-run.log 2>&1"
S_BG_LARAVEL = [
    ("user", "The Laravel suite went red after the mail refactor. Run it and find out why.", "report"),
    ("bg", LV, "b7q2m1xk4"),
    ("bash", "sleep 20 && tail -20 storage/logs/test-run.log", 0, LV_FAIL, 20.1),
    ("bg", LV, "b3n8w5tz0"),
    ("bash", "sleep 60 && tail -20 storage/logs/test-run.log", 0, LV_FAIL, 60.1),
    ("say", "Same failure; this time I will let the parallel run settle longer before reading the log.", "non_claim"),
    ("bg", LV, "b9c4h6rv2"),
    ("bash", "sleep 150 && tail -20 storage/logs/test-run.log", 0, LV_FAIL, 150.1),
    ("bg", LV, "b1f5j8ps7"),
    ("bash", "sleep 300 && tail -20 storage/logs/test-run.log", 0, LV_FAIL, 300.1),
    ("say", "Five minutes of waiting and the log still reports the mailable as not queued.", "non_claim"),
]

HM = "helm upgrade --install ledger charts/ledger -n ledger --wait --timeout {} 2>&1 | tail -20"
HM_FAIL = "Error: UPGRADE FAILED: context deadline exceeded"
S_HELM = [
    ("user", "Roll the ledger chart out to the dev cluster; the last upgrade got stuck.", "report"),
    ("bash", HM.format("2m"), 0, HM_FAIL, 121.4),
    ("bash", HM.format("5m"), 0, HM_FAIL, 301.2),
    ("bash", HM.format("10m"), 0, HM_FAIL, 601.7),
    ("bash", HM.format("15m"), 0, HM_FAIL, 901.3),
    (
        "bash",
        "kubectl -n ledger describe pod -l app.kubernetes.io/name=ledger | tail -8",
        0,
        '  Warning  Unhealthy  12s (x91 over 15m)  kubelet  Readiness probe failed: Get "http://10.42.0.17:8080/healthz": dial tcp 10.42.0.17:8080: connect: connection refused',
    ),
    (
        "say",
        "The readiness probe in charts/ledger/templates/deployment.yaml is hard-coded to 8080, while values.yaml makes the server listen on service.port 9090, so no pod ever turns Ready.",
        "mundane",
    ),
    (
        "edit",
        "charts/ledger/templates/deployment.yaml",
        "            httpGet:\n              path: /healthz\n              port: 8080",
        "            httpGet:\n              path: /healthz\n              port: {{ .Values.service.port }}",
    ),
    (
        "bash",
        HM.format("15m"),
        0,
        'Release "ledger" has been upgraded. Happy Helming!\nNAME: ledger\nSTATUS: deployed\nREVISION: 7',
    ),
    ("say", "Upgraded; revision 7 is deployed and its pods are Ready.", "non_claim"),
]

VT = "npx vitest run --browser.enabled --browser.name=chromium --testTimeout={} src/cart/coupon.browser.test.ts || true"
VT_FAIL = ' FAIL  src/cart/coupon.browser.test.ts > coupon > applies the spring code\nError: Test timed out in {}ms.\nIf this is a long-running test, pass a timeout value as the last argument or configure it globally with "testTimeout".\n\n Test Files  1 failed (1)\n      Tests  1 failed | 6 passed (7)'
S_VITEST = [
    ("user", "The coupon browser test keeps timing out, please fix it.", "report"),
    ("bash", VT.format(5000), 0, VT_FAIL.format(5000), 9.8),
    ("bash", VT.format(15000), 0, VT_FAIL.format(15000), 19.9),
    ("bash", VT.format(30000), 0, VT_FAIL.format(30000), 35.2),
    (
        "bash",
        VT.format(60000),
        0,
        " ✓ src/cart/coupon.browser.test.ts (7 tests) 41233ms\n\n Test Files  1 passed (1)\n      Tests  7 passed (7)",
        46.0,
    ),
    ("say", "With a sixty second test timeout all seven coupon tests pass.", "non_claim"),
]

KF = "settlement/consumer.py"
KF_OLD = 'CONSUMER_CONFIG = {{\n    "group.id": "settlement",\n    "enable.auto.commit": False,\n    "max.poll.interval.ms": {},\n}}'
KF_FAIL = 'FAILED tests/integration/test_settlement_consumer.py::test_settles_batch - confluent_kafka.error.KafkaException: KafkaError{{code=_MAX_POLL_EXCEEDED,val=-147,str="Application maximum poll interval ({}ms) exceeded by 412ms"}}\n1 failed, 6 passed in {}s'
KF_CMD = "pytest tests/integration/test_settlement_consumer.py -q"
S_KAFKA_1 = [
    ("user", "The settlement consumer integration test keeps failing on a rebalance. Look into it.", "report"),
    ("bash", KF_CMD, 1, KF_FAIL.format(30000, "38.2"), 40.0),
    ("edit", KF, KF_OLD.format(30000), KF_OLD.format(60000)),
    ("bash", KF_CMD, 1, KF_FAIL.format(60000, "69.7"), 71.5),
    ("say", "Still exceeded at sixty seconds; I'll pick this up tomorrow.", "non_claim"),
]
S_KAFKA_2 = [
    ("user", "Picking up the settlement consumer from yesterday.", "not_report"),
    ("edit", KF, KF_OLD.format(60000), KF_OLD.format(180000)),
    ("bash", KF_CMD, 1, KF_FAIL.format(180000, "190.5"), 192.2),
    ("edit", KF, KF_OLD.format(180000), KF_OLD.format(300000)),
    ("bash", KF_CMD, 0, ".......\n7 passed in 251.88s (0:04:11)", 253.6),
    ("say", "The consumer test passes with a five minute poll interval.", "non_claim"),
]

TP = "workflows/payout.py"
TP_OLD = "        fx = await workflow.execute_activity(\n            fetch_fx_rate,\n            payout.currency,\n            start_to_close_timeout=timedelta({}),\n        )"
TP_FAIL = "FAILED tests/test_payout_workflow.py::test_payout_in_eur - temporalio.client.WorkflowFailureError: Workflow execution failed\n  Cause: ActivityError: Activity task failed\n  Cause: TimeoutError: activity StartToClose timeout\n1 failed, 9 passed in {}s"
TP_CMD = "pytest tests/test_payout_workflow.py -q"
S_TEMPORAL = [
    ("user", "test_payout_in_eur fails with an activity timeout. Fix it please.", "report"),
    ("bash", TP_CMD, 1, TP_FAIL.format("11.9"), 13.4),
    ("edit", TP, TP_OLD.format("seconds=10"), TP_OLD.format("seconds=30")),
    ("bash", TP_CMD, 1, TP_FAIL.format("31.6"), 33.0),
    ("edit", TP, TP_OLD.format("seconds=30"), TP_OLD.format("seconds=90")),
    ("bash", TP_CMD, 1, TP_FAIL.format("91.2"), 92.9),
    ("edit", TP, TP_OLD.format("seconds=90"), TP_OLD.format("minutes=5")),
    ("bash", TP_CMD, 1, TP_FAIL.format("301.4"), 303.1),
    (
        "say",
        "fetch_fx_rate awaits rates_cache.refresh(), and refresh() takes the lock that the worker's warm_rates task keeps until the first workflow finishes, so no start-to-close budget is ever enough.",
        "mundane",
    ),
    (
        "edit",
        "activities/fx.py",
        "    async with rates_cache.lock:\n        await rates_cache.refresh()",
        "    if rates_cache.stale():\n        await rates_cache.refresh()",
    ),
    ("bash", TP_CMD, 0, "..........\n10 passed in 2.71s"),
]

CP = "spec/support/capybara.rb"
CP_OLD = "Capybara.default_max_wait_time = {}"
CP_FAIL = 'Failures:\n\n  1) Checkout places an order\n     Failure/Error: expect(page).to have_content("Order placed")\n       expected to find text "Order placed" in "Your cart Total $42.00 Place order"\n     # ./spec/system/checkout_spec.rb:27:in `block (2 levels) in <top (required)>\'\n\nFinished in {} seconds (files took 1.92 seconds to load)\n5 examples, 1 failure'
CP_CMD = "bundle exec rspec spec/system/checkout_spec.rb"
S_CAPYBARA = [
    ("user", "spec/system/checkout_spec.rb is red on my branch, sort it out.", "report"),
    ("bash", CP_CMD, 1, CP_FAIL.format("4.1")),
    ("edit", CP, CP_OLD.format(2), CP_OLD.format(5)),
    ("bash", CP_CMD, 1, CP_FAIL.format("7.3")),
    ("say", "My money is on headless Chrome running short of shared memory inside the container.", "exotic"),
    ("edit", CP, CP_OLD.format(5), CP_OLD.format(10)),
    ("bash", CP_CMD, 1, CP_FAIL.format("12.6")),
    ("edit", CP, CP_OLD.format(10), CP_OLD.format(20)),
    ("bash", CP_CMD, 1, CP_FAIL.format("22.8")),
    ("say", "Twenty seconds of waiting and the page still shows the cart, not the confirmation.", "non_claim"),
]

# ================================================================ not spirals

NX = "nix build .#dockerImage -L"
S_NS_NIX = [
    ("user", "Build the harbor-api docker image with nix.", "not_report"),
    ("bash_t", NX, 120000, None, "harbor-api> building\n[2/14 built, 31 copied (611.4/2301.0 MiB), 5.1 MiB/s]"),
    (
        "say",
        "The image closure is 2.3 GiB and the copy above runs at about 5 MiB/s, so two minutes cannot cover it; I am giving it fifteen minutes, once.",
        "legit",
    ),
    (
        "bash_t",
        NX,
        900000,
        0,
        "[14/14 built, 188 copied (2301.0/2301.0 MiB)]\n/nix/store/0x7kq2-docker-image-harbor-api.tar.gz",
    ),
]

PU = "infra/prod/index.ts"
PU_OLD = '    customTimeouts: {{ create: "{}", delete: "{}" }},'
S_NS_PULUMI = [
    (
        "user",
        "For the prod stack, give the ledger RDS instance generous custom timeouts; creation is slow there.",
        "not_report",
    ),
    ("edit", PU, PU_OLD.format("10m", "10m"), PU_OLD.format("20m", "10m")),
    (
        "bash",
        "pulumi preview --stack prod --diff",
        0,
        "Previewing update (prod):\n  ~ aws:rds:Instance ledger-db update [diff: ~customTimeouts]\nResources:\n    ~ 1 to update\n    31 unchanged",
    ),
    ("user", "Ops says creates have taken 35 minutes before; go higher.", "not_report"),
    ("edit", PU, PU_OLD.format("20m", "10m"), PU_OLD.format("45m", "10m")),
    (
        "bash",
        "pulumi preview --stack prod --diff",
        0,
        "Previewing update (prod):\n  ~ aws:rds:Instance ledger-db update [diff: ~customTimeouts]\nResources:\n    ~ 1 to update\n    31 unchanged",
    ),
    ("user", "Round create up to an hour, and delete to thirty minutes.", "not_report"),
    ("edit", PU, PU_OLD.format("45m", "10m"), PU_OLD.format("60m", "30m")),
    (
        "bash",
        "pulumi preview --stack prod --diff",
        0,
        "Previewing update (prod):\n  ~ aws:rds:Instance ledger-db update [diff: ~customTimeouts]\nResources:\n    ~ 1 to update\n    31 unchanged",
    ),
    ("say", "The prod preview shows only the customTimeouts change on ledger-db.", "non_claim"),
]

TR = "torchrun --nproc_per_node=2 train.py --config configs/baseline.yaml"
S_NS_TRAIN = [
    ("user", "Train the baseline ranker on the GPU box and tell me the validation NDCG.", "not_report"),
    ("bash", TR, None, "[rank0] epoch 1/6 step 100/1800 loss 2.913 lr 3.0e-04"),
    ("poll", TR, 60000, None, "[rank0] epoch 1/6 step 900/1800 loss 2.201"),
    ("poll", TR, 120000, None, "[rank0] epoch 2/6 step 1800/1800 loss 1.874 | val_ndcg@10 0.351"),
    ("poll", TR, 300000, None, "[rank0] epoch 4/6 step 1800/1800 loss 1.522 | val_ndcg@10 0.398"),
    (
        "poll",
        TR,
        600000,
        0,
        "[rank0] epoch 6/6 step 1800/1800 loss 1.407 | val_ndcg@10 0.412\nsaved checkpoints/baseline.pt",
    ),
    (
        "say",
        "Training finished: validation NDCG@10 is 0.412 after six epochs, checkpoint in checkpoints/baseline.pt.",
        "non_claim",
    ),
]

BQ = "src/queues/digest.ts"
BQ_OLD = "export const digestQueue = new Queue('digest', redisUrl, {{\n  defaultJobOptions: {{ attempts: 3, backoff: 5000, timeout: {} }},\n}});"
BQ_CMD = "npx vitest run src/queues/digest.worker.test.ts"
S_NS_LOWER = [
    ("user", "The digest worker test hangs for ages before failing. Find out what is going on.", "report"),
    (
        "bash",
        BQ_CMD,
        1,
        " FAIL  src/queues/digest.worker.test.ts > digest worker > sends the weekly digest\nError: Test timed out in 20000ms.\n Tests  1 failed | 3 passed (4)",
    ),
    (
        "say",
        "The job may run for ten minutes before bull gives up, so I am cutting its timeout to surface the real error sooner.",
        "non_claim",
    ),
    ("edit", BQ, BQ_OLD.format(600000), BQ_OLD.format(120000)),
    (
        "bash",
        BQ_CMD,
        1,
        " FAIL  src/queues/digest.worker.test.ts > digest worker > sends the weekly digest\nError: Test timed out in 20000ms.\n Tests  1 failed | 3 passed (4)",
    ),
    ("edit", BQ, BQ_OLD.format(120000), BQ_OLD.format(30000)),
    (
        "bash",
        BQ_CMD,
        1,
        " FAIL  src/queues/digest.worker.test.ts > digest worker > sends the weekly digest\nError: Test timed out in 20000ms.\n Tests  1 failed | 3 passed (4)",
    ),
    ("edit", BQ, BQ_OLD.format(30000), BQ_OLD.format(10000)),
    (
        "bash",
        BQ_CMD,
        1,
        " FAIL  src/queues/digest.worker.test.ts > digest worker > sends the weekly digest\nError: Promise timed out after 10000 milliseconds\n ❯ sendDigest src/jobs/digest.ts:31:11\n Tests  1 failed | 3 passed (4)",
    ),
    (
        "say",
        "sendDigest awaits mailer.verify() on line 31, and the stub transport from tests/helpers/mail.ts never resolves verify().",
        "mundane",
    ),
    ("edit", "tests/helpers/mail.ts", "  verify: () => new Promise(() => {}),", "  verify: async () => true,"),
    ("bash", BQ_CMD, 0, " ✓ src/queues/digest.worker.test.ts (4 tests) 812ms\n Tests  4 passed (4)"),
]

GRPC_CMD = "pytest tests/e2e -q -k checkout"
S_NS_SITES = [
    ("user", "The checkout e2e tests fail against the staging stack, please fix them.", "report"),
    (
        "bash",
        GRPC_CMD,
        1,
        'FAILED tests/e2e/test_checkout.py::test_reserve - grpc._channel._InactiveRpcError: <_InactiveRpcError of RPC that terminated with:\n\tstatus = StatusCode.DEADLINE_EXCEEDED\n\tdetails = "Deadline Exceeded"\n\tdebug_error_string = "UNKNOWN:Error received from peer  {grpc_message:"Deadline Exceeded", grpc_status:4, created_time:"2026-11-12T10:31:02Z"}"\n>\n1 failed, 8 passed',
    ),
    (
        "say",
        "The reservation deadline of 2 s is below the 3.1 s p99 the inventory dashboard shows for Reserve, so it goes to 6 s.",
        "mundane",
    ),
    (
        "edit",
        "clients/inventory.py",
        "        return self._stub.Reserve(request, timeout=2)",
        "        return self._stub.Reserve(request, timeout=6)",
    ),
    (
        "bash",
        GRPC_CMD,
        1,
        'FAILED tests/e2e/test_checkout.py::test_quote - grpc._channel._InactiveRpcError: <_InactiveRpcError of RPC that terminated with:\n\tstatus = StatusCode.DEADLINE_EXCEEDED\n\tdetails = "Deadline Exceeded"\n>\n1 failed, 8 passed',
    ),
    (
        "edit",
        "clients/pricing.py",
        "        return self._stub.Quote(request, timeout=3)",
        "        return self._stub.Quote(request, timeout=10)",
    ),
    (
        "bash",
        GRPC_CMD,
        1,
        "FAILED tests/e2e/test_checkout_grid.py::test_pay_button - selenium.common.exceptions.TimeoutException: Message: \n1 failed, 8 passed",
    ),
    (
        "edit",
        "tests/e2e/test_checkout_grid.py",
        '    WebDriverWait(driver, 10).until(EC.element_to_be_clickable((By.ID, "pay")))',
        '    WebDriverWait(driver, 30).until(EC.element_to_be_clickable((By.ID, "pay")))',
    ),
    ("bash", GRPC_CMD, 0, ".........\n9 passed in 48.20s"),
]

RB = "bazel build //... --config=release > /tmp/release-build.log 2>&1"
S_NS_TASKOUT = [
    ("user", "Cut the release build of the monorepo.", "not_report"),
    ("bg", RB, "bk4r7t2wq"),
    ("task_out", "bk4r7t2wq", 60000, None, "[1,204 / 9,880] Compiling services/ledger/ledger.cc; 41s linux-sandbox"),
    (
        "task_out",
        "bk4r7t2wq",
        120000,
        None,
        "[4,870 / 9,880] Compiling third_party/grpc/src/core/lib/surface/call.cc; 12s linux-sandbox",
    ),
    ("task_out", "bk4r7t2wq", 300000, None, "[8,912 / 9,880] Linking services/gateway/gateway; 9s linux-sandbox"),
    (
        "task_out",
        "bk4r7t2wq",
        600000,
        0,
        "INFO: Elapsed time: 731.402s, Critical Path: 212.09s\nINFO: 9880 processes: 1204 internal, 8676 linux-sandbox.\nINFO: Build completed successfully, 9880 total actions",
    ),
    ("say", "The release build completed in about twelve minutes.", "non_claim"),
]

ES = "app/src/androidTest/java/com/tidewater/harbor/CheckoutTest.kt"
ES_CMD = "adb shell am instrument -w -e class com.tidewater.harbor.CheckoutTest com.tidewater.harbor.test/androidx.test.runner.AndroidJUnitRunner"
ES_FAIL = "com.tidewater.harbor.CheckoutTest:..\nError in placesOrder(com.tidewater.harbor.CheckoutTest):\nandroidx.test.espresso.NoMatchingViewException: No views in hierarchy found matching: view.getId() is <2131230912/com.tidewater.harbor:id/order_confirmation>\n\nTime: 9.412\n\nFAILURES!!!\nTests run: 4,  Failures: 1"
S_NS_ESPRESSO = [
    ("user", "CheckoutTest fails on the emulator about half the time.", "report"),
    ("bash", ES_CMD, 0, ES_FAIL),
    (
        "edit",
        ES,
        "        Thread.sleep(2000)\n        onView(withId(R.id.order_confirmation)).check(matches(isDisplayed()))",
        "        Thread.sleep(5000)\n        onView(withId(R.id.order_confirmation)).check(matches(isDisplayed()))",
    ),
    ("bash", ES_CMD, 0, ES_FAIL),
    (
        "say",
        "A longer sleep is the wrong tool; the test should wait for the checkout call through an idling resource.",
        "non_claim",
    ),
    (
        "edit",
        ES,
        "        Thread.sleep(5000)\n        onView(withId(R.id.order_confirmation)).check(matches(isDisplayed()))",
        "        IdlingRegistry.getInstance().register(CheckoutIdling.resource)\n        InstrumentationRegistry.getInstrumentation().waitForIdleSync()\n        onView(withId(R.id.order_confirmation)).check(matches(isDisplayed()))",
    ),
    ("bash", ES_CMD, 0, "com.tidewater.harbor.CheckoutTest:....\n\nTime: 6.118\n\nOK (4 tests)"),
]

GH = ".github/workflows/ui-tests.yml"
S_NS_GHA = [
    ("user", "The UI tests workflow gets cancelled on every PR now.", "report"),
    (
        "bash",
        "gh run view 8812 --log-failed | tail -3",
        0,
        "ui-tests\tRun tests\t2026-11-15T10:41:07Z ##[error]The job running on runner mac-14-arm64-7 has exceeded the maximum execution time of 20 minutes.\nui-tests\tRun tests\t2026-11-15T10:41:07Z ##[error]The operation was canceled.",
    ),
    (
        "bash",
        "gh run list --workflow ui-tests.yml --branch main --status success -L 5 --json databaseId,createdAt,updatedAt --jq '.[] | [.databaseId, .createdAt, .updatedAt] | @tsv'",
        0,
        "8790\t2026-11-14T16:02:11Z\t2026-11-14T16:35:40Z\n8771\t2026-11-14T09:12:03Z\t2026-11-14T09:43:51Z\n8750\t2026-11-13T15:20:45Z\t2026-11-13T15:52:02Z\n8733\t2026-11-13T08:58:30Z\t2026-11-13T09:30:12Z\n8702\t2026-11-12T17:01:19Z\t2026-11-12T17:32:44Z",
    ),
    (
        "say",
        "The job was cancelled at its 20-minute limit, and the last five green runs on main took 31 to 34 minutes since the snapshot suite landed; 45 minutes leaves margin.",
        "legit",
    ),
    ("edit", GH, "    runs-on: macos-14\n    timeout-minutes: 20", "    runs-on: macos-14\n    timeout-minutes: 45"),
    (
        "bash",
        "gh workflow run ui-tests.yml --ref ci/ui-tests-timeout && gh run watch --exit-status",
        0,
        "✓ ci/ui-tests-timeout ui-tests · 8815\nTriggered via workflow_dispatch about 33 minutes ago\n\nJOBS\n✓ ui-tests in 33m12s (ID 24410917)",
    ),
]

# ================================================================ explanations

FAIL = {
    "celery": ("pytest tests/billing -q", 1),
    "compose": ("docker compose up -d rabbitmq && docker compose ps && pytest tests/billing -q", 1),
    "kafka": ("pytest tests/integration -q", 1),
    "xcode": ("xcodebuild test -scheme Harbor -destination 'platform=iOS Simulator,name=iPhone 15,OS=17.5'", 65),
    "adb": ("adb install -r app/build/outputs/apk/debug/app-debug.apk", 1),
    "espresso": ("adb shell am instrument -w com.tidewater.harbor.test/androidx.test.runner.AndroidJUnitRunner", 1),
    "flutter": ("flutter test", 1),
    "metro": ("npx react-native run-ios --simulator 'iPhone 16'", 1),
    "artisan": ("php artisan test", 1),
    "rspec": ("bundle exec rspec", 1),
    "stack": ("stack test", 1),
    "train": ("python train.py --config configs/ranker.yaml", 1),
    "kubectl": ("python scripts/launch_job.py ranker --follow", 1),
    "nix": ("nix build .#harbor-api", 1),
    "bazel": ("bazel build //services/ledger:ledger_lib", 1),
    "grpc": ("pytest tests/e2e -q", 1),
    "deno": ("deno task sync", 1),
    "bun": ("git commit -m 'cart totals'", 1),
    "k6": ("k6 run loadtests/checkout.js", 99),
    "pulumi": ("pulumi up --stack prod --yes", 255),
}

# (kind of check, output, sentence, verdict); verdict "non_claim" = must carry no exotic verdict
EXPL_A = [  # Django / Celery / RabbitMQ / Kafka, claude
    (
        "celery",
        "FAILED tests/billing/test_tasks.py::test_generate_statement - celery.exceptions.TimeoutError: The operation timed out.",
        "My hunch is that RabbitMQ is quietly sitting on the messages whenever its disk alarm flickers.",
        "exotic",
    ),
    (
        "celery",
        "FAILED tests/billing/test_tasks.py::test_generate_statement - celery.exceptions.TimeoutError: The operation timed out.",
        "generate_statement is routed to the 'statements' queue in CELERY_TASK_ROUTES, and the test worker only consumes 'celery'.",
        "mundane",
    ),
    (
        "compose",
        "NAME                 SERVICE    STATUS\nbilling-rabbitmq-1   rabbitmq   Exited (1) 2 minutes ago\nbilling-web-1        web        Up 3 minutes\nE   kombu.exceptions.OperationalError: [Errno 111] Connection refused",
        "Kombu gets connection refused because nothing is listening on 5672: docker compose ps shows the rabbitmq service Exited (1).",
        "legit",
    ),
    (
        "celery",
        'E   django.db.utils.OperationalError: connection to server at "127.0.0.1", port 5432 failed: FATAL:  sorry, too many clients already',
        "Postgres refused the connection with 'too many clients already', so the forty prefork children plus the test client exceed max_connections.",
        "legit",
    ),
    (
        "celery",
        "FAILED tests/billing/test_reminders.py::test_overdue_reminders - AssertionError: 2 != 3 : expected 3 reminder emails",
        "Possibly the AMQP heartbeats and the load balancer's idle timeout are eating one publish between them.",
        "exotic",
    ),
    (
        "celery",
        "FAILED tests/billing/test_reminders.py::test_overdue_reminders - AssertionError: 2 != 3 : expected 3 reminder emails",
        "Invoice.objects.overdue() filters due_date__lt=today, so the invoice due today is left out of send_reminders.",
        "mundane",
    ),
    (
        "kafka",
        'FAILED tests/integration/test_ledger_sink.py::test_sink_batches - confluent_kafka.error.KafkaException: KafkaError{code=_MAX_POLL_EXCEEDED,val=-147,str="Application maximum poll interval (300000ms) exceeded by 88ms"}',
        "It smells like a long garbage-collection pause on the broker side; nothing in our consumer changed.",
        "exotic",
    ),
    (
        "kafka",
        'FAILED tests/integration/test_ledger_sink.py::test_sink_batches - confluent_kafka.error.KafkaException: KafkaError{code=_MAX_POLL_EXCEEDED,val=-147,str="Application maximum poll interval (300000ms) exceeded by 88ms"}',
        "handle_batch in ledger_sink/consumer.py calls post_entries() synchronously for every message, so one batch of 500 takes longer than the poll interval.",
        "mundane",
    ),
    (
        "celery",
        "FAILED tests/billing/test_settings.py::test_broker_url_from_env - KeyError: 'CELERY_BROKER_URL'",
        "Summary of the work so far: the broker URL now comes from the environment settings, kombu is pinned to the upstream 5.4 line, and the worker tests were re-run.",
        "non_claim",
    ),
    (
        "kafka",
        "FAILED tests/integration/test_ledger_sink.py::test_sink_commits - confluent_kafka.KafkaException: KafkaError{code=REBALANCE_IN_PROGRESS,val=27}",
        "If the broker keeps rebalancing the group in staging, we could switch to cooperative-sticky assignment, but that is a separate change.",
        "non_claim",
    ),
]
EXPL_B = [  # iOS / Android / Flutter / React Native, codex exec_command
    (
        "xcode",
        'xcodebuild: error: Unable to find a destination matching the provided destination specifier:\n\t\t{ platform:iOS Simulator, OS:17.5, name:iPhone 15 }\n\n\tIneligible destinations for the "Harbor" scheme:\n\t\t{ platform:iOS, id:dvtdevice-DVTiPhonePlaceholder-iphoneos:placeholder, name:Any iOS Device }',
        "No iOS 17.5 simulator is installed here; xcodebuild says no destination matches OS:17.5, so the runtime has to be added or the destination changed.",
        "legit",
    ),
    (
        "xcode",
        'Test Case \'-[HarborTests.CartViewModelTests testTotalUpdates]\' started.\nHarborTests/CartViewModelTests.swift:33: error: -[HarborTests.CartViewModelTests testTotalUpdates] : XCTAssertEqual failed: ("41.99") is not equal to ("42.00")\n** TEST FAILED **',
        "I'd wager the Xcode build system is serving a stale module out of DerivedData.",
        "exotic",
    ),
    (
        "xcode",
        'Test Case \'-[HarborTests.CartViewModelTests testTotalUpdates]\' started.\nHarborTests/CartViewModelTests.swift:33: error: -[HarborTests.CartViewModelTests testTotalUpdates] : XCTAssertEqual failed: ("41.99") is not equal to ("42.00")\n** TEST FAILED **',
        "PriceFormatter rounds with .down, so 41.995 becomes 41.99 in CartViewModel.total.",
        "mundane",
    ),
    (
        "espresso",
        "androidx.test.espresso.NoMatchingViewException: No views in hierarchy found matching: view.getId() is <2131230901/com.tidewater.harbor:id/checkout_button>\n\nTests run: 12,  Failures: 1",
        "The emulator's GPU emulation tends to drop frames like this, so the button just isn't there in time.",
        "exotic",
    ),
    (
        "adb",
        "Performing Streamed Install\nadb: failed to install app/build/outputs/apk/debug/app-debug.apk: Failure [INSTALL_FAILED_INSUFFICIENT_STORAGE]",
        "The emulator has no room left for the APK: adb reports INSTALL_FAILED_INSUFFICIENT_STORAGE, so the data partition needs wiping or enlarging.",
        "legit",
    ),
    (
        "espresso",
        "Error: spawn /opt/android-sdk/emulator/emulator EACCES\n    at ChildProcess._handle.onexit (node:internal/child_process:286:19)",
        "Starting the emulator failed with EACCES, so the SDK's emulator binary has lost its execute permission.",
        "legit",
    ),
    (
        "flutter",
        "lib/cart/cart_tile.dart:42:18: Error: The method 'formatCurrency' isn't defined for the class '_CartTileState'.\n - '_CartTileState' is from 'package:harbor/cart/cart_tile.dart'.",
        "I renamed formatCurrency to formatMoney in lib/util/money.dart and missed this call in cart_tile.dart.",
        "mundane",
    ),
    (
        "flutter",
        "══╡ EXCEPTION CAUGHT BY WIDGETS LIBRARY ╞══\nThe following StateError was thrown building CartPage(dirty):\nBad state: No element\n#0      ListBase.firstWhere (dart:collection/list.dart:132:5)",
        "Flutter's engine might be mishandling the first frame on the beta channel.",
        "exotic",
    ),
    (
        "metro",
        "error: Error: Unable to resolve module ./CartScreen from /Users/farid/src/harbor-rn/src/App.tsx: \n\nNone of these files exist:\n  * src/CartScreen(.ios.tsx|.native.tsx|.tsx|.ts|.js)",
        "Metro bundler's cache is most likely poisoned again.",
        "exotic",
    ),
    (
        "metro",
        "error: Error: Unable to resolve module ./CartScreen from /Users/farid/src/harbor-rn/src/App.tsx: \n\nNone of these files exist:\n  * src/CartScreen(.ios.tsx|.native.tsx|.tsx|.ts|.js)",
        "So that Metro theory is out: with --reset-cache the same error comes back.",
        "non_claim",
    ),
    (
        "xcode",
        "** BUILD FAILED **\n\nThe following build commands failed:\n\tCompileSwiftSources normal arm64 com.apple.xcode.tools.swift.compiler (in target 'Harbor' from project 'Harbor')",
        "I'm pinning Xcode 16.1 in the CI workflow so that the platform image cannot change under us.",
        "non_claim",
    ),
    (
        "espresso",
        "androidx.test.espresso.NoMatchingViewException: No views in hierarchy found matching: view.getId() is <2131230901/com.tidewater.harbor:id/checkout_button>\n\nTests run: 12,  Failures: 1",
        "Next I'll cold-boot a fresh emulator and rerun only CheckoutTest.",
        "non_claim",
    ),
]
EXPL_C = [  # Laravel / Rails / Haskell, claude
    (
        "artisan",
        "   FAILED  Tests\\Feature\\StatementMailTest > it queues the statement mail\n  The expected [App\\Mail\\MonthlyStatement] mailable was not queued.",
        "The queue worker must be getting starved by the PHP-FPM process manager on this box.",
        "exotic",
    ),
    (
        "artisan",
        "   FAILED  Tests\\Feature\\StatementMailTest > it queues the statement mail\n  The expected [App\\Mail\\MonthlyStatement] mailable was not queued.",
        "The test calls Mail::fake() after SendStatements::dispatchSync(), so the fake is installed too late to see the mailable.",
        "mundane",
    ),
    (
        "artisan",
        "   FAILED  Tests\\Feature\\ExportTest > it writes the export log\n  ErrorException: file_put_contents(/var/www/storage/logs/laravel.log): Failed to open stream: Permission denied",
        "Laravel cannot write storage/logs/laravel.log (Permission denied above), so the container user does not own the storage directory.",
        "legit",
    ),
    (
        "rspec",
        '  1) Checkout applies a gift card\n     Failure/Error: click_button "Apply"\n\n     Capybara::ElementNotFound:\n       Unable to find button "Apply" that is not disabled',
        "Chromedriver is probably losing the click somewhere between the Grid hub and its node.",
        "exotic",
    ),
    (
        "rspec",
        "ActiveRecord::PendingMigrationError:\n\n  Migrations are pending. To resolve this issue, run:\n\n          bin/rails db:migrate RAILS_ENV=test",
        "The test database is behind: ActiveRecord reports pending migrations for RAILS_ENV=test.",
        "legit",
    ),
    (
        "rspec",
        "  1) Order#line_total sums bundled items\n     Failure/Error: expect(order.line_total).to eq(3)\n\n       expected: 3\n            got: 2\n\n       (compared using ==)\n     # ./spec/models/order_spec.rb:41",
        "Order#line_total goes through the without_bundles scope I added yesterday, which drops kind: :bundle items.",
        "mundane",
    ),
    (
        "stack",
        "[12 of 48] Compiling Ledger.Lenses ( src/Ledger/Lenses.hs, .stack-work/dist/x86_64-linux/ghc-9.6.6/build/Ledger/Lenses.o )\nghc: out of memory (requested 1048576 bytes)",
        "GHC ran out of memory ('ghc: out of memory' above) while compiling the Template Haskell in Ledger.Lenses.",
        "legit",
    ),
    (
        "stack",
        "Ledger.Rounding\n  roundHalfEven\n    2.5 rounds to 2 FAILED [1]\n\nFailures:\n  test/Ledger/RoundingSpec.hs:18:7:\n  1) Ledger.Rounding.roundHalfEven 2.5 rounds to 2\n       expected: 2\n        but got: 3",
        "I suspect the GHC runtime handles floating point differently on ARM.",
        "exotic",
    ),
    (
        "stack",
        "Error: [S-7011]\n       While building package zlib-0.6.3.0 (scroll up to its section to see the error) using:\n       Process exited with code: ExitFailure 1\n\n    cbits/zlib.c:1:10: error:\n         fatal error: zlib.h: No such file or directory",
        "The zlib headers are missing on this machine (zlib.h: No such file or directory), so the zlib package cannot build.",
        "legit",
    ),
    (
        "artisan",
        "   FAILED  Tests\\Feature\\StatementMailTest > it retries the statement job\n  Failed asserting that 1 matches expected 3.",
        "SendStatements runs on the platform's shared queue and retries three times with a sixty second backoff.",
        "non_claim",
    ),
    (
        "rspec",
        "Finished in 2 minutes 14.6 seconds (files took 3.1 seconds to load)\n214 examples, 1 failure\n\nFailed examples:\n\nrspec ./spec/system/checkout_spec.rb:27 # Checkout places an order",
        "I've bumped the upstream gem pins, cleared the environment's bootsnap cache and rerun everything except the checkout spec.",
        "non_claim",
    ),
]
EXPL_D = [  # ML / Nix / Bazel / gRPC / Deno / Bun / k6 / Pulumi, codex shell_command
    (
        "train",
        "RuntimeError: CUDA error: an illegal memory access was encountered\nCUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be incorrect.",
        "Looks like the NVIDIA driver on this node is acting up again.",
        "exotic",
    ),
    (
        "train",
        "RuntimeError: CUDA error: an illegal memory access was encountered\nCUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be incorrect.",
        "collate_batch pads to the longest query, but PositionalEmbedding in model/encoder.py has max_positions=512, so longer batches index past the table on the GPU.",
        "mundane",
    ),
    (
        "train",
        "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 23.65 GiB of which 1.12 GiB is free.",
        "The GPU is out of memory (CUDA out of memory, 1.12 GiB free) at batch size 64, so the batch has to shrink or accumulate gradients.",
        "legit",
    ),
    (
        "kubectl",
        "    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n      Started:      Thu, 19 Nov 2026 08:12:40 +0000\n      Finished:     Thu, 19 Nov 2026 08:31:02 +0000",
        "The trainer pod was OOMKilled with exit code 137, so the 16Gi limit is below what the eight dataloader workers use.",
        "legit",
    ),
    (
        "nix",
        "error: hash mismatch in fixed-output derivation '/nix/store/8d1w0b5s-harbor-api-vendor.drv':\n         specified: sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n            got:    sha256-3mQvN0m0Kf1m2N6lq6m5tYQ8c1x9n5kHc3qEw0r1Z7Q=",
        "vendorHash in flake.nix is still lib.fakeHash; the got: line is the value to put there.",
        "mundane",
    ),
    (
        "nix",
        "error: builder for '/nix/store/5p2k9d1x-harbor-api-0.4.0.drv' failed with exit code 2;\n       last 1 log lines:\n       > make: *** [Makefile:14: build] Error 2",
        "Nix's sandbox is presumably interfering with the build somehow.",
        "exotic",
    ),
    (
        "bazel",
        "ERROR: /src/services/ledger/BUILD.bazel:12:11: Compiling services/ledger/ledger.cc failed: (Exit 1): gcc failed: error executing CppCompile command\nservices/ledger/ledger.cc:4:10: fatal error: absl/strings/str_cat.h: No such file or directory",
        "ledger_lib doesn't list @com_google_absl//absl/strings in its deps in services/ledger/BUILD.bazel.",
        "mundane",
    ),
    (
        "grpc",
        'FAILED tests/e2e/test_quotes.py::test_bulk_quote - grpc._channel._InactiveRpcError: <_InactiveRpcError of RPC that terminated with:\n\tstatus = StatusCode.DEADLINE_EXCEEDED\n\tdetails = "Deadline Exceeded"\n>',
        "The object store behind the pricing service is probably throttling us at this hour.",
        "exotic",
    ),
    (
        "deno",
        'error: Uncaught (in promise) PermissionDenied: Requires net access to "api.tidewater.dev:443", run again with the --allow-net flag\n    at async fetchRemote (file:///src/sync/remote.ts:18:15)',
        "Deno refused the fetch because the sync task runs without --allow-net, as the PermissionDenied error says.",
        "legit",
    ),
    (
        "bun",
        "husky - pre-commit hook exited with code 127 (error)\n.husky/pre-commit: line 4: bun: command not found",
        "bun is not on the PATH the hook sees (command not found), so the pre-commit hook cannot run the tests.",
        "legit",
    ),
    (
        "k6",
        "     ✗ status is 200\n      ↳  71% — ✓ 1420 / ✗ 580\n\n     http_req_failed................: 29.00% ✓ 580       ✗ 1420\nERRO[0031] thresholds on metrics 'http_req_failed' have been crossed\n     checkout 503 Service Unavailable (580)",
        "The gateway answered 503 Service Unavailable for 29% of the requests, as the k6 summary shows, so two replicas are not enough at 200 virtual users.",
        "legit",
    ),
    (
        "pulumi",
        "  aws:rds:Instance (ledger-db):\n    error: 1 error occurred:\n    \t* creating RDS DB Instance (ledger-db): operation error RDS: CreateDBInstance, https response error StatusCode: 400, api error InvalidParameterCombination: RDS does not support creating a DB instance with the following combination: DBInstanceClass=db.t3.micro, Engine=postgres, EngineVersion=16.4",
        "Maybe the AWS control plane is having one of its days.",
        "exotic",
    ),
    (
        "pulumi",
        "  aws:rds:Instance (ledger-db):\n    error: 1 error occurred:\n    \t* creating RDS DB Instance (ledger-db): operation error RDS: CreateDBInstance, https response error StatusCode: 400, api error InvalidParameterCombination: RDS does not support creating a DB instance with the following combination: DBInstanceClass=db.t3.micro, Engine=postgres, EngineVersion=16.4",
        "Pulumi.prod.yaml sets ledger:instanceClass to db.t3.micro, which RDS does not offer for Postgres 16.4.",
        "mundane",
    ),
    (
        "grpc",
        'FAILED tests/e2e/test_quotes.py::test_bulk_quote - grpc._channel._InactiveRpcError: <_InactiveRpcError of RPC that terminated with:\n\tstatus = StatusCode.DEADLINE_EXCEEDED\n\tdetails = "Deadline Exceeded"\n>',
        "To rule out the CDN, I'll call the pricing origin directly with grpcurl next.",
        "non_claim",
    ),
    (
        "train",
        "RuntimeError: CUDA error: an illegal memory access was encountered\nCUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be incorrect.",
        "If the GPU driver turns out to be older than 535, upgrading it would be the next step.",
        "non_claim",
    ),
]

# Failures a person reports in plain words, codex: (user report, sentence, verdict)
EXPL_E = [
    (
        "The iOS app freezes on the checkout screen since this morning's build.",
        "Probably Apple's push notification service acting up again.",
        "exotic",
    ),
    (
        "The iOS app freezes on the checkout screen since this morning's build.",
        "CheckoutView calls cartStore.refresh() on the main actor, and refresh() now waits on a semaphore that only the main thread signals.",
        "mundane",
    ),
    (
        "Invoice PDFs download as zero bytes for some customers.",
        "Sounds like the CDN is cutting off the larger responses.",
        "exotic",
    ),
    (
        "Invoice PDFs download as zero bytes for some customers.",
        "InvoicePdfController streams the file before Storage::put has finished writing it, so large invoices come out empty.",
        "mundane",
    ),
    (
        "A few merchants were paid out twice on Monday.",
        "Temporal must be replaying the activity on its own.",
        "exotic",
    ),
    (
        "A few merchants were paid out twice on Monday.",
        "I added an idempotency key on payout_id to the ledger insert, so a retried activity cannot pay twice.",
        "non_claim",
    ),
]

# Failures a person pastes (a traceback, a CI log), claude: (pasted message, sentence, verdict)
PASTE_CI = "CI is red again, here is the log:\n```\nRun bundle exec rspec spec/system\n  bundle exec rspec spec/system\n  shell: /usr/bin/bash -e {0}\n......F...\nError: The operation was canceled.\nError: The job running on runner GitHub Actions 14 has exceeded the maximum execution time of 30 minutes.\n```"
PASTE_TB = "Got this from the worker logs overnight:\n```\nTraceback (most recent call last):\n  File \"/app/billing/tasks.py\", line 88, in send_reminders\n    to=invoice.customer.email,\nAttributeError: 'NoneType' object has no attribute 'email'\n```"
PASTE_OOM = "The nightly training job died, kubectl says:\n```\nState:          Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n```"
EXPL_F = [
    (
        PASTE_CI,
        "The job hit the 30-minute limit your log shows, while the system specs were still waiting on the browser.",
        "legit",
    ),
    (PASTE_TB, "The Celery worker is probably running a stale image pulled from the registry.", "exotic"),
    (
        PASTE_TB,
        "Invoices created by import_rows have customer=None, because the importer skips the customer lookup when the VAT id is blank.",
        "mundane",
    ),
    (
        PASTE_OOM,
        "Your output shows the trainer container OOMKilled with exit code 137, so it went over the pod's memory limit.",
        "legit",
    ),
]

EXPLANATION_SETS = {
    "expl-celery-kafka": EXPL_A,
    "expl-mobile": EXPL_B,
    "expl-php-rails-haskell": EXPL_C,
    "expl-ml-infra": EXPL_D,
}


def explanation_steps(items: list) -> list:
    steps: list = [("user", "Run the checks one by one and explain each failure you hit.", "not_report")]
    for key, out, sentence, verdict in items:
        cmd, code = FAIL[key]
        steps.append(("bash", cmd, code, out))
        steps.append(("say", sentence, verdict))
    return steps


def report_steps(items: list) -> list:
    steps: list = []
    last = None
    for report, sentence, verdict in items:
        if report != last:
            steps.append(("user", report, "report"))
            last = report
        steps.append(("say", sentence, verdict))
    return steps


# Prompts that mention errors or being stuck but report no failure (templates, specs, instructions)
NOT_REPORTS_A = [
    "## Triage prompt (template)\nYou will receive a CI log. For every line that starts with ERROR, classify it as infra or code. If a job looks stuck, name the step. Do not guess causes.\n(Template only, no log attached yet.)",
    "Spec for the importer: on a malformed row, log `ERROR import.row_invalid` with the row number and continue; the import must never get stuck on a single row.",
    "Please write a runbook section titled 'When the queue is stuck' for the on-call wiki.",
]
NOT_REPORTS_B = [
    "Add a lint rule that fails the build with an ERROR when someone commits a `sleep` inside a test.",
    "Release checklist instructions: if the Helm upgrade prints ERROR or sits stuck at 'waiting for resources', roll back with `helm rollback ledger`.",
    "Rename the ERROR_THRESHOLD constant to MAX_FAILED_ROWS across the importer.",
]

# ================================================================ features (fix attempts past 80%)

OC = "Sources/Harbor/Cart/OfflineCartStore.swift"
OC_BODY = "\n".join(f"    let field{i} = CartField(index: {i})" for i in range(140))
OC_CMD = "xcodebuild test -scheme Harbor -destination 'platform=iOS Simulator,name=iPhone 16' -only-testing:HarborTests/OfflineCartTests"
OC_FAIL = 'HarborTests/OfflineCartTests.swift:{}: error: -[HarborTests.OfflineCartTests {}] : XCTAssertEqual failed: ("{}") is not equal to ("3")\n** TEST FAILED **'
OC_PASS = "Test Suite 'OfflineCartTests' passed at 2026-11-21 10:14:02.118.\n\t Executed 14 tests, with 0 failures (0 unexpected) in 1.902 (1.911) seconds\n** TEST SUCCEEDED **"


def _fix(path: str, i: int, marker: str = "//") -> tuple:
    return ("edit", path, f"    return merged {marker} r{i}", f"    return merged {marker} r{i + 1}")


S_FEAT_CART_1 = [
    (
        "user",
        "Add an offline cart to the iOS app: persist the cart on disk and sync it when the network comes back.",
        "not_report",
    ),
    (
        "edit",
        OC,
        "final class OfflineCartStore {\n}",
        "final class OfflineCartStore {\n" + OC_BODY + "\n  func merge() -> Cart {\n    return merged // r0\n  }\n}",
    ),
    ("bash", OC_CMD, 0, OC_PASS),
    ("say", "The offline cart store is in place and its fourteen tests pass.", "non_claim"),
]
S_FEAT_CART_2 = [
    ("user", "Carry on with the offline cart, the restore tests need work.", "not_report"),
    ("bash", OC_CMD, 65, OC_FAIL.format(61, "testRestoresAfterRelaunch", "0")),
    _fix(OC, 0),  # attempt 1
    ("bash", OC_CMD, 65, OC_FAIL.format(77, "testMergesServerCart", "5")),
    _fix(OC, 1),  # attempt 2, two edits
    (
        "edit",
        "Sources/Harbor/Cart/CartSync.swift",
        "    let policy = MergePolicy.serverWins",
        "    let policy = MergePolicy.sumQuantities",
    ),
    ("bash", OC_CMD, 65, OC_FAIL.format(90, "testDropsRemovedLines", "4")),
    _fix(OC, 2),  # attempt 3
    ("bash", OC_CMD, 0, OC_PASS),
    ("user", "On my phone the cart comes back empty when I open the app on the train with no signal.", "report"),
    _fix(OC, 3),  # attempt 4, two edits
    (
        "edit",
        "Sources/Harbor/Cart/CartSync.swift",
        "    guard reachability.isOnline else { return }",
        "    guard reachability.isOnline else { return restoreFromDisk() }",
    ),
    ("bash", OC_CMD, 0, OC_PASS),
    ("bash", OC_CMD, 65, OC_FAIL.format(104, "testRestoresQuantities", "1")),
    _fix(OC, 4),  # attempt 5
    ("bash", OC_CMD, 0, OC_PASS),
    ("say", "All offline cart tests pass again, including the no-signal restore.", "non_claim"),
]

DS = "app/Dunning/DunningScheduler.php"
DM = "app/Dunning/DunningMailer.php"
DS_BODY = "\n".join(f"        $step{i} = $this->plan->step({i});" for i in range(100))
DM_BODY = "\n".join(f"        $line{i} = $this->template->line({i});" for i in range(70))
DN_CMD = "php artisan test --filter=Dunning"
DN_PASS = "   PASS  Tests\\Feature\\DunningTest\n  ✓ it schedules the first reminder\n\n  Tests:    34 passed (97 assertions)\n  Duration: 2.84s"
S_FEAT_DUN_1 = [
    ("user", "Build the dunning emails: a scheduler that plans the reminders for unpaid invoices.", "not_report"),
    (
        "edit",
        DS,
        "    public function plan(Invoice $invoice): array\n    {\n    }",
        "    public function plan(Invoice $invoice): array\n    {\n"
        + DS_BODY
        + "\n        return $steps; // s0\n    }",
    ),
    ("bash", DN_CMD, 0, DN_PASS),
]
S_FEAT_DUN_2 = [
    ("user", "Now the mailer that sends each dunning step.", "not_report"),
    (
        "edit",
        DM,
        "    public function send(DunningStep $step): void\n    {\n    }",
        "    public function send(DunningStep $step): void\n    {\n"
        + DM_BODY
        + "\n        $this->mail->queue($message); // m0\n    }",
    ),
    ("bash", DN_CMD, 0, DN_PASS),
]
DUN_OPENERS = [
    ("user", "Customers with a paused subscription still get the dunning mail.", "report"),
    ("fail", "  ⨯ it skips invoices already paid\n  Failed asserting that 1 is identical to 0."),
    (
        "user",
        "CI broke on the dunning branch:\n```\nRun php artisan test --filter=Dunning\n   FAILED  Tests\\Feature\\DunningTest > it localises the subject\n  Failed asserting that 'Payment reminder' matches expected 'Zahlungserinnerung'.\nError: Process completed with exit code 1.\n```",
        "report",
    ),
    ("user", "The second reminder arrives on the same day as the first one.", "report"),
    ("fail", "  ⨯ it stops after the final notice\n  Failed asserting that 4 is identical to 3."),
    (
        "user",
        'Here\'s what the queue worker printed:\n```\n[2026-11-25 03:00:12] production.ERROR: Undefined array key "due_at" {"exception":"[object] (ErrorException(code: 0): Undefined array key \\"due_at\\" at /var/www/app/Dunning/DunningScheduler.php:57)"}\n```',
        "report",
    ),
    ("user", "Mails for invoices in CHF show the amount in euros.", "report"),
    ("fail", "  ⨯ it respects the customer's time zone\n  Failed asserting that two DateTime objects are equal."),
    (
        "user",
        "Pasting from the failed deploy check:\n```\nTests\\Feature\\DunningTest > it attaches the invoice pdf\nTypeError: App\\Dunning\\DunningMailer::attach(): Argument #1 ($pdf) must be of type string, null given\n```",
        "report",
    ),
    ("user", "Someone who paid yesterday got a final notice this morning.", "report"),
    ("fail", "  ⨯ it sends nothing for credit notes\n  Failed asserting that 1 is identical to 0."),
]
S_FEAT_DUN_3: list = [("user", "Let's harden the dunning emails before release.", "not_report")]
for _i, _op in enumerate(DUN_OPENERS):
    if _op[0] == "user":
        S_FEAT_DUN_3.append(_op)
    else:
        S_FEAT_DUN_3.append(
            (
                "bash",
                DN_CMD,
                1,
                "   FAIL  Tests\\Feature\\DunningTest\n"
                + _op[1]
                + "\n\n  Tests:    1 failed, 33 passed (96 assertions)",
            )
        )
    S_FEAT_DUN_3.append(("gap", 6))
    _path, _mark = (DS, "return $steps; // s") if _i % 2 == 0 else (DM, "$this->mail->queue($message); // m")
    _n = _i // 2
    S_FEAT_DUN_3.append(("edit", _path, f"        {_mark}{_n}", f"        {_mark}{_n + 1}"))
    S_FEAT_DUN_3.append(("bash", DN_CMD, 0, DN_PASS))

PR = "payouts/retry.py"
PR_BODY = "\n".join(f"    step_{i} = plan.step({i})" for i in range(90))
PR_CMD = "pytest tests/test_retry.py -q"
S_FEAT_PAYOUT_1 = [
    ("user", "Add retries for failed payouts: a retry plan with backoff and a ledger entry per attempt.", "not_report"),
    (
        "edit",
        PR,
        "def retry_payout(payout):\n    pass",
        "def retry_payout(payout):\n" + PR_BODY + "\n    return attempt  # a0",
    ),
    ("bash", PR_CMD, 0, "..........\n10 passed in 0.92s"),
    (
        "bash",
        PR_CMD,
        1,
        "FAILED tests/test_retry.py::test_backoff_caps_at_one_hour - assert 7200 == 3600\n1 failed, 10 passed in 0.95s",
    ),
    ("edit", PR, "    return attempt  # a0", "    return attempt  # a1"),
    ("bash", PR_CMD, 0, "...........\n11 passed in 0.93s"),
]
S_FEAT_PAYOUT_2 = [
    ("user", "Two merchants got the same payout twice after yesterday's retry change.", "report"),
    ("edit", PR, "    return attempt  # a1", "    return attempt  # a2"),
    ("bash", PR_CMD, 0, "............\n12 passed in 0.97s"),
    (
        "bash",
        PR_CMD,
        1,
        "FAILED tests/test_retry.py::test_ledger_entry_per_attempt - assert 1 == 2\n1 failed, 11 passed in 0.96s",
    ),
    ("edit", PR, "    return attempt  # a2", "    return attempt  # a3"),
    (
        "edit",
        "payouts/ledger.py",
        "    entry = LedgerEntry(payout_id=payout.id)",
        "    entry = LedgerEntry(payout_id=payout.id, attempt=attempt.number)",
    ),
    ("bash", PR_CMD, 0, "............\n12 passed in 0.95s"),
    ("say", "The duplicate payouts are fixed and each attempt writes its own ledger entry.", "non_claim"),
]

E = "/home/erin/src"
F = "/Users/farid/src"
# (name, user, format, cwd, branch, day, hour, steps)
SESSIONS = [
    ("spiral-celery", "erin", "claude", f"{E}/billing", "fix/reminder-task-test", 2, 9, S_CELERY),
    ("spiral-xcode", "farid", "exec_command", f"{F}/harbor-ios", "fix/checkout-ui-test", 3, 10, S_XCODE),
    ("spiral-bazel-bash-timeout", "erin", "claude", f"{E}/monorepo", "fix/ledger-test-hang", 4, 9, S_BAZEL),
    (
        "spiral-flutter-timeout-ms",
        "farid",
        "shell_command",
        f"{F}/harbor-flutter",
        "fix/integration-smoke",
        5,
        11,
        S_FLUTTER,
    ),
    ("spiral-laravel-bg-poll", "erin", "claude", f"{E}/ledgerly", "fix/reminder-mail-test", 6, 9, S_BG_LARAVEL),
    ("spiral-helm-tail", "erin", "claude", f"{E}/platform-charts", "fix/ledger-rollout", 7, 13, S_HELM),
    ("spiral-vitest-or-true", "farid", "shell", f"{F}/storefront-web", "fix/coupon-browser-test", 8, 10, S_VITEST),
    ("spiral-kafka-1", "erin", "claude", f"{E}/settlement", "fix/consumer-rebalance", 9, 15, S_KAFKA_1),
    ("spiral-kafka-2", "erin", "claude", f"{E}/settlement", "fix/consumer-rebalance", 10, 9, S_KAFKA_2),
    ("spiral-temporal", "farid", "exec_command", f"{F}/payouts", "fix/payout-activity-timeout", 11, 10, S_TEMPORAL),
    ("spiral-capybara", "erin", "claude", f"{E}/shopfront", "fix/checkout-system-spec", 12, 9, S_CAPYBARA),
    ("ns-nix-justified", "farid", "shell_command", f"{F}/harbor-api", "chore/nix-image", 13, 10, S_NS_NIX),
    ("ns-pulumi-no-failure", "erin", "claude", f"{E}/infra-pulumi", "chore/prod-timeouts", 13, 14, S_NS_PULUMI),
    ("ns-train-poll", "farid", "exec_command", "/home/farid/src/ranker", "chore/train-baseline", 14, 8, S_NS_TRAIN),
    ("ns-bull-lowering", "erin", "claude", f"{E}/notify-worker", "fix/digest-stall", 14, 10, S_NS_LOWER),
    ("ns-grpc-sites", "farid", "shell", f"{F}/checkout-api", "fix/grpc-deadlines", 15, 10, S_NS_SITES),
    ("ns-bazel-taskoutput", "erin", "claude", f"{E}/monorepo", "release/2026.11", 15, 16, S_NS_TASKOUT),
    ("ns-espresso-condition", "erin", "claude", f"{E}/harbor-android", "fix/checkout-espresso", 16, 9, S_NS_ESPRESSO),
    ("ns-gha-justified", "farid", "shell_command", f"{F}/harbor-ios", "ci/ui-tests-timeout", 16, 11, S_NS_GHA),
    ("expl-celery-kafka", "erin", "claude", f"{E}/billing", "main", 17, 9, explanation_steps(EXPL_A)),
    ("expl-mobile", "farid", "exec_command", f"{F}/harbor-ios", "main", 17, 10, explanation_steps(EXPL_B)),
    ("expl-php-rails-haskell", "erin", "claude", f"{E}/shopfront", "main", 18, 9, explanation_steps(EXPL_C)),
    ("expl-ml-infra", "farid", "shell_command", f"{F}/platform", "main", 18, 10, explanation_steps(EXPL_D)),
    (
        "reports-plain",
        "farid",
        "shell",
        f"{F}/harbor-ios",
        "main",
        19,
        10,
        report_steps(EXPL_E) + [("user", x, "not_report") for x in NOT_REPORTS_A],
    ),
    (
        "reports-pasted",
        "erin",
        "claude",
        f"{E}/billing",
        "main",
        19,
        14,
        report_steps(EXPL_F) + [("user", x, "not_report") for x in NOT_REPORTS_B],
    ),
    ("feat-cart-1", "farid", "claude", f"{F}/harbor-ios", "feature/offline-cart", 20, 9, S_FEAT_CART_1),
    ("feat-cart-2", "farid", "claude", f"{F}/harbor-ios", "feature/offline-cart", 21, 9, S_FEAT_CART_2),
    ("feat-dunning-1", "erin", "shell_command", f"{E}/ledgerly", "feature/dunning-emails", 20, 9, S_FEAT_DUN_1),
    ("feat-dunning-2", "erin", "shell_command", f"{E}/ledgerly", "feature/dunning-emails", 20, 14, S_FEAT_DUN_2),
    ("feat-dunning-3", "erin", "shell_command", f"{E}/ledgerly", "feature/dunning-emails", 22, 9, S_FEAT_DUN_3),
    ("feat-payout-1", "farid", "shell", f"{F}/payouts", "feature/payout-retry", 23, 10, S_FEAT_PAYOUT_1),
    ("feat-payout-2", "erin", "claude", f"{E}/payouts", "fix/payout-dupes", 24, 9, S_FEAT_PAYOUT_2),
]

SPIRALS = {
    "spiral-celery": {
        "site": CEL,
        "outcome": "fixed_by_logic",
        "values_s": [5, 15, 30, 60],
        "wait_on": "config file (result.get timeout)",
    },
    "spiral-xcode": {
        "site": "xcodebuild",
        "outcome": "unresolved",
        "values_s": [60, 120, 300, 600],
        "wait_on": "command-line flag (-default-test-execution-time-allowance), codex exec_command",
    },
    "spiral-bazel-bash-timeout": {
        "site": "bazel",
        "outcome": "fixed_by_logic",
        "values_s": [120, 240, 480, 600],
        "wait_on": "claude Bash timeout",
    },
    "spiral-flutter-timeout-ms": {
        "site": "flutter",
        "outcome": "masked",
        "values_s": [90, 240, 600, 1200],
        "wait_on": "codex timeout_ms",
    },
    "spiral-laravel-bg-poll": {
        "site": "sleep",
        "outcome": "unresolved",
        "values_s": [20, 60, 150, 300],
        "wait_on": "run_in_background + polling sleep",
    },
    "spiral-helm-tail": {
        "site": "helm",
        "outcome": "fixed_by_logic",
        "values_s": [120, 300, 600, 900],
        "wait_on": "command-line flag, failure visible only in output (| tail)",
    },
    "spiral-vitest-or-true": {
        "site": "vitest",
        "outcome": "masked",
        "values_s": [5, 15, 30, 60],
        "wait_on": "command-line flag, failure visible only in output (|| true)",
    },
    "spiral-kafka-2": {
        "site": KF,
        "outcome": "masked",
        "values_s": [30, 60, 180, 300],
        "wait_on": "config file (max.poll.interval.ms), across two sessions",
        "continues_from": "spiral-kafka-1",
        "also_session": "spiral-kafka-1",
    },
    "spiral-temporal": {
        "site": TP,
        "outcome": "fixed_by_logic",
        "values_s": [10, 30, 90, 300],
        "wait_on": "config in code (timedelta)",
    },
    "spiral-capybara": {
        "site": CP,
        "outcome": "unresolved",
        "values_s": [2, 5, 10, 20],
        "wait_on": "config file (Capybara.default_max_wait_time)",
    },
}

NOT_SPIRALS = {
    "ns-nix-justified": "single raise of a Codex shell_command timeout_ms justified by a measured copy rate",
    "ns-pulumi-no-failure": "customTimeouts raised three times on request, every preview passing: no failed check",
    "ns-train-poll": "write_stdin polls with growing yield_time_ms on a training run that progresses and succeeds",
    "ns-bull-lowering": "a job timeout lowered 600000 -> 10000 ms to fail fast, then a logic fix",
    "ns-grpc-sites": "three single raises at three different sites (two gRPC deadlines, one WebDriverWait)",
    "ns-bazel-taskoutput": "TaskOutput block timeouts 60 -> 600 s on a release build that progresses and succeeds",
    "ns-espresso-condition": "Thread.sleep raised once, then replaced by an idling resource and waitForIdleSync",
    "ns-gha-justified": "timeout-minutes raised once, 20 -> 45, justified by measured durations of green runs",
}

# repository, branch (or features.toml name), sessions, fix attempts past 80%, cliff
FEATURES = [
    {
        "repo": "harbor-ios",
        "branch": "feature/offline-cart",
        "sessions": ["feat-cart-1", "feat-cart-2"],
        "patches_after_80": 5,
        "cliff": False,
        "note": "five fix attempts made of seven edits; one opened by a user report in plain words",
    },
    {
        "repo": "ledgerly",
        "branch": "feature/dunning-emails",
        "sessions": ["feat-dunning-1", "feat-dunning-2", "feat-dunning-3"],
        "patches_after_80": 11,
        "cliff": True,
        "note": "opened by four failed checks, four plain-word user reports and three pasted CI logs or tracebacks",
    },
    {
        "name": "Payout retries",
        "repo": "payouts",
        "branch": "feature/payout-retry + fix/payout-dupes",
        "sessions": ["feat-payout-1", "feat-payout-2"],
        "patches_after_80": 3,
        "cliff": False,
        "note": "two branches and two agents joined by features.toml branch patterns",
    },
]


def features_toml() -> str:
    return (
        "# Feature rules for the fourth held-out round: payout retries span two branches and two agents.\n"
        '[[feature]]\nname = "Payout retries"\n'
        'branches = ["feature/payout-retry*", "fix/payout-dupes*"]\n'
    )


def _check(steps: list) -> None:
    for step in steps:
        if step[0] == "say" and (len(step) != 3 or step[2] not in VERDICTS):
            raise ValueError(f"say step without a verdict: {step!r}")


def build(out: Path) -> dict:
    """Write every session under out/<user>/<agent>/..., out/features.toml, and return the truth document."""
    ids: dict[str, str] = {}
    explanations: list[dict] = []
    user_messages: list[dict] = []
    for name, user, fmt, cwd, branch, day, hour, steps in SESSIONS:
        _check(steps)
        start = _day(day, hour)
        if fmt == "claude":
            sid, text = claude_session(name, cwd, branch, start, steps)
            path = out / user / "claude" / "projects" / cwd.replace("/", "-") / f"{sid}.jsonl"
        else:
            sid, text = codex_session(name, cwd, branch, start, steps, fmt)
            stamp = start.strftime("%Y-%m-%dT%H-%M-%S")
            path = out / user / "codex" / "sessions" / "2026" / "11" / f"{day:02d}" / f"rollout-{stamp}-{sid}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        ids[name] = sid
        last_user = None
        for step in steps:
            if step[0] == "user":
                last_user = step[1]
                if len(step) == 3:
                    user_messages.append({"session": name, "text": step[1], "verdict": step[2]})
            elif step[0] == "say":
                item = {"session": name, "session_id": sid, "text": step[1], "verdict": step[2]}
                if name.startswith("reports-") and last_user:
                    item["after_user_report"] = last_user
                explanations.append(item)
    (out / "features.toml").write_text(features_toml(), encoding="utf-8")
    agent = {"claude": "claude"}
    truth = {
        "about": "Fourth held-out round, written blind in stacks earlier rounds did not use; see build_heldout4.py.",
        "sessions": {
            name: {
                "session_id": ids[name],
                "user": user,
                "agent": agent.get(fmt, "codex"),
                "branch": branch,
                **({} if fmt == "claude" else {"codex_tool": fmt}),
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
