"""A check whose exit status is hidden fails when its output says so, in every transcript shape.

``pytest | tail -n 40``, ``npm test || true``, ``./gradlew test; echo done``, ``set +e`` scripts:
the command ends with status 0 whatever the check did, so the runner's summary decides
(``FAILED``, ``2 failed``, ``Tests run: 5, Failures: 1``, ``BUILD FAILED``, ``error[E…``,
``npm ERR!``, a localized ``dotnet test`` summary). A check the agent's own tool killed at its
budget failed too. Each case is rendered as Claude Code writes it and in the three shell tools
Codex has written (``exec_command``, ``shell_command``, ``shell``); look-alikes that passed
must stay passes, so no staircase is built on a green run.
"""

from __future__ import annotations

import pytest

from ingest.facts.edits import exit_status_hidden
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.agent_transcripts import CODEX_TOOLS, Session, write_session

HIDDEN_FAILURES = [
    (
        "uv run pytest -q 2>&1 | tail -n 40",
        "FAILED tests/test_x.py::test_a - assert 1 == 2\n===== 1 failed, 3 passed in 0.5s =====",
    ),
    ("npx jest 2>&1 | grep -E 'Tests:|failed'", "Tests:       2 failed, 14 passed, 16 total"),
    ("mvn -q test || true", "Tests run: 5, Failures: 1, Errors: 0, Skipped: 0"),
    ("./gradlew test; echo done", "BUILD FAILED in 12s\ndone"),
    ("cargo test 2>&1 | tail -5", "error[E0308]: mismatched types\n --> src/lib.rs:3:5"),
    ("npm test || true", "npm ERR! Test failed.  See above for more details."),
    ('set +e; go test ./...; echo "exit=$?"', "--- FAIL: TestX (0.01s)\nFAIL\texample.com/x\t0.2s\nexit=1"),
    ("set +e\ngo test ./...\necho finished", "--- FAIL: TestX (0.01s)\nFAIL\nfinished"),
    ("pnpm test 2>&1 | tail -20", "> web@1.0.0 test\n> vitest run\nProcess exited with code 1"),
    (
        "dotnet test 2>&1 | tail -3",
        "Fehler!  - Fehler:     1, erfolgreich:    41, übersprungen:     0, gesamt:    42, Dauer: 2 s - Shop.Tests.dll",
    ),
    (
        "dotnet test || true",
        "Échec!  - Échec :     1, Réussite :    41, Ignorée(s) :     0, Total :    42, Durée : 2 s - Shop.Tests.dll",
    ),
    ("bundle exec rspec | tail -3", "Finished in 0.5 seconds\n5 examples, 1 failure"),
    ("vendor/bin/phpunit || true", "FAILURES!\nTests: 5, Assertions: 9, Failures: 1."),
    ("npx vitest run 2>&1 | tail -4", " Test Files  1 failed (1)\n      Tests  2 failed | 3 passed (5)"),
    ("npx playwright test; echo ok", "  2 failed\n    [chromium] › a.spec.ts:3:1 › pays\n  3 passed (9.1s)\nok"),
    ("go test ./... || echo 'tests failed'", "--- FAIL: TestX (0.01s)\nFAIL\ntests failed"),
    ("make test 2>&1 | tail -5", "make: *** [Makefile:12: test] Error 2"),
    ("make check 2>&1 | tail -2", "make[1]: *** [Makefile:30: check] Fehler 1"),
    ("make 2>&1 | head -3", "gcc -Wall -c main.c\nmain.c:4:1: Fehler: expected ';' before '}' token"),
]
HIDDEN_PASSES = [
    ("uv run pytest -q | tail -3", "===== 12 passed in 3.1s ====="),
    ("mvn test || true", "Tests run: 5, Failures: 0, Errors: 0, Skipped: 0\nBUILD SUCCESS"),
    ("go test ./... ; echo done", "ok  \tgithub.com/acme/shop\t0.3s\ndone"),
    ("npm test 2>&1 | grep -E 'Tests:'", "Tests:       16 passed, 16 total"),
    ("dotnet test | tail -2", "Bestanden!  - Fehler:     0, erfolgreich:    42, übersprungen:     0, gesamt:    42"),
    (
        "uv run pytest -q 2>&1 | tail -5",
        "tests/test_errors.py::test_error_handling PASSED\n===== 3 passed in 0.2s =====",
    ),
    ("bundle exec rspec | tail -2", "5 examples, 0 failures"),
    ("for f in a b; do go test ./$f; done", "ok  \texample.com/a\t0.1s\nok  \texample.com/b\t0.1s"),
]
TIMED_OUT = ("uv run pytest tests/e2e -q", "tests/e2e/test_flow.py::test_checkout ")
SHAPES = [("claude", "exec_command"), *(("codex", tool) for tool in CODEX_TOOLS)]


def hidden_story(tool: str) -> Session:
    s = Session(f"hidden-{tool}", branch="fix/hidden", codex_tool=tool)
    s.prompt("Run the suites and tell me what is red.")
    for command, output in HIDDEN_FAILURES + HIDDEN_PASSES:
        s.shell(command, output, exit_code=0)
    s.shell(*TIMED_OUT, timeout_ms=120_000, timed_out=True)
    return s


@pytest.fixture(scope="module", params=SHAPES, ids=[f"{fmt}-{tool}" for fmt, tool in SHAPES])
def verdicts(request, tmp_path_factory):
    fmt, tool = request.param
    root = tmp_path_factory.mktemp(f"hidden-{fmt}-{tool}")
    write_session(root / "logs", hidden_story(tool), fmt)
    with open_store(root / "audit.duckdb") as con:
        ingest_paths(con, [root / "logs"], user_name="dev")
        return con.execute("SELECT command, failed, is_verification FROM fact_commands ORDER BY ord").fetchall()


def test_every_case_is_a_check(verdicts):
    assert len(verdicts) == len(HIDDEN_FAILURES) + len(HIDDEN_PASSES) + 1
    assert all(is_check for _command, _failed, is_check in verdicts)


def test_a_hidden_status_is_read_from_the_output(verdicts):
    failed = {command for command, failed, _ in verdicts if failed}
    assert failed == {command for command, _ in HIDDEN_FAILURES} | {TIMED_OUT[0]}
    assert len(failed) == 20


def test_look_alikes_that_passed_stay_passes(verdicts):
    passed = [command for command, failed, _ in verdicts if failed is False]
    assert passed == [command for command, _ in HIDDEN_PASSES]


@pytest.mark.parametrize(
    ("command", "hidden"),
    [
        ("pytest -q 2>&1 | tail -20", True),
        ("./gradlew test; echo done", True),
        ("go test ./... || echo failed", True),
        ("set +e\ngo test ./...\necho finished", True),
        ("pytest > out.log 2>&1; cat out.log", True),
        ("go test ./... && echo ok", False),  # a failure stops the list: its status is the check's
        ("cd web; npm test", False),
        ("set -e; pytest; echo done", False),  # errexit ends the script at the failure
        ("set -euo pipefail; pytest | tail", False),
        ("for f in a b; do go test ./$f; done", False),
        ("echo hi | grep x", False),  # no check in it
    ],
)
def test_which_commands_hide_their_checks_status(command, hidden):
    assert exit_status_hidden(command) is hidden
