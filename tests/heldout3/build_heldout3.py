"""Build the third held-out corpus: sessions in stacks no earlier round used, written blind.

Sixteen Claude Code and Codex CLI transcripts for two users (dates in 2026-10): Gradle with
Testcontainers, Cypress, Terraform, Ansible, tenacity, resilience4j, .NET, Elixir/Phoenix, and
bugs users report in plain words. ``truth.json`` holds the timeout spirals (including waits the
agent sets on its own tools: Claude Code Bash ``timeout``, ``run_in_background`` plus polling
sleeps, Codex ``timeout_ms``, and one spiral that continues into the next session of the same
feature), the legitimate waits that are not spirals, the explanation sentences said after a
failure (exotic, legit, mundane, tempting non-claims, hedged claims), the user messages that
report a failure or do not, and the features with their fix attempts past the 80% mark
(``features.toml`` names one feature by session ids). Nothing here was derived from the
detectors. Stdlib only and deterministic.

Usage: python tests/heldout3/build_heldout3.py OUT_DIR
"""

from __future__ import annotations

import json
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

NS = uuid.UUID("3b7d9e14-2f6a-4c0b-8e55-90a1c2d3e403")
STEP = timedelta(seconds=41)


def _sid(name: str) -> str:
    return str(uuid.uuid5(NS, name))


def _ts(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


# Steps of a scripted session:
#   ("user", text) | ("say", text) | ("edit", path, old, new) | ("gap", hours)
#   ("bash", cmd, exit_code, output)                       a command that ran to its end
#   ("bash_t", cmd, timeout_ms, exit_code, output)         with a tool timeout; exit None = the tool timed out
#   ("bg", cmd, task_id)                                   Claude run_in_background


def _human(ms: int) -> str:
    s = ms // 1000
    return f"{s // 60}m {s % 60}s"


def claude_session(name: str, cwd: str, branch: str, start: datetime, steps: list) -> tuple[str, str]:
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
            "version": "2.1.90",
            "gitBranch": branch,
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
                "model": "claude-sonnet-4-6",
                "id": f"msg_{uuid.uuid5(NS, f'{name}/m{n}').hex[:24]}",
                "type": "message",
                "role": "assistant",
                "content": content,
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {
                    "input_tokens": 9,
                    "cache_creation_input_tokens": 300,
                    "cache_read_input_tokens": 12000,
                    "output_tokens": 90,
                },
            },
        )

    def result(tool_id: str, text: str, is_error: bool, extra: dict | None = None) -> None:
        emit(
            "user",
            {
                "role": "user",
                "content": [{"tool_use_id": tool_id, "type": "tool_result", "content": text, "is_error": is_error}],
            },
            {
                "toolUseResult": ("Error: " + text)
                if is_error
                else (extra or {"stdout": text, "stderr": "", "interrupted": False})
            },
        )

    for step in steps:
        kind = step[0]
        tool_id = f"toolu_{uuid.uuid5(NS, f'{name}/t{n}').hex[:24]}"
        if kind == "user":
            emit("user", {"role": "user", "content": step[1]})
        elif kind == "say":
            assistant([{"type": "text", "text": step[1]}])
        elif kind == "gap":
            t += timedelta(hours=step[1])
        elif kind in ("bash", "bash_t"):
            if kind == "bash":
                _, cmd, code, out = step
                inp = {"command": cmd, "description": "Run command"}
            else:
                _, cmd, ms, code, out = step
                inp = {"command": cmd, "description": "Run command", "timeout": ms}
            assistant([{"type": "tool_use", "id": tool_id, "name": "Bash", "input": inp}])
            if code is None:
                t += timedelta(milliseconds=ms)
                result(tool_id, f"Command timed out after {_human(ms)}\n{out}", True)
            elif code:
                result(tool_id, f"Exit code {code}\n{out}", True)
            else:
                result(tool_id, out, False)
        elif kind == "bg":
            _, cmd, task = step
            assistant(
                [
                    {
                        "type": "tool_use",
                        "id": tool_id,
                        "name": "Bash",
                        "input": {"command": cmd, "description": "Run in background", "run_in_background": True},
                    }
                ]
            )
            result(
                tool_id,
                f"Command running in background with ID: {task}. Output is being written to: /tmp/claude/tasks/{task}.output",
                False,
                {"stdout": "", "stderr": "", "interrupted": False, "backgroundTaskId": task},
            )
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
            result(tool_id, f"The file {full} has been updated successfully.", False)
        else:
            raise ValueError(kind)
    return sid, "".join(json.dumps(x) + "\n" for x in lines)


def _patch(path: str, old: str, new: str) -> str:
    body = "".join(f"-{x}\n" for x in old.split("\n") if old) + "".join(f"+{x}\n" for x in new.split("\n"))
    head = "Add File" if not old else "Update File"
    return f"*** Begin Patch\n*** {head}: {path}\n@@\n{body}*** End Patch"


