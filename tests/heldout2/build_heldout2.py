"""Build the second held-out corpus: sessions written independently of the detectors.

Fourteen Claude Code and Codex CLI transcripts for two users (dates in 2026-08) and
``truth.json`` with the timeout spirals, the look-alikes that are not spirals, and the
explanation sentences said right after failing commands. The corpus exists to measure
the auditor on wording and wait constructs it was not tuned on, so nothing here may be
derived from the detectors. Stdlib only and deterministic: the same output every run.

Usage: python tests/heldout2/build_heldout2.py OUT_DIR   (writes OUT_DIR/<user>/... and
OUT_DIR/truth.json; the checked-in truth.json next to this file is the same document).
"""

from __future__ import annotations

import json
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

NS = uuid.UUID("6f1c2a52-8d0e-4a55-9a57-2b8f1f0c0d02")
STEP = timedelta(seconds=37)


def _sid(name: str) -> str:
    """A stable session id for a named held-out session."""
    return str(uuid.uuid5(NS, name))


def _ts(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


# Steps of a scripted session:
#   ("user", text) | ("say", text) | ("bash", cmd, exit_code, output)
#   ("edit", path, old, new)


def claude_session(name: str, cwd: str, start: datetime, steps: list) -> tuple[str, str]:
    """Render scripted steps as a Claude Code transcript; returns (session id, jsonl text)."""
    sid = _sid(name)
    lines: list[dict] = []
    t = start
    parent = None
    n = 0

    def emit(kind: str, message: dict, extra: dict | None = None) -> None:
        nonlocal parent, n, t
        n += 1
        u = str(uuid.uuid5(NS, f"{name}/{n}"))
        rec = {
            "parentUuid": parent,
            "isSidechain": False,
            "userType": "external",
            "cwd": cwd,
            "sessionId": sid,
            "version": "2.1.40",
            "gitBranch": "main",
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

    def assistant(content: list) -> None:
        emit(
            "assistant",
            {
                "model": "claude-sonnet-4-5-20250929",
                "id": f"msg_{uuid.uuid5(NS, f'{name}/m{n}').hex[:24]}",
                "type": "message",
                "role": "assistant",
                "content": content,
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {
                    "input_tokens": 12,
                    "cache_creation_input_tokens": 400,
                    "cache_read_input_tokens": 9000,
                    "output_tokens": 80,
                },
            },
        )

    def tool_result(tool_id: str, text: str, is_error: bool) -> None:
        emit(
            "user",
            {
                "role": "user",
                "content": [{"tool_use_id": tool_id, "type": "tool_result", "content": text, "is_error": is_error}],
            },
            {"toolUseResult": ("Error: " + text) if is_error else {"stdout": text, "stderr": "", "interrupted": False}},
        )

    for step in steps:
        kind = step[0]
        tool_id = f"toolu_{uuid.uuid5(NS, f'{name}/t{n}').hex[:24]}"
        if kind == "user":
            emit("user", {"role": "user", "content": step[1]})
        elif kind == "say":
            assistant([{"type": "text", "text": step[1]}])
        elif kind == "bash":
            _, cmd, code, out = step
            assistant(
                [
                    {
                        "type": "tool_use",
                        "id": tool_id,
                        "name": "Bash",
                        "input": {"command": cmd, "description": "Run command"},
                    }
                ]
            )
            if code:
                tool_result(tool_id, f"Exit code {code}\n{out}", True)
            else:
                tool_result(tool_id, out, False)
        elif kind == "edit":
            _, path, old, new = step
            full = path if path.startswith("/") else f"{cwd}/{path}"
            assistant(
                [
                    {
                        "type": "tool_use",
                        "id": tool_id,
                        "name": "Edit",
                        "input": {"file_path": full, "old_string": old, "new_string": new},
                    }
                ]
            )
            tool_result(tool_id, f"The file {full} has been updated successfully.", False)
        else:
            raise ValueError(kind)
    return sid, "".join(json.dumps(x) + "\n" for x in lines)


def _patch(path: str, old: str, new: str) -> str:
    body = "".join(f"-{x}\n" for x in old.split("\n")) + "".join(f"+{x}\n" for x in new.split("\n"))
    return f"*** Begin Patch\n*** Update File: {path}\n@@\n{body}*** End Patch"


def codex_session(name: str, cwd: str, start: datetime, steps: list) -> tuple[str, str]:
    """Render scripted steps as a Codex CLI rollout; returns (session id, jsonl text)."""
    sid = _sid(name)
    lines: list[dict] = []
    t = start
    n = 0

    def emit(kind: str, payload: dict) -> None:
        nonlocal t
        lines.append({"timestamp": _ts(t), "type": kind, "payload": payload})
        t += STEP

    emit(
        "session_meta",
        {
            "id": sid,
            "timestamp": _ts(t),
            "cwd": cwd,
            "originator": "codex_cli_rs",
            "cli_version": "0.140.0",
            "source": "cli",
            "model_provider": "openai",
            "git": {
                "commit_hash": uuid.uuid5(NS, name).hex + "abcdef01",
                "branch": "main",
                "repository_url": f"git@github.com:acme/{cwd.rsplit('/', 1)[-1]}.git",
            },
        },
    )
    emit(
        "turn_context",
        {
            "cwd": cwd,
            "approval_policy": "on-request",
            "sandbox_policy": {"type": "workspace-write"},
            "model": "gpt-5.5",
            "summary": "auto",
        },
    )
    for step in steps:
        kind = step[0]
        n += 1
        call_id = f"call_{uuid.uuid5(NS, f'{name}/c{n}').hex[:24]}"
        if kind == "user":
            emit(
                "response_item",
                {"type": "message", "role": "user", "content": [{"type": "input_text", "text": step[1]}]},
            )
        elif kind == "say":
            emit(
                "response_item",
                {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": step[1]}]},
            )
        elif kind == "bash":
            _, cmd, code, out = step
            emit(
                "response_item",
                {
                    "type": "function_call",
                    "name": "exec_command",
                    "arguments": json.dumps({"cmd": cmd, "workdir": cwd}),
                    "call_id": call_id,
                },
            )
            text = f"Chunk ID: {call_id[5:11]}\nWall time: 2.4 seconds\nProcess exited with code {code}\nOriginal token count: 120\nOutput:\n{out}"
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
            emit(
                "response_item",
                {
                    "type": "custom_tool_call_output",
                    "call_id": call_id,
                    "output": json.dumps(
                        {
                            "output": f"Success. Updated the following files:\nM {path}\n",
                            "metadata": {"exit_code": 0, "duration_seconds": 0.1},
                        }
                    ),
                },
            )
        else:
            raise ValueError(kind)
    return sid, "".join(json.dumps(x) + "\n" for x in lines)


def _day(day: int, hour: int = 9) -> datetime:
    """Session start on the given day of August 2026 (UTC)."""
    return datetime(2026, 8, day, hour, 5, 0, tzinfo=UTC)


# ---------------------------------------------------------------- spirals

RS = "src/client.rs"
RS_OLD = "        tokio::time::sleep(Duration::from_millis({})).await;\n        self.poll_ready().await?;"
S_RUST = [
    ("user", "The reconnect test in the client crate fails intermittently, please make it pass."),
    (
        "bash",
        "cargo test --test reconnect",
        101,
        "running 3 tests\ntest reconnect_after_drop ... FAILED\n\nthread 'reconnect_after_drop' panicked at tests/reconnect.rs:41:9:\nassertion failed: client.is_ready()\ntest result: FAILED. 2 passed; 1 failed",
    ),
    ("edit", RS, RS_OLD.format(200), RS_OLD.format(500)),
    (
        "bash",
        "cargo test --test reconnect",
        101,
        "test reconnect_after_drop ... FAILED\nassertion failed: client.is_ready()\ntest result: FAILED. 2 passed; 1 failed",
    ),
    ("edit", RS, RS_OLD.format(500), RS_OLD.format(1500)),
    (
        "bash",
        "cargo test --test reconnect",
        101,
        "test reconnect_after_drop ... FAILED\nassertion failed: client.is_ready()\ntest result: FAILED. 2 passed; 1 failed",
    ),
    ("edit", RS, RS_OLD.format(1500), RS_OLD.format(4000)),
    (
        "bash",
        "cargo test --test reconnect",
        0,
        "running 3 tests\ntest reconnect_after_drop ... ok\ntest result: ok. 3 passed; 0 failed",
    ),
    ("say", "The reconnect test passes now with the longer pause before polling."),
]

TS = "tests/e2e/checkout.spec.ts"
TS_OLD = "  await page.click('#pay');\n  await page.waitForTimeout({});\n  await expect(page.locator('.receipt')).toHaveCount(1);"
S_PLAYWRIGHT = [
    ("user", "checkout.spec.ts is red on main, can you look?"),
    (
        "bash",
        "npx playwright test tests/e2e/checkout.spec.ts",
        1,
        "  1) [chromium] checkout.spec.ts:12:5 > pays with card\n    Error: expect(locator).toHaveCount(expected)\n    Expected: 1\n    Received: 0\n  1 failed",
    ),
    ("edit", TS, TS_OLD.format(1000), TS_OLD.format(3000)),
    (
        "bash",
        "npx playwright test tests/e2e/checkout.spec.ts",
        1,
        "  1) [chromium] checkout.spec.ts:12:5 > pays with card\n    Error: expect(locator).toHaveCount(expected)\n    Received: 0\n  1 failed",
    ),
    ("edit", TS, TS_OLD.format(3000), TS_OLD.format(8000)),
    (
        "bash",
        "npx playwright test tests/e2e/checkout.spec.ts",
        1,
        "  1) [chromium] checkout.spec.ts:12:5 > pays with card\n    Error: expect(locator).toHaveCount(expected)\n    Received: 0\n  1 failed",
    ),
    ("edit", TS, TS_OLD.format(8000), TS_OLD.format(15000)),
    (
        "bash",
        "npx playwright test tests/e2e/checkout.spec.ts",
        1,
        "  1) [chromium] checkout.spec.ts:12:5 > pays with card\n    Error: expect(locator).toHaveCount(expected)\n    Received: 0\n  1 failed",
    ),
    ("say", "Still failing after waiting 15 seconds; I have not found the cause yet."),
]

PY = "app/jobs/dispatcher.py"
PY_OLD = "        result = await asyncio.wait_for(self.queue.get(), timeout={})\n        return result"
PY_FIX_OLD = "    async def start(self):\n        self.queue = asyncio.Queue()\n        self.ready = False"
PY_FIX_NEW = "    async def start(self):\n        self.queue = asyncio.Queue()\n        self.ready = True\n        await self.producer.attach(self.queue)"
S_ASYNCIO = [
    ("user", "test_dispatcher keeps timing out, fix it."),
    (
        "bash",
        "pytest tests/test_dispatcher.py -q",
        1,
        "F..\nFAILED tests/test_dispatcher.py::test_dispatch_one - asyncio.exceptions.TimeoutError\n1 failed, 2 passed in 2.31s",
    ),
    ("edit", PY, PY_OLD.format(2), PY_OLD.format(5)),
    (
        "bash",
        "pytest tests/test_dispatcher.py -q",
        1,
        "F..\nFAILED tests/test_dispatcher.py::test_dispatch_one - asyncio.exceptions.TimeoutError\n1 failed, 2 passed in 5.40s",
    ),
    ("edit", PY, PY_OLD.format(5), PY_OLD.format(12)),
    (
        "bash",
        "pytest tests/test_dispatcher.py -q",
        1,
        "F..\nFAILED tests/test_dispatcher.py::test_dispatch_one - asyncio.exceptions.TimeoutError\n1 failed, 2 passed in 12.38s",
    ),
    ("edit", PY, PY_OLD.format(12), PY_OLD.format(30)),
    (
        "bash",
        "pytest tests/test_dispatcher.py -q",
        1,
        "F..\nFAILED tests/test_dispatcher.py::test_dispatch_one - asyncio.exceptions.TimeoutError\n1 failed, 2 passed in 30.41s",
    ),
    ("say", "Waiting longer does not help: the producer is never attached to the queue."),
    ("edit", PY, PY_FIX_OLD, PY_FIX_NEW),
    ("bash", "pytest tests/test_dispatcher.py -q", 0, "...\n3 passed in 0.22s"),
]

GHA = ".github/workflows/integration.yml"
GHA_OLD = "  integration:\n    runs-on: ubuntu-latest\n    timeout-minutes: {}\n    steps:"
S_GHA = [
    ("user", "The integration workflow gets cancelled; make the local ci target green."),
    (
        "bash",
        "make ci-integration",
        2,
        "act -j integration\n[integration] Job 'integration' exceeded the maximum execution time\nmake: *** [Makefile:31: ci-integration] Error 2",
    ),
    ("edit", GHA, GHA_OLD.format(10), GHA_OLD.format(20)),
    (
        "bash",
        "make ci-integration",
        2,
        "[integration] Job 'integration' exceeded the maximum execution time\nmake: *** [Makefile:31: ci-integration] Error 2",
    ),
    ("edit", GHA, GHA_OLD.format(20), GHA_OLD.format(45)),
    (
        "bash",
        "make ci-integration",
        2,
        "[integration] Job 'integration' exceeded the maximum execution time\nmake: *** [Makefile:31: ci-integration] Error 2",
    ),
    ("edit", GHA, GHA_OLD.format(45), GHA_OLD.format(90)),
    ("bash", "make ci-integration", 0, "[integration] Job succeeded"),
    ("say", "The integration job completes with the 90 minute budget."),
]

S_WAITFORIT = [
    ("user", "Run the integration suite against the compose stack."),
    (
        "bash",
        "./scripts/wait-for-it.sh -t 5 localhost:5432 -- pytest tests/integration -q",
        1,
        "wait-for-it.sh: waiting 5 seconds for localhost:5432\nwait-for-it.sh: timeout occurred after waiting 5 seconds for localhost:5432\nE   sqlalchemy.exc.OperationalError: could not connect\n3 failed, 10 passed",
    ),
    (
        "bash",
        "./scripts/wait-for-it.sh -t 15 localhost:5432 -- pytest tests/integration -q",
        1,
        "wait-for-it.sh: waiting 15 seconds for localhost:5432\nwait-for-it.sh: timeout occurred after waiting 15 seconds for localhost:5432\n3 failed, 10 passed",
    ),
    (
        "bash",
        "./scripts/wait-for-it.sh -t 40 localhost:5432 -- pytest tests/integration -q",
        1,
        "wait-for-it.sh: waiting 40 seconds for localhost:5432\nwait-for-it.sh: timeout occurred after waiting 40 seconds for localhost:5432\n3 failed, 10 passed",
    ),
    (
        "bash",
        "./scripts/wait-for-it.sh -t 120 localhost:5432 -- pytest tests/integration -q",
        1,
        "wait-for-it.sh: waiting 120 seconds for localhost:5432\nwait-for-it.sh: timeout occurred after waiting 120 seconds for localhost:5432\n3 failed, 10 passed",
    ),
    ("say", "Two minutes of waiting is still not enough; stopping here."),
]

# ---------------------------------------------------------------- not spirals

S_JUSTIFIED = [
    ("user", "Build the release binary."),
    (
        "bash",
        "timeout 60 cargo build --release",
        124,
        "   Compiling serde v1.0.210\n   Compiling tokio v1.40.0\n   Compiling acme-server v0.4.0",
    ),
    (
        "say",
        "A cold release build of this workspace takes a few minutes, so 60 seconds was simply too short; giving it ten minutes once.",
    ),
    ("bash", "timeout 600 cargo build --release", 0, "    Finished `release` profile [optimized] target(s) in 3m 12s"),
]

JV = "src/test/java/com/acme/OrderServiceTest.java"
S_FIRST_TIMEOUT = [
    ("user", "OrderServiceTest asserts before the event is handled."),
    (
        "bash",
        "./gradlew test --tests OrderServiceTest",
        1,
        "OrderServiceTest > publishesEvent() FAILED\n    org.opentest4j.AssertionFailedError: expected: <1> but was: <0>\nBUILD FAILED in 8s",
    ),
    (
        "edit",
        JV,
        "        service.place(order);\n        assertEquals(1, sink.count());",
        "        service.place(order);\n        await().atMost(Duration.ofSeconds(5)).until(() -> sink.count() == 1);",
    ),
    ("bash", "./gradlew test --tests OrderServiceTest", 0, "BUILD SUCCESSFUL in 9s"),
]

GO = "internal/watch/poller.go"
GO_OLD = "\tfor !w.done() {{\n\t\ttime.Sleep({})\n\t}}"
S_POLL_SHORTER = [
    ("user", "The watcher test is too slow and fails its deadline."),
    (
        "bash",
        "go test ./internal/watch/...",
        1,
        "--- FAIL: TestWatcherPicksUpChange (3.01s)\n    poller_test.go:33: change not seen within deadline\nFAIL\nFAIL\tacme/internal/watch\t3.02s",
    ),
    ("edit", GO, GO_OLD.format("2 * time.Second"), GO_OLD.format("500 * time.Millisecond")),
    (
        "bash",
        "go test ./internal/watch/...",
        1,
        "--- FAIL: TestWatcherPicksUpChange (3.00s)\n    poller_test.go:33: change not seen within deadline\nFAIL",
    ),
    ("edit", GO, GO_OLD.format("500 * time.Millisecond"), GO_OLD.format("100 * time.Millisecond")),
    (
        "bash",
        "go test ./internal/watch/...",
        1,
        "--- FAIL: TestWatcherPicksUpChange (3.00s)\n    poller_test.go:33: change not seen within deadline\nFAIL",
    ),
    ("edit", GO, GO_OLD.format("100 * time.Millisecond"), GO_OLD.format("20 * time.Millisecond")),
    ("bash", "go test ./internal/watch/...", 0, "ok  \tacme/internal/watch\t0.41s"),
]

JS = "src/components/__tests__/Toast.test.jsx"
S_CONDITION = [
    ("user", "Toast.test.jsx fails in CI."),
    (
        "bash",
        "npx vitest run src/components/__tests__/Toast.test.jsx",
        1,
        " FAIL  src/components/__tests__/Toast.test.jsx > shows the toast\nTestingLibraryElementError: Unable to find an element with the text: Saved\n Test Files  1 failed (1)",
    ),
    (
        "edit",
        JS,
        "  await new Promise((r) => setTimeout(r, 500));\n  expect(screen.getByText('Saved')).toBeInTheDocument();",
        "  await new Promise((r) => setTimeout(r, 2000));\n  expect(screen.getByText('Saved')).toBeInTheDocument();",
    ),
    (
        "bash",
        "npx vitest run src/components/__tests__/Toast.test.jsx",
        1,
        " FAIL  src/components/__tests__/Toast.test.jsx > shows the toast\nTestingLibraryElementError: Unable to find an element with the text: Saved",
    ),
    (
        "edit",
        JS,
        "  await new Promise((r) => setTimeout(r, 2000));\n  expect(screen.getByText('Saved')).toBeInTheDocument();",
        "  expect(await screen.findByText('Saved')).toBeInTheDocument();",
    ),
    ("bash", "npx vitest run src/components/__tests__/Toast.test.jsx", 0, " Test Files  1 passed (1)"),
]

S_NO_FAILURES = [
    ("user", "Make the demo script pause between steps so people can follow along."),
    ("bash", "sed -n 1,20p scripts/demo.sh", 0, "#!/bin/sh\necho step one\nsleep 1\necho step two"),
    ("edit", "scripts/demo.sh", "echo step one\nsleep 1\necho step two", "echo step one\nsleep 3\necho step two"),
    ("bash", "shellcheck scripts/demo.sh", 0, ""),
    ("edit", "scripts/demo.sh", "echo step one\nsleep 3\necho step two", "echo step one\nsleep 8\necho step two"),
    ("bash", "shellcheck scripts/demo.sh", 0, ""),
    ("edit", "scripts/demo.sh", "echo step one\nsleep 8\necho step two", "echo step one\nsleep 20\necho step two"),
    ("bash", "shellcheck scripts/demo.sh", 0, ""),
    ("say", "The demo now pauses twenty seconds between steps, as asked."),
]

# ---------------------------------------------------------------- explanations

FAIL_ASSERT = "FAILED tests/test_sync.py::test_roundtrip - AssertionError: assert 3 == 4\n1 failed, 41 passed in 1.92s"

# (command, exit code, output, the sentence said right after, verdict)
EXPL_A = [
    (
        "pytest tests/test_watch.py -q",
        1,
        "FAILED tests/test_watch.py::test_reload - AssertionError: reload callback not called\n1 failed, 9 passed",
        "This looks like the Linux kernel quietly dropping our inotify events when the directory is busy.",
        "exotic",
    ),
    (
        "pytest tests/test_worker.py -q",
        1,
        "FAILED tests/test_worker.py::test_drain - AssertionError: 2 jobs left in queue\n1 failed",
        "I think the OS scheduler is starving the worker thread on this box, so it never gets to drain the queue.",
        "exotic",
    ),
    (
        "pytest tests/test_blob.py -q",
        1,
        "FAILED tests/test_blob.py::test_digest - AssertionError: digest mismatch\n1 failed",
        "A faulty memory module on the build machine could be corrupting the fixture bytes.",
        "exotic",
    ),
    (
        "pytest tests/test_sync.py -q",
        1,
        FAIL_ASSERT,
        "It's not the network — we never close the channel, so the reader blocks forever and the count is short.",
        "mundane",
    ),
    (
        "pytest tests/test_fetch.py -q",
        1,
        "FAILED tests/test_fetch.py::test_list - AssertionError: assert [] == ['a', 'b']\n1 failed",
        "Probably our retry loop swallows the error and hands back an empty list.",
        "mundane",
    ),
    (
        "pytest tests/test_train.py -q",
        1,
        "E   RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB\nFAILED tests/test_train.py::test_epoch\n1 failed",
        "The GPU ran out of memory allocating the 2 GiB batch, so the batch size has to come down.",
        "legit",
    ),
    (
        "pytest tests/test_dates.py -q",
        1,
        "FAILED tests/test_dates.py::test_due - AssertionError: assert '2026-08-03' == '2026-08-04'\n1 failed",
        "The fixture builds the date in local time instead of UTC, which shifts it by a day.",
        "mundane",
    ),
]

EXPL_B = [
    (
        "go test ./...",
        1,
        "--- FAIL: TestResolve (0.00s)\n    resolve_test.go:18: got 10.0.0.7, want 10.0.0.9\nFAIL",
        "The DNS resolver on this host is probably serving a stale record, which is why we get the old address.",
        "exotic",
    ),
    (
        "go test ./...",
        1,
        "--- FAIL: TestWatchPods (5.00s)\n    watch_test.go:52: no event received\nFAIL",
        "Most likely the Kubernetes control plane is lagging on etcd writes, so the watch never fires.",
        "exotic",
    ),
    (
        "go build ./...",
        1,
        "./cache/lru.go:88:14: cannot use e (variable of type *entry) as entry value in argument to list.Remove\n",
        "It's not a compiler bug — we're passing a pointer where the list stores values.",
        "mundane",
    ),
    (
        "go test ./...",
        1,
        "--- FAIL: TestEncode (0.00s)\n    encode_test.go:21: unexpected trailing byte\nFAIL",
        "This smells like a regression in the Go toolchain's escape analysis that mangles the buffer.",
        "exotic",
    ),
    (
        "go test ./...",
        1,
        '--- FAIL: TestDeploy (0.40s)\n    deploy_test.go:77: kubectl: Back-off pulling image "ghcr.io/acme/api:v2.3.1": ImagePullBackOff\nFAIL',
        "The pod sits in ImagePullBackOff because the v2.3.1 tag was never pushed to ghcr.io.",
        "legit",
    ),
    (
        "go test ./...",
        1,
        "--- FAIL: TestPool (0.01s)\n    pool_test.go:40: deadlock detected\nFAIL",
        "Likely our mutex is taken twice on the same goroutine, which deadlocks the pool.",
        "mundane",
    ),
    (
        "go test ./...",
        1,
        "--- FAIL: TestPager (0.00s)\n    pager_test.go:29: got 90 items, want 100\nFAIL",
        "The pagination loop stops one page early because of an off-by-one on the last cursor.",
        "mundane",
    ),
]

EXPL_C = [
    (
        "npm test",
        1,
        "FAIL src/api.test.ts\n  ● upload › stores the file\n    expect(received).toBe(expected)\n    Expected: 201\n    Received: 500",
        "AWS is probably throttling us in eu-west-1 at the moment.",
        "exotic",
    ),
    (
        "npm test",
        1,
        'FAIL src/suite.test.ts\n  ● suite › renders in time\n    thrown: "Exceeded timeout of 5000 ms for a test."',
        "The GitHub-hosted runners are notoriously underpowered, that's why the suite blows its time budget.",
        "exotic",
    ),
    (
        "npm test",
        1,
        "FAIL src/stream.test.ts\n  ● stream › emits end\n    expect(jest.fn()).toHaveBeenCalled()",
        "It must be a regression in the Node runtime's event loop that swallows the end event.",
        "exotic",
    ),
    (
        "npm run build",
        2,
        "npm ERR! code ENOSPC\nnpm ERR! syscall write\nnpm ERR! errno -28\nnpm ERR! nospc ENOSPC: no space left on device, write",
        "The disk is full (ENOSPC), so npm can't write the build output until we clear some space.",
        "legit",
    ),
    (
        "npm test",
        1,
        "FAIL src/gh.test.ts\n  ● sync › lists repos\n    HttpError: 429 Too Many Requests - API rate limit exceeded for 203.0.113.9",
        "GitHub's API rate-limited us with a 429, so the sync has to back off and retry later.",
        "legit",
    ),
    (
        "npm test",
        1,
        'FAIL src/form.test.ts\n  ● form › rejects empty name\n    Expected: "Name is required"\n    Received: ""',
        "Our parser treats an empty string as null, which skips the required-field validation.",
        "mundane",
    ),
    (
        "npm test",
        1,
        "FAIL src/cache.test.ts\n  ● cache › invalidates\n    Expected: 2\n    Received: 1",
        "This isn't a flaky test; our mock hands back the cached value from the previous case.",
        "mundane",
    ),
    (
        "npm test",
        1,
        "FAIL src/router.test.ts\n  ● router › GET /health\n    Expected: 200\n    Received: 404",
        "I forgot to register the new health route in the router.",
        "mundane",
    ),
]

EXPL_D = [
    (
        "cargo test",
        101,
        "thread 'parse_untagged' panicked at src/model.rs:55:5:\nassertion `left == right` failed\ntest result: FAILED. 11 passed; 1 failed",
        "The upstream serde crate must have a bug in how it handles untagged enums.",
        "exotic",
    ),
    (
        "cargo test",
        101,
        "thread 'bench_alloc' panicked at src/arena.rs:12:9:\nassertion failed: elapsed < budget\ntest result: FAILED",
        "Honestly this test is just flaky; it goes green if you rerun it enough times.",
        "exotic",
    ),
    (
        "cargo test",
        101,
        "thread 'checksum' panicked at src/hash.rs:30:5:\nchecksum mismatch: 0x9a1f != 0x9a0f\ntest result: FAILED",
        "A cosmic-ray bit flip is honestly the only explanation for a single-bit checksum difference like that.",
        "exotic",
    ),
    (
        "cargo test",
        101,
        "thread 'load_config' panicked at src/config.rs:19:5:\ncalled `Result::unwrap()` on an `Err` value: missing field `port`\ntest result: FAILED",
        "Something about the environment on this machine is off, maybe leftover state from an earlier run.",
        "exotic",
    ),
    (
        "cargo build --release",
        101,
        'error: could not compile `acme-server` (bin "acme-server")\nCaused by:\n  process didn\'t exit successfully: `rustc ...` (signal: 9, SIGKILL: kill)\n[dmesg] Out of memory: Killed process 48211 (rustc) total-vm:9123456kB',
        "The kernel OOM killer took out rustc, as the dmesg line shows, so the build needs more memory or fewer jobs.",
        "legit",
    ),
    (
        "cargo test",
        101,
        "thread 'migrate' panicked at tests/db.rs:8:5:\nError: error connecting to server: Connection refused (os error 111)\n$ docker compose ps\nNAME       STATUS\npostgres   Exited (1) 2 minutes ago",
        "The connection is refused because the postgres container is down, as docker compose ps shows.",
        "legit",
    ),
    (
        "cargo test",
        101,
        "thread 'insert_user' panicked at tests/db.rs:31:5:\nerror returned from database: column \"email_verified\" does not exist\ntest result: FAILED",
        "The migration never added the email_verified column, so the insert fails.",
        "mundane",
    ),
    (
        "cargo test",
        101,
        'thread \'error_text\' panicked at tests/api.rs:44:5:\nassertion `left == right` failed\n  left: "invalid token"\n right: "token expired"',
        "The test still expects the old error message that we changed in the previous commit.",
        "mundane",
    ),
]

EXPL_E = [
    (
        "./gradlew test",
        1,
        "OrderRepositoryTest > savesOrder() FAILED\n    java.lang.AssertionError: expected 3 but was 2\nBUILD FAILED",
        "The JVM's garbage collector is likely pausing the world at exactly the wrong moment and dropping the write.",
        "exotic",
    ),
    (
        "./gradlew test",
        1,
        "PaymentClientTest > charges() FAILED\n    java.net.SocketTimeoutException: Read timed out\nBUILD FAILED",
        "Most likely there is intermittent packet loss somewhere between here and the payment sandbox.",
        "exotic",
    ),
    (
        "./gradlew test",
        1,
        "ConfigTest > loadsProfile() FAILED\n    java.lang.IllegalStateException: profile 'test' not found\nBUILD FAILED",
        "The application-test.yml sets the wrong profile name, so Spring never loads the test profile.",
        "mundane",
    ),
    (
        "./gradlew build",
        1,
        '> Task :app:pushImage FAILED\nError response from daemon: Head "https://registry.acme.dev/v2/app/manifests/latest": dial tcp: lookup registry.acme.dev on 127.0.0.53:53: no such host',
        "DNS can't resolve registry.acme.dev from this machine, per the lookup error, so the push never reaches the registry.",
        "legit",
    ),
]

EXPLANATION_SETS = {
    "expl-alpha": EXPL_A,
    "expl-bravo": EXPL_B,
    "expl-charlie": EXPL_C,
    "expl-delta": EXPL_D,
    "expl-echo": EXPL_E,
}


def explanation_steps(items: list) -> list:
    steps: list = [("user", "Run the tests and tell me why they fail.")]
    for cmd, code, out, sentence, _verdict in items:
        steps.append(("bash", cmd, code, out))
        steps.append(("say", sentence))
    return steps


# (name, user, format, cwd, day, steps)
SESSIONS = [
    ("spiral-rust", "alice", "claude", "/home/alice/src/acme-client", 3, S_RUST),
    ("spiral-playwright", "bob", "codex", "/home/bob/src/shop-web", 4, S_PLAYWRIGHT),
    ("spiral-asyncio", "bob", "claude", "/home/bob/src/jobs", 6, S_ASYNCIO),
    ("spiral-gha", "alice", "codex", "/home/alice/src/platform", 10, S_GHA),
    ("spiral-waitforit", "alice", "claude", "/home/alice/src/billing", 12, S_WAITFORIT),
    ("ns-justified", "bob", "claude", "/home/bob/src/acme-server", 13, S_JUSTIFIED),
    ("ns-first-timeout", "alice", "codex", "/home/alice/src/orders", 14, S_FIRST_TIMEOUT),
    ("ns-poll-shorter", "bob", "codex", "/home/bob/src/watcher", 17, S_POLL_SHORTER),
    ("ns-condition-wait", "alice", "claude", "/home/alice/src/ui-kit", 18, S_CONDITION),
    ("expl-alpha", "alice", "claude", "/home/alice/src/syncer", 19, explanation_steps(EXPL_A)),
    ("expl-bravo", "bob", "codex", "/home/bob/src/infra-go", 20, explanation_steps(EXPL_B)),
    ("expl-charlie", "alice", "codex", "/home/alice/src/web-api", 24, explanation_steps(EXPL_C)),
    ("expl-delta", "bob", "claude", "/home/bob/src/acme-server", 25, explanation_steps(EXPL_D)),
    ("expl-echo", "bob", "codex", "/home/bob/src/payments", 27, explanation_steps(EXPL_E) + S_NO_FAILURES),
]

SPIRALS = {
    "spiral-rust": {"site": RS, "outcome": "masked", "values_s": [0.2, 0.5, 1.5, 4.0]},
    "spiral-playwright": {"site": TS, "outcome": "unresolved", "values_s": [1.0, 3.0, 8.0, 15.0]},
    "spiral-asyncio": {"site": PY, "outcome": "fixed_by_logic", "values_s": [2, 5, 12, 30]},
    "spiral-gha": {"site": GHA, "outcome": "masked", "values_s": [600, 1200, 2700, 5400]},
    "spiral-waitforit": {"site": "wait-for-it.sh", "outcome": "unresolved", "values_s": [5, 15, 40, 120]},
}

NOT_SPIRALS = {
    "ns-justified": "single justified raise of a shell timeout",
    "ns-first-timeout": "first-time timeout (Awaitility atMost added where none was)",
    "ns-poll-shorter": "poll interval shortened after failures",
    "ns-condition-wait": "sleep replaced by a condition wait (findByText)",
    "expl-echo": "sleep raised three times with no failure in between (demo script)",
}


def build(out: Path) -> dict:
    """Write every session under out/<user>/<agent>/... and return the truth document."""
    ids: dict[str, str] = {}
    for name, user, fmt, cwd, day, steps in SESSIONS:
        start = _day(day)
        if fmt == "claude":
            sid, text = claude_session(name, cwd, start, steps)
            proj = cwd.replace("/", "-")
            path = out / user / "claude" / "projects" / proj / f"{sid}.jsonl"
        else:
            sid, text = codex_session(name, cwd, start, steps)
            stamp = start.strftime("%Y-%m-%dT%H-%M-%S")
            path = out / user / "codex" / "sessions" / "2026" / "08" / f"{day:02d}" / f"rollout-{stamp}-{sid}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        ids[name] = sid
    explanations = []
    for name, items in EXPLANATION_SETS.items():
        for _cmd, _code, _out, sentence, verdict in items:
            explanations.append({"session": name, "session_id": ids[name], "text": sentence, "verdict": verdict})
    truth = {
        "sessions": {name: {"session_id": ids[name], "user": user, "agent": fmt} for name, user, fmt, *_ in SESSIONS},
        "spirals": [{"session": k, "session_id": ids[k], **v} for k, v in SPIRALS.items()],
        "not_spirals": [{"session": k, "session_id": ids[k], "kind": v} for k, v in NOT_SPIRALS.items()],
        "explanations": explanations,
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
    return truth


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "out")