def codex_session(name: str, cwd: str, branch: str, start: datetime, steps: list) -> tuple[str, str]:
    """Render scripted steps as a Codex CLI rollout (shell tool with argv and timeout_ms)."""
    sid = _sid(name)
    lines: list[dict] = []
    t = start
    n = 0

    def emit(kind: str, payload: dict) -> None:
        nonlocal t
        lines.append({"timestamp": _ts(t), "type": kind, "payload": payload})
        t += STEP

    repo = cwd.rsplit("/", 1)[-1]
    emit(
        "session_meta",
        {
            "id": sid,
            "timestamp": _ts(t),
            "cwd": cwd,
            "originator": "codex_cli_rs",
            "cli_version": "0.58.0",
            "source": "cli",
            "model_provider": "openai",
            "git": {
                "commit_hash": uuid.uuid5(NS, name).hex + "0badcafe",
                "branch": branch,
                "repository_url": f"git@github.com:northwind/{repo}.git",
            },
        },
    )
    emit(
        "turn_context",
        {
            "cwd": cwd,
            "approval_policy": "on-request",
            "sandbox_policy": {"mode": "workspace-write"},
            "model": "gpt-5-codex",
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
        elif kind == "gap":
            t += timedelta(hours=step[1])
        elif kind in ("bash", "bash_t"):
            if kind == "bash":
                _, cmd, code, out = step
                args = {"command": ["bash", "-lc", cmd], "workdir": cwd}
                ms = None
            else:
                _, cmd, ms, code, out = step
                args = {"command": ["bash", "-lc", cmd], "workdir": cwd, "timeout_ms": ms}
            emit(
                "response_item",
                {"type": "function_call", "name": "shell", "arguments": json.dumps(args), "call_id": call_id},
            )
            if code is None:
                t += timedelta(milliseconds=ms)
                body = {
                    "output": f"command timed out after {ms + 37} milliseconds\n{out}",
                    "metadata": {"exit_code": 124, "duration_seconds": round(ms / 1000 + 0.04, 2)},
                }
            else:
                body = {"output": out, "metadata": {"exit_code": code, "duration_seconds": 3.2}}
            emit("response_item", {"type": "function_call_output", "call_id": call_id, "output": json.dumps(body)})
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
    return datetime(2026, 10, day, hour, 12, 0, tzinfo=UTC)


# ================================================================ spirals

TC = "src/test/java/com/northwind/orders/OrderRepositoryIT.java"
TC_OLD = '    static PostgreSQLContainer<?> db = new PostgreSQLContainer<>("postgres:16")\n        .withStartupTimeout(Duration.ofSeconds({}));'
TC_FAIL = "OrderRepositoryIT > initializationError FAILED\n    org.testcontainers.containers.ContainerLaunchException: Container startup failed for image postgres:16\n        Caused by: org.rnorth.ducttape.TimeoutException: Timeout waiting for result with exception\nBUILD FAILED in {}s"
S_TESTCONTAINERS = [
    ("user", "The Testcontainers integration test for the order repository fails locally. Get it green."),
    ("bash", "./gradlew integrationTest --tests OrderRepositoryIT", 1, TC_FAIL.format(41)),
    ("edit", TC, TC_OLD.format(30), TC_OLD.format(60)),
    ("bash", "./gradlew integrationTest --tests OrderRepositoryIT", 1, TC_FAIL.format(72)),
    ("edit", TC, TC_OLD.format(60), TC_OLD.format(120)),
    ("bash", "./gradlew integrationTest --tests OrderRepositoryIT", 1, TC_FAIL.format(131)),
    ("edit", TC, TC_OLD.format(120), TC_OLD.format(240)),
    (
        "bash",
        "./gradlew integrationTest --tests OrderRepositoryIT",
        0,
        "OrderRepositoryIT > savesAndLoadsOrder() PASSED\nBUILD SUCCESSFUL in 3m 58s",
    ),
    ("say", "The integration test passes with a four minute startup budget for the container."),
]

CY = "cypress.config.ts"
CY_OLD = "  e2e: {{\n    baseUrl: 'http://localhost:4200',\n    defaultCommandTimeout: {},\n  }},"
CY_FAIL = "  Running:  checkout.cy.ts\n  1) checkout\n       places an order:\n     AssertionError: Timed out retrying after {}ms: Expected to find element: `[data-test=order-confirmation]`, but never found it.\n  0 passing\n  1 failing"
S_CYPRESS = [
    ("user", "checkout.cy.ts is failing in the e2e job, please fix."),
    ("bash", "npx cypress run --spec cypress/e2e/checkout.cy.ts", 1, CY_FAIL.format(4000)),
    ("edit", CY, CY_OLD.format(4000), CY_OLD.format(10000)),
    ("bash", "npx cypress run --spec cypress/e2e/checkout.cy.ts", 1, CY_FAIL.format(10000)),
    ("edit", CY, CY_OLD.format(10000), CY_OLD.format(20000)),
    ("bash", "npx cypress run --spec cypress/e2e/checkout.cy.ts", 1, CY_FAIL.format(20000)),
    ("edit", CY, CY_OLD.format(20000), CY_OLD.format(45000)),
    ("bash", "npx cypress run --spec cypress/e2e/checkout.cy.ts", 1, CY_FAIL.format(45000)),
    ("say", "Still not found after 45 seconds; I don't know yet why the confirmation never renders."),
]

TF_OUT = "module.edge.aws_cloudfront_distribution.site: Still creating... [{}s elapsed]"
S_TF_TIMEOUT_MS = [
    ("user", "Apply the edge stack in the staging workspace."),
    ("bash_t", "terraform -chdir=infra/edge apply -auto-approve", 60000, None, TF_OUT.format(50)),
    ("bash_t", "terraform -chdir=infra/edge apply -auto-approve", 180000, None, TF_OUT.format(170)),
    ("bash_t", "terraform -chdir=infra/edge apply -auto-approve", 600000, None, TF_OUT.format(590)),
    (
        "bash_t",
        "terraform -chdir=infra/edge apply -auto-approve",
        1500000,
        0,
        "module.edge.aws_cloudfront_distribution.site: Creation complete after 16m2s\nApply complete! Resources: 1 added, 0 changed, 0 destroyed.",
    ),
    ("say", "The apply completed once the command was given twenty-five minutes."),
]

S_MVN_BASH_TIMEOUT = [
    ("user", "mvn verify hangs on the ledger service, make the build pass."),
    (
        "bash_t",
        "mvn -q verify -pl ledger-service",
        60000,
        None,
        "[INFO] Running com.northwind.ledger.PostingServiceTest",
    ),
    (
        "bash_t",
        "mvn -q verify -pl ledger-service",
        120000,
        None,
        "[INFO] Running com.northwind.ledger.PostingServiceTest",
    ),
    (
        "bash_t",
        "mvn -q verify -pl ledger-service",
        300000,
        None,
        "[INFO] Running com.northwind.ledger.PostingServiceTest",
    ),
    (
        "bash_t",
        "mvn -q verify -pl ledger-service",
        600000,
        None,
        "[INFO] Running com.northwind.ledger.PostingServiceTest",
    ),
    (
        "say",
        "Even ten minutes is not enough: PostingService takes the ledger lock and then waits on the account lock that the test thread holds.",
    ),
    (
        "edit",
        "ledger-service/src/main/java/com/northwind/ledger/PostingService.java",
        "        synchronized (ledgerLock) {\n            synchronized (account.lock()) {",
        "        synchronized (account.lock()) {\n            synchronized (ledgerLock) {",
    ),
    (
        "bash_t",
        "mvn -q verify -pl ledger-service",
        600000,
        0,
        "[INFO] Tests run: 48, Failures: 0, Errors: 0, Skipped: 0\n[INFO] BUILD SUCCESS",
    ),
]

TN = "app/clients/ledger.py"
TN_OLD = "@retry(stop=stop_after_delay({}), wait=wait_exponential(multiplier=0.5))\ndef fetch_balance(account_id: str) -> Decimal:"
TN_FAIL = "FAILED tests/test_ledger_client.py::test_fetch_balance - tenacity.RetryError: RetryError[<Future at 0x7f3a state=finished raised ConnectError>]\n1 failed, 14 passed in {}s"
S_TENACITY = [
    ("user", "test_fetch_balance fails with a RetryError, sort it out."),
    ("bash", "pytest tests/test_ledger_client.py -q", 1, TN_FAIL.format(10.4)),
    ("edit", TN, TN_OLD.format(10), TN_OLD.format(30)),
    ("bash", "pytest tests/test_ledger_client.py -q", 1, TN_FAIL.format(30.6)),
    ("edit", TN, TN_OLD.format(30), TN_OLD.format(90)),
    ("bash", "pytest tests/test_ledger_client.py -q", 1, TN_FAIL.format(90.2)),
    ("edit", TN, TN_OLD.format(90), TN_OLD.format(240)),
    ("bash", "pytest tests/test_ledger_client.py -q", 1, TN_FAIL.format(240.9)),
    (
        "say",
        "Retrying longer changes nothing: the client builds the URL from LEDGER_HOST, which the test settings never set, so it connects to port 0.",
    ),
    (
        "edit",
        "tests/conftest.py",
        '    monkeypatch.setenv("LEDGER_PORT", "8089")',
        '    monkeypatch.setenv("LEDGER_PORT", "8089")\n    monkeypatch.setenv("LEDGER_HOST", "127.0.0.1")',
    ),
    ("bash", "pytest tests/test_ledger_client.py -q", 0, "...............\n15 passed in 1.21s"),
]

DN_FAIL = "Failed NorthWind.Payments.Tests.RefundFlowTests.RefundIsPublished [5 s]\n  Error Message:\n   Expected refund event within 5s but none arrived.\nFailed!  - Failed:     1, Passed:   211, Skipped:     0, Total:   212"
S_BG_POLL = [
    ("user", "The payments test suite is red, run it and find out why."),
    ("bg", "dotnet test tests/NorthWind.Payments.Tests > /tmp/claude/tasks/dn1.output 2>&1", "dn1"),
    ("bash", "sleep 10 && tail -5 /tmp/claude/tasks/dn1.output", 0, DN_FAIL),
    ("bg", "dotnet test tests/NorthWind.Payments.Tests > /tmp/claude/tasks/dn2.output 2>&1", "dn2"),
    ("bash", "sleep 30 && tail -5 /tmp/claude/tasks/dn2.output", 0, DN_FAIL),
    ("bg", "dotnet test tests/NorthWind.Payments.Tests > /tmp/claude/tasks/dn3.output 2>&1", "dn3"),
    ("bash", "sleep 90 && tail -5 /tmp/claude/tasks/dn3.output", 0, DN_FAIL),
    ("bg", "dotnet test tests/NorthWind.Payments.Tests > /tmp/claude/tasks/dn4.output 2>&1", "dn4"),
    ("bash", "sleep 240 && tail -5 /tmp/claude/tasks/dn4.output", 0, DN_FAIL),
    ("say", "Waiting longer for the run does not change the result; RefundIsPublished fails every time."),
]

AN = "roles/app/tasks/main.yml"
AN_OLD = "- name: Wait for the app port\n  ansible.builtin.wait_for:\n    port: 8080\n    timeout: {}"
AN_FAIL = 'TASK [app : Wait for the app port] ****\nfatal: [web-1]: FAILED! => {{"changed": false, "elapsed": {}, "msg": "Timeout when waiting for 127.0.0.1:8080"}}\nPLAY RECAP ****\nweb-1 : ok=7 changed=1 unreachable=0 failed=1'
S_ANSIBLE_1 = [
    ("user", "The deploy playbook fails at the port wait on the staging VM."),
    ("bash", "ansible-playbook -i inventories/staging site.yml --limit web-1", 2, AN_FAIL.format(30)),
    ("edit", AN, AN_OLD.format(30), AN_OLD.format(60)),
    ("bash", "ansible-playbook -i inventories/staging site.yml --limit web-1", 2, AN_FAIL.format(60)),
    ("say", "Still timing out at 60 seconds; continuing tomorrow."),
]
S_ANSIBLE_2 = [
    ("user", "Let's get back to the staging deploy from yesterday."),
    ("edit", AN, AN_OLD.format(60), AN_OLD.format(180)),
    ("bash", "ansible-playbook -i inventories/staging site.yml --limit web-1", 2, AN_FAIL.format(180)),
    ("edit", AN, AN_OLD.format(180), AN_OLD.format(600)),
    (
        "bash",
        "ansible-playbook -i inventories/staging site.yml --limit web-1",
        0,
        "TASK [app : Wait for the app port] ****\nok: [web-1]\nPLAY RECAP ****\nweb-1 : ok=9 changed=2 unreachable=0 failed=0",
    ),
    ("say", "The playbook goes through with a ten minute wait on the port."),
]

# ================================================================ not spirals

S_NS_JUSTIFIED = [
    ("user", "terraform init keeps failing on the new laptop."),
    (
        "bash_t",
        "terraform -chdir=infra/core init",
        10000,
        None,
        "Initializing provider plugins...\n- Installing hashicorp/aws v5.74.0...",
    ),
    (
        "say",
        "The AWS provider archive is about 130 MB and this connection measured 1.1 MB/s a minute ago, so ten seconds cannot be enough; giving it five minutes once.",
    ),
    (
        "bash_t",
        "terraform -chdir=infra/core init",
        300000,
        0,
        "- Installed hashicorp/aws v5.74.0 (signed by HashiCorp)\nTerraform has been successfully initialized!",
    ),
]

R4J = "src/main/resources/application.yml"
S_NS_FIRST = [
    ("user", "Inventory calls fail whenever the stock service restarts."),
    (
        "bash",
        "./gradlew test --tests InventoryClientTest",
        1,
        "InventoryClientTest > retriesOnRestart() FAILED\n    feign.RetryableException: Connection refused executing GET http://stock/api/items/42\nBUILD FAILED in 11s",
    ),
    (
        "edit",
        R4J,
        "resilience4j:\n  retry:\n    instances:\n      stock:\n        maxAttempts: 1",
        "resilience4j:\n  retry:\n    instances:\n      stock:\n        maxAttempts: 4\n        waitDuration: 2s",
    ),
    (
        "bash",
        "./gradlew test --tests InventoryClientTest",
        0,
        "InventoryClientTest > retriesOnRestart() PASSED\nBUILD SUCCESSFUL in 17s",
    ),
]

EX = "test/spotcheck_web/live/board_live_test.exs"
S_NS_CONDITION = [
    ("user", "board_live_test.exs is flaky on CI."),
    (
        "bash",
        "mix test test/spotcheck_web/live/board_live_test.exs",
        2,
        '  1) test moves a card (SpotcheckWeb.BoardLiveTest)\n     Assertion with =~ failed\n     left: "<div id=\\"col-done\\"></div>"\n     right: "Card 7"\n\nFinished in 0.9 seconds\n6 tests, 1 failure',
    ),
    (
        "edit",
        EX,
        '    Process.sleep(200)\n    assert render(view) =~ "Card 7"',
        '    Process.sleep(800)\n    assert render(view) =~ "Card 7"',
    ),
    (
        "bash",
        "mix test test/spotcheck_web/live/board_live_test.exs",
        2,
        "  1) test moves a card (SpotcheckWeb.BoardLiveTest)\n     Assertion with =~ failed\n\n6 tests, 1 failure",
    ),
    (
        "edit",
        EX,
        '    Process.sleep(800)\n    assert render(view) =~ "Card 7"',
        '    assert_receive {:card_moved, 7}, 2_000\n    assert render(view) =~ "Card 7"',
    ),
    (
        "bash",
        "mix test test/spotcheck_web/live/board_live_test.exs",
        0,
        "......\nFinished in 0.7 seconds\n6 tests, 0 failures",
    ),
]

S_NS_BG_BUILD = [
    ("user", "Build the release distribution for the orders service."),
    ("bg", "./gradlew :orders:distZip > /tmp/claude/tasks/gz1.output 2>&1", "gz1"),
    (
        "bash",
        "sleep 30 && tail -3 /tmp/claude/tasks/gz1.output",
        0,
        "> Task :orders:compileJava\n<============-> 61% EXECUTING [28s]",
    ),
    (
        "bash",
        "sleep 60 && tail -3 /tmp/claude/tasks/gz1.output",
        0,
        "> Task :orders:test\n<===============> 88% EXECUTING [1m 29s]",
    ),
    (
        "bash",
        "sleep 120 && tail -3 /tmp/claude/tasks/gz1.output",
        0,
        "> Task :orders:distZip\nBUILD SUCCESSFUL in 2m 41s\n14 actionable tasks: 14 executed",
    ),
    ("say", "The distribution is at orders/build/distributions/orders-1.8.0.zip."),
]

# ================================================================ explanations

FAIL = {
    "gradle": ("./gradlew integrationTest", 1),
    "cypress": ("npx cypress run", 1),
    "tf": ("terraform -chdir=infra/core plan", 1),
    "mix": ("mix test", 2),
    "dotnet": ("dotnet test", 1),
    "pytest": ("pytest -q", 1),
    "ansible": ("ansible-playbook -i inventories/prod site.yml", 2),
}

# (kind of check, output, sentence, verdict); verdict "non_claim" = must carry no exotic verdict
EXPL_A = [  # JVM / Testcontainers / resilience4j, claude
    (
        "gradle",
        'ShipmentRepositoryIT > persists() FAILED\n    org.postgresql.util.PSQLException: ERROR: relation "shipment_events" does not exist',
        "The Flyway migration V14 was never added to the test classpath, so shipment_events does not exist in the container.",
        "mundane",
    ),
    (
        "gradle",
        "ShipmentRepositoryIT > initializationError FAILED\n    java.lang.IllegalStateException: Could not find a valid Docker environment. Please see logs and check configuration\n    at org.testcontainers.dockerclient.DockerClientProviderStrategy",
        "Testcontainers cannot find a Docker environment, as the IllegalStateException says, so the Docker daemon is not running on this machine.",
        "legit",
    ),
    (
        "gradle",
        "ShipmentRepositoryIT > persists() FAILED\n    org.opentest4j.AssertionFailedError: expected: <3> but was: <2>",
        "I'd bet on the Docker Desktop VM dropping writes under load.",
        "exotic",
    ),
    (
        "gradle",
        "CarrierClientIT > quotes() FAILED\n    io.github.resilience4j.circuitbreaker.CallNotPermittedException: CircuitBreaker 'carrier' is OPEN",
        "Could be down to the carrier sandbox being overloaded this afternoon.",
        "exotic",
    ),
    (
        "gradle",
        "CarrierClientIT > quotes() FAILED\n    io.github.resilience4j.circuitbreaker.CallNotPermittedException: CircuitBreaker 'carrier' is OPEN",
        "Our slidingWindowSize of 2 trips the breaker after a single slow call in the warm-up.",
        "mundane",
    ),
    (
        "gradle",
        "ShipmentServiceTest > emitsEvent() FAILED\n    org.mockito.exceptions.misusing.UnnecessaryStubbingException",
        "The test stubs carrierClient.quote() but the new code path never calls it.",
        "mundane",
    ),
    (
        "gradle",
        "ShipmentRepositoryIT > persists() FAILED\n    java.lang.OutOfMemoryError: Java heap space\n    at org.postgresql.core.v3.QueryExecutorImpl",
        "The JVM ran out of heap (OutOfMemoryError: Java heap space) while the driver buffered the whole result set.",
        "legit",
    ),
    (
        "gradle",
        "ShipmentRepositoryIT > persists() FAILED\n    org.opentest4j.AssertionFailedError: expected: <3> but was: <2>",
        "I updated the assertion and re-ran the suite twice to be sure.",
        "non_claim",
    ),
]
EXPL_B = [  # browser e2e / Cypress / Selenium, codex
    (
        "cypress",
        "  1) login\n       redirects to the dashboard:\n     CypressError: `cy.visit()` failed trying to load:\n     http://localhost:4200/login\n     We attempted to make an http request to this URL but the request failed without a response.\n     Error: connect ECONNREFUSED 127.0.0.1:4200",
        "cy.visit got ECONNREFUSED on 127.0.0.1:4200, so the dev server was not up when the spec started.",
        "legit",
    ),
    (
        "cypress",
        "  1) cart\n       shows the total:\n     AssertionError: Timed out retrying after 4000ms: expected '<span.total>' to contain '€42.00'",
        "Chrome's renderer is probably throttling the background tab in headless mode.",
        "exotic",
    ),
    (
        "cypress",
        "  1) cart\n       shows the total:\n     AssertionError: Timed out retrying after 4000ms: expected '<span.total>' to contain '€42.00'",
        "The total is formatted with the en-US locale in formatPrice, so it renders $42.00.",
        "mundane",
    ),
    (
        "cypress",
        "  1) search\n       filters results:\n     AssertionError: expected 12 to equal 3",
        "The intercept alias @search matches /api/search* and also catches the suggestions call.",
        "mundane",
    ),
    (
        "cypress",
        "  1) upload\n       attaches the invoice:\n     CypressError: Timed out retrying after 4000ms: `cy.get()` could not find `[data-test=dropzone]`",
        "My guess is that the Electron build Cypress ships with has a regression in drag-and-drop.",
        "exotic",
    ),
    (
        "cypress",
        "  1) upload\n       attaches the invoice:\n     CypressError: Timed out retrying after 4000ms: `cy.get()` could not find `[data-test=dropzone]`",
        "So the Electron theory is out: the same spec fails in Chrome, and the dropzone is only rendered after the feature flag loads.",
        "mundane",
    ),
    (
        "cypress",
        "  1) profile\n       saves the avatar:\n     CypressError: `cy.request()` failed on:\n     https://api.staging.northwind.dev/avatars\n     The response we received from your web server was:\n     > 413: Payload Too Large",
        "The staging API rejected the upload with 413 Payload Too Large, so the 6 MB fixture is over its body limit.",
        "legit",
    ),
    (
        "cypress",
        "  1) login\n       redirects to the dashboard:\n     AssertionError: expected '/login' to equal '/dashboard'",
        "Next I will add a data-test attribute to the submit button and retry the spec.",
        "non_claim",
    ),
]
EXPL_C = [  # infrastructure as code: Terraform / Pulumi / Ansible, codex
    (
        "tf",
        "Error: creating S3 Bucket (northwind-artifacts): BucketAlreadyExists: The requested bucket name is not available. The bucket namespace is shared by all users of the system.",
        "The bucket name northwind-artifacts is already taken in the global S3 namespace, as BucketAlreadyExists says.",
        "legit",
    ),
    (
        "tf",
        'Error: Invalid reference\n  on modules/vpc/outputs.tf line 7:\n   7:   value = aws_subnet.private.ids\nA managed resource "aws_subnet" "private" has not been declared in module.vpc.',
        "The output refers to aws_subnet.private, but the module names that resource private_a.",
        "mundane",
    ),
    (
        "tf",
        "Error: reading EC2 Instance (i-0a1b2c3d): operation error EC2: DescribeInstances, https response error StatusCode: 500, RequestID: 7f1e",
        "AWS must be having a regional outage in eu-central-1 right now.",
        "exotic",
    ),
    (
        "tf",
        "Error: Provider produced inconsistent final plan\nWhen expanding the plan for aws_lb_listener.https to include new values learned so far during apply",
        "Probably a bug in the AWS provider's plan logic, nothing we did.",
        "exotic",
    ),
    (
        "tf",
        "Error: Provider produced inconsistent final plan\nWhen expanding the plan for aws_lb_listener.https to include new values learned so far during apply",
        "Our listener takes certificate_arn from a data source that only resolves after the certificate is created, so the value changes during apply.",
        "mundane",
    ),
    (
        "tf",
        'Error: Unsupported argument\n  on modules/dns/main.tf line 22:\n  22:   allow_overwrite = true\nAn argument named "allow_overwrite" is not expected here.',
        "Maybe we can skip the plan for the DNS module until the provider upgrade lands.",
        "non_claim",
    ),
    (
        "ansible",
        'TASK [nginx : Reload nginx] ****\nfatal: [web-2]: FAILED! => {"msg": "nginx: [emerg] unknown directive \\"proxy_bufer_size\\" in /etc/nginx/sites-enabled/app:14"}',
        "The template has a typo, proxy_bufer_size, which nginx rejects on reload.",
        "mundane",
    ),
    (
        "ansible",
        'TASK [app : Pull image] ****\nfatal: [web-2]: FAILED! => {"msg": "Error response from daemon: toomanyrequests: You have reached your pull rate limit."}',
        "Docker Hub refused the pull with toomanyrequests, its anonymous rate limit, so we need to log in or mirror the image.",
        "legit",
    ),
    (
        "ansible",
        'fatal: [web-3]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: ssh: connect to host 10.0.3.14 port 22: Connection timed out", "unreachable": true}',
        "Some hiccup in the hosting provider's network, I suppose.",
        "exotic",
    ),
    (
        "ansible",
        'fatal: [web-3]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: ssh: connect to host 10.0.3.14 port 22: Connection timed out", "unreachable": true}',
        "web-3 still points at 10.0.3.14 in inventories/prod/hosts.yml; the machine was replaced last week and has a new address.",
        "mundane",
    ),
]
EXPL_D = [  # Elixir / Phoenix and .NET, claude
    (
        "mix",
        "  1) test creates a booking (Spotcheck.BookingsTest)\n     ** (Ecto.ConstraintError) constraint error when attempting to insert struct:\n         * bookings_room_id_fkey (foreign_key_constraint)",
        "The factory inserts the booking before the room, so the foreign key is violated.",
        "mundane",
    ),
    (
        "mix",
        "  1) test broadcasts the update (SpotcheckWeb.RoomChannelTest)\n     Assertion failed, no matching message after 100ms",
        "Likely the BEAM scheduler on this laptop is starved and delivers the broadcast late.",
        "exotic",
    ),
    (
        "mix",
        "  1) test broadcasts the update (SpotcheckWeb.RoomChannelTest)\n     Assertion failed, no matching message after 100ms",
        'We subscribe to "room:" <> id after the update is published, so the message is gone before we listen.',
        "mundane",
    ),
    (
        "mix",
        "** (DBConnection.ConnectionError) connection not available and request was dropped from queue after 2000ms. This means requests are coming in and your connection pool cannot serve them fast enough.",
        "The pool in config/test.exs is size 2 and the async tests check out more connections than that.",
        "mundane",
    ),
    (
        "dotnet",
        "Failed NorthWind.Payments.Tests.CardGatewayTests.Charges [2 s]\n  Error Message:\n   System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.\n   ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot",
        "The gateway's sandbox presents a certificate whose root is not trusted here (UntrustedRoot in the AuthenticationException).",
        "legit",
    ),
    (
        "dotnet",
        "Failed NorthWind.Payments.Tests.RefundFlowTests.RefundIsPublished [5 s]\n  Error Message:\n   Expected refund event within 5s but none arrived.",
        "Perhaps the .NET thread pool is just slow to ramp up on the CI image.",
        "exotic",
    ),
    (
        "dotnet",
        "Failed NorthWind.Payments.Tests.RefundFlowTests.RefundIsPublished [5 s]\n  Error Message:\n   Expected refund event within 5s but none arrived.",
        "RefundHandler is registered as scoped, so the background publisher resolves a second instance whose outbox is never flushed.",
        "mundane",
    ),
    (
        "dotnet",
        "error CS0246: The type or namespace name 'IClock' could not be found (are you missing a using directive or an assembly reference?)",
        "I moved IClock to NorthWind.Common last commit and the test project lacks the using.",
        "mundane",
    ),
    (
        "dotnet",
        "Failed NorthWind.Payments.Tests.CardGatewayTests.Charges [2 s]",
        "Summary: fixed the handler registration and the missing using; the suite is green on my machine and on the CI image.",
        "non_claim",
    ),
    (
        "dotnet",
        "Failed NorthWind.Payments.Tests.RefundFlowTests.RefundIsPublished [5 s]",
        "It isn't the message broker: the same test fails with the in-memory transport, so our handler registration is the suspect.",
        "mundane",
    ),
]
EXPL_E = [  # bugs reported by people in plain words, codex and claude; (user report, sentence, verdict)
    (
        "The dashboard page stays blank after I log in, no error anywhere.",
        "The page is blank because useSession returns undefined on first render and DashboardLayout returns null without a fallback.",
        "mundane",
    ),
    (
        "The totals double after a refresh on the invoices page.",
        "Probably the CDN caching an old bundle at the edge.",
        "exotic",
    ),
    (
        "The totals double after a refresh on the invoices page.",
        "The reducer appends the fetched lines to the persisted state instead of replacing them, so each refresh adds them again.",
        "mundane",
    ),
    (
        "Exports to CSV sometimes come out empty.",
        "Could be down to S3 eventual consistency on the export bucket.",
        "exotic",
    ),
    (
        "Exports to CSV sometimes come out empty.",
        "The export job reads the temp file before the writer's stream has been closed.",
        "mundane",
    ),
    (
        "Search got really slow since yesterday.",
        "I've added an index on invoices(customer_id, issued_at) and rewritten the query to use it.",
        "non_claim",
    ),
]

EXPLANATION_SETS = {"expl-jvm": EXPL_A, "expl-e2e": EXPL_B, "expl-iac": EXPL_C, "expl-beam-dotnet": EXPL_D}


def explanation_steps(items: list) -> list:
    steps: list = [("user", "Run the checks and explain each failure.")]
    for key, out, sentence, _verdict in items:
        cmd, code = FAIL[key]
        steps.append(("bash", cmd, code, out))
        steps.append(("say", sentence))
    return steps


def report_steps(items: list) -> list:
    steps: list = []
    last = None
    for report, sentence, _verdict in items:
        if report != last:
            steps.append(("user", report))
            last = report
        steps.append(("say", sentence))
    return steps


# Prompts that mention errors but report none (templates, specs, instructions)
NOT_REPORTS = [
    "## Task template\nFor each ERROR in the log below, write a one-line summary. If the job is stuck, say so.\n(Template v3, no log attached yet.)",
    "Spec: the importer must fail with ERROR E042 when a row has no customer id, and must never get stuck on a malformed line.",
    "Please add a retry with backoff for transient errors in the webhook sender.",
]

# ================================================================ features (fix attempts past 80%)

INV = "src/invoices/render_pdf.py"
BIG = "\n".join(f"    line_{i} = layout.cell({i})" for i in range(120))


def _fix(path: str, i: int) -> tuple:
    return ("edit", path, f"    total = subtotal + tax  # v{i}", f"    total = subtotal + tax  # v{i + 1}")


S_FEAT_PDF_1 = [
    ("user", "Start the PDF rendering for invoices."),
    (
        "edit",
        INV,
        "def render(invoice):\n    pass",
        "def render(invoice):\n" + BIG + "\n    total = subtotal + tax  # v0",
    ),
    ("bash", "pytest tests/invoices -q", 0, "12 passed in 0.8s"),
]
S_FEAT_PDF_2 = [("user", "The PDF totals are off for invoices with discounts.")]
for _i in range(4):
    S_FEAT_PDF_2 += [
        (
            "bash",
            "pytest tests/invoices -q",
            1,
            f"FAILED tests/invoices/test_render.py::test_discount_total - assert Decimal('90.{_i}0') == Decimal('90.00')\n1 failed, 12 passed",
        ),
        _fix(INV, _i),
    ]
S_FEAT_PDF_2 += [("bash", "pytest tests/invoices -q", 0, "13 passed in 0.9s")]

SSO = "src/auth/sso.ts"
SSO_A = "\n".join(f"  const step{i} = await oidc.step({i});" for i in range(60))
SSO_B = "\n".join(f"  const more{i} = await oidc.more({i});" for i in range(80))
S_FEAT_SSO_1 = [
    ("user", "Implement the SSO login with our OIDC provider."),
    (
        "edit",
        SSO,
        "export async function login() {\n}",
        "export async function login() {\n" + SSO_A + "\n  return done;  // v0\n}",
    ),
    ("bash", "npm test -- auth", 0, "Tests: 18 passed, 18 total"),
]
S_FEAT_SSO_2 = [
    ("user", "Finish the SSO flow: callbacks and logout."),
    ("edit", SSO, "  return done;  // v0\n}", SSO_B + "\n  return done;  // v0\n}"),
    ("bash", "npm test -- auth", 0, "Tests: 24 passed, 24 total"),
]
S_FEAT_SSO_3: list = []
for _i in range(12):
    if _i % 3 == 0:
        S_FEAT_SSO_3 += [("user", f"The login button does nothing now for users in tenant {_i}."), ("gap", 20)]
    else:
        S_FEAT_SSO_3 += [
            (
                "bash",
                "npm test -- auth",
                1,
                f"FAIL src/auth/sso.test.ts\n  ● callback › tenant {_i}\n    Expected: 302\n    Received: 500",
            ),
            ("gap", 20),
        ]
    S_FEAT_SSO_3 += [
        ("edit", SSO, f"  return done;  // v{_i}\n}}", f"  return done;  // v{_i + 1}\n}}"),
        ("bash", "npm test -- auth", 0, "Tests: 24 passed, 24 total"),
    ]

EXP = "lib/billing/export.ex"
EXP_BODY = "\n".join(f"    row_{i} = Export.cell(invoice, {i})" for i in range(90))
S_FEAT_EXPORT_1 = [
    ("user", "Add the billing export to CSV."),
    (
        "edit",
        EXP,
        "  def export(invoices) do\n  end",
        "  def export(invoices) do\n" + EXP_BODY + "\n    :ok # v0\n  end",
    ),
    ("bash", "mix test test/billing", 0, "9 tests, 0 failures"),
    (
        "bash",
        "mix test test/billing/export_test.exs",
        2,
        "  1) test quotes commas (Billing.ExportTest)\n     Assertion with == failed\n9 tests, 1 failure",
    ),
    ("edit", EXP, "    :ok # v0\n  end", "    :ok # v1\n  end"),
    (
        "bash",
        "mix test test/billing",
        2,
        "  1) test quotes newlines (Billing.ExportTest)\n     Assertion with == failed\n9 tests, 1 failure",
    ),
    ("edit", EXP, "    :ok # v1\n  end", "    :ok # v2\n  end"),
    ("bash", "mix test test/billing", 0, "10 tests, 0 failures"),
]

# (name, user, format, cwd, branch, day, steps)
SESSIONS = [
    ("spiral-testcontainers", "carol", "claude", "/home/carol/src/orders", "fix/order-repo-it", 2, S_TESTCONTAINERS),
    ("spiral-cypress", "dave", "codex", "/home/dave/src/storefront", "fix/checkout-e2e", 3, S_CYPRESS),
    ("spiral-tf-timeout-ms", "dave", "codex", "/home/dave/src/platform-infra", "chore/edge-stack", 5, S_TF_TIMEOUT_MS),
    ("spiral-mvn-bash-timeout", "carol", "claude", "/home/carol/src/ledger", "fix/verify-hang", 6, S_MVN_BASH_TIMEOUT),
    ("spiral-tenacity", "carol", "claude", "/home/carol/src/treasury", "fix/ledger-client", 7, S_TENACITY),
    ("spiral-bg-poll", "carol", "claude", "/home/carol/src/payments", "fix/refund-events", 8, S_BG_POLL),
    ("spiral-ansible-1", "dave", "codex", "/home/dave/src/deploy", "fix/staging-port-wait", 9, S_ANSIBLE_1),
    ("spiral-ansible-2", "dave", "codex", "/home/dave/src/deploy", "fix/staging-port-wait", 10, S_ANSIBLE_2),
    ("ns-tf-justified", "dave", "codex", "/home/dave/src/platform-infra", "chore/core-init", 12, S_NS_JUSTIFIED),
    ("ns-r4j-first", "carol", "codex", "/home/carol/src/inventory", "fix/stock-restarts", 13, S_NS_FIRST),
    ("ns-elixir-condition", "dave", "claude", "/home/dave/src/spotcheck", "fix/board-live-flaky", 14, S_NS_CONDITION),
    ("ns-bg-build", "carol", "claude", "/home/carol/src/orders", "release/1.8", 15, S_NS_BG_BUILD),
    ("expl-jvm", "carol", "claude", "/home/carol/src/shipments", "main", 16, explanation_steps(EXPL_A)),
    ("expl-e2e", "dave", "codex", "/home/dave/src/storefront", "main", 16, explanation_steps(EXPL_B)),
    ("expl-iac", "dave", "codex", "/home/dave/src/platform-infra", "main", 19, explanation_steps(EXPL_C)),
    ("expl-beam-dotnet", "carol", "claude", "/home/carol/src/payments", "main", 20, explanation_steps(EXPL_D)),
    (
        "reports-plain",
        "dave",
        "codex",
        "/home/dave/src/invoicing",
        "main",
        21,
        report_steps(EXPL_E) + [("user", x) for x in NOT_REPORTS],
    ),
    ("feat-pdf-1", "carol", "claude", "/home/carol/src/invoicing", "feature/invoice-pdf", 22, S_FEAT_PDF_1),
    ("feat-pdf-2", "carol", "claude", "/home/carol/src/invoicing", "feature/invoice-pdf", 23, S_FEAT_PDF_2),
    ("feat-sso-1", "dave", "codex", "/home/dave/src/portal", "feature/sso-login", 22, S_FEAT_SSO_1),
    ("feat-sso-2", "dave", "codex", "/home/dave/src/portal", "feature/sso-login", 23, S_FEAT_SSO_2),
    ("feat-sso-3", "dave", "codex", "/home/dave/src/portal", "feature/sso-login", 24, S_FEAT_SSO_3),
    ("feat-export-1", "carol", "claude", "/home/carol/src/billing", "main", 26, S_FEAT_EXPORT_1),
]

SPIRALS = {
    "spiral-testcontainers": {"site": TC, "outcome": "masked", "values_s": [30, 60, 120, 240]},
    "spiral-cypress": {"site": CY, "outcome": "unresolved", "values_s": [4, 10, 20, 45]},
    "spiral-tf-timeout-ms": {
        "site": "terraform",
        "outcome": "masked",
        "values_s": [60, 180, 600, 1500],
        "wait_on": "codex timeout_ms",
    },
    "spiral-mvn-bash-timeout": {
        "site": "mvn",
        "outcome": "fixed_by_logic",
        "values_s": [60, 120, 300, 600],
        "wait_on": "claude Bash timeout",
    },
    "spiral-tenacity": {"site": TN, "outcome": "fixed_by_logic", "values_s": [10, 30, 90, 240]},
    "spiral-bg-poll": {
        "site": "sleep",
        "outcome": "unresolved",
        "values_s": [10, 30, 90, 240],
        "wait_on": "run_in_background + polling sleep",
    },
    "spiral-ansible-2": {
        "site": AN,
        "outcome": "masked",
        "values_s": [30, 60, 180, 600],
        "continues_from": "spiral-ansible-1",
        "also_session": "spiral-ansible-1",
    },
}

NOT_SPIRALS = {
    "ns-tf-justified": "single raise of a Codex timeout_ms justified by a measured download rate",
    "ns-r4j-first": "first-time retry wait (resilience4j waitDuration added where none was)",
    "ns-elixir-condition": "Process.sleep raised once, then replaced by assert_receive",
    "ns-bg-build": "polling sleeps 30 -> 60 -> 120 on a background build that is progressing, no failed check",
}

# repository, branch (or features.toml name), sessions, fix attempts past 80%, cliff
FEATURES = [
    {
        "repo": "invoicing",
        "branch": "feature/invoice-pdf",
        "sessions": ["feat-pdf-1", "feat-pdf-2"],
        "patches_after_80": 4,
        "cliff": False,
    },
    {
        "repo": "portal",
        "branch": "feature/sso-login",
        "sessions": ["feat-sso-1", "feat-sso-2", "feat-sso-3"],
        "patches_after_80": 12,
        "cliff": True,
    },
    {
        "name": "Billing export",
        "repo": "billing",
        "branch": "main",
        "sessions": ["feat-export-1"],
        "patches_after_80": 2,
        "cliff": False,
    },
]


def features_toml(ids: dict) -> str:
    return (
        "# Feature rules for the third held-out round: the billing export lives on main.\n"
        '[[feature]]\nname = "Billing export"\n'
        f'sessions = ["{ids["feat-export-1"]}"]\n'
    )


def build(out: Path) -> dict:
    """Write every session under out/<user>/<agent>/..., out/features.toml, and return the truth document."""
    ids: dict[str, str] = {}
    for name, user, fmt, cwd, branch, day, steps in SESSIONS:
        start = _day(day, 9 if not name.endswith("-2") and not name.endswith("-3") else 14)
        if fmt == "claude":
            sid, text = claude_session(name, cwd, branch, start, steps)
            path = out / user / "claude" / "projects" / cwd.replace("/", "-") / f"{sid}.jsonl"
        else:
            sid, text = codex_session(name, cwd, branch, start, steps)
            stamp = start.strftime("%Y-%m-%dT%H-%M-%S")
            path = out / user / "codex" / "sessions" / "2026" / "10" / f"{day:02d}" / f"rollout-{stamp}-{sid}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        ids[name] = sid
    (out / "features.toml").write_text(features_toml(ids), encoding="utf-8")
    explanations = []
    for name, items in EXPLANATION_SETS.items():
        for _key, _out, sentence, verdict in items:
            explanations.append({"session": name, "session_id": ids[name], "text": sentence, "verdict": verdict})
    for report, sentence, verdict in EXPL_E:
        explanations.append(
            {
                "session": "reports-plain",
                "session_id": ids["reports-plain"],
                "text": sentence,
                "verdict": verdict,
                "after_user_report": report,
            }
        )
    reports = sorted({r for r, _s, _v in EXPL_E})
    truth = {
        "about": "Third held-out round, written blind in stacks earlier rounds did not use; see build_heldout3.py.",
        "sessions": {
            name: {"session_id": ids[name], "user": user, "agent": fmt, "branch": branch}
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
        "user_messages": [{"session": "reports-plain", "text": r, "verdict": "report"} for r in reports]
        + [{"session": "reports-plain", "text": x, "verdict": "not_report"} for x in NOT_REPORTS],
        "features": [{**f, "sessions": [ids[s] for s in f["sessions"]]} for f in FEATURES],
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return truth


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "out")
