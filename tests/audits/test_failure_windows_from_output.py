"""Failure windows that open on what a command printed, after any command, and reach past a prompt.

A cause the agent names is an explanation only inside a failure window. These stories, told
once and written in the four agent formats, pin where windows open and where they do not:

- a result that carries no exit status at all (a Claude Code result without ``is_error``, a
  Codex output without metadata, a Gemini CLI output without its ``Exit Code`` line, an Aider
  ``/run``) failed when its output shows it: a traceback, ``panic:``, a segfault,
  ``command not found``, a runner's failing summary;
- a command that is no check (``docker run``, ``curl``, ``kubectl apply``, a one-off script)
  that failed opens the window too;
- the window reaches a claim made after the user's follow-up ("any idea?", "yes go ahead")
  while the failed check has not passed again; it closes on a prompt for other work, once the
  check passes, or after two follow-ups (see ``_SessionWalk.window_reaches_prompt``);
- no window opens on a command that only shows text (``grep -rn error``, a log or a doc read
  with ``cat``), on ``Found 0 errors``, on a passing test named ``test_error_handling``, or on a
  search that found nothing (``grep`` exits 1).

Aider's own lint and test runs leave only "Attempt to fix lint errors?" / "Attempt to fix test
errors?" in the history; the reply after either is after a failure.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.facts.edits import is_failure
from ingest.facts.output_verdict import only_shows_text, status_means_no_match
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.agent_transcripts import ALL_FORMATS, Session, write_any

CLAIM = "It fails because the Postgres container is not accepting connections yet."

MIGRATE_TRACEBACK = (
    "Traceback (most recent call last):\n"
    '  File "scripts/migrate.py", line 8, in <module>\n'
    "    conn = psycopg.connect(DSN)\n"
    'psycopg.OperationalError: connection to server at "localhost" (127.0.0.1), port 5432 failed: '
    "Connection refused"
)
COLLECTION_ERROR = (
    "ImportError while importing test module '/home/dev/src/shop/tests/test_orders.py'.\n"
    "E   ModuleNotFoundError: No module named 'psycopg'\n"
    "=========================== short test summary info ============================\n"
    "ERROR tests/test_orders.py\n"
    "!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!\n"
    "=============================== 1 error in 0.31s ==============================="
)
GO_PANIC = (
    "panic: dial tcp 127.0.0.1:5432: connect: connection refused\n\n"
    "goroutine 1 [running]:\nmain.main()\n\t/home/dev/src/shop/cmd/seed/main.go:22 +0x1a5\nexit status 2"
)

# (name, command, output) run with no exit status recorded: each failed, as its output shows.
SILENT_FAILURES = [
    ("check-collection", "pytest tests/test_orders.py -q", COLLECTION_ERROR),
    ("script-traceback", "python scripts/migrate.py", MIGRATE_TRACEBACK),
    ("go-panic", "go run ./cmd/seed", GO_PANIC),
    ("segfault", "./build/loader --db localhost", "Segmentation fault (core dumped)"),
    ("illegal-instruction", "./build/loader --simd", "loading 12 tables\nIllegal instruction"),
    (
        "rust-panic",
        "cargo run --bin seed",
        "    Finished dev [unoptimized] target(s) in 0.21s\n     Running `target/debug/seed`\n"
        "thread 'main' panicked at src/bin/seed.rs:14:10:\ncalled `Result::unwrap()` on an `Err` value: "
        "Io(Os { code: 111, kind: ConnectionRefused })",
    ),
    ("not-found", "psql -h localhost -c 'select 1'", "bash: psql: command not found"),
    ("runner-exit", "npm run seed", "> shop@1.0.0 seed\n> node scripts/seed.js\n\nProcess exited with code 1"),
]
# (name, command, output, exit status): commands that are no check, failed with a status.
FAILED_COMMANDS = [
    (
        "docker-run",
        "docker run --rm -p 5432:5432 postgres:16",
        "docker: Error response from daemon: driver failed programming external connectivity on endpoint pg: "
        "Bind for 0.0.0.0:5432 failed: port is already allocated.",
        125,
    ),
    (
        "curl-refused",
        "curl -sf http://localhost:8000/health",
        "curl: (7) Failed to connect to localhost port 8000 after 0 ms: Couldn't connect to server",
        7,
    ),
    (
        "kubectl-apply",
        "kubectl apply -f k8s/db.yaml",
        'error: error validating "k8s/db.yaml": error validating data: ValidationError(StatefulSet.spec): '
        'missing required field "serviceName"',
        1,
    ),
    ("one-off-script", "python scripts/migrate.py", MIGRATE_TRACEBACK, 1),
]
# (name, command, output, exit status or None for none recorded): no failure happened.
NO_FAILURE = [
    (
        "grep-error",
        "grep -rn error src/",
        'src/api.py:12:    raise ValueError("error: bad token")\nsrc/log.py:3:ERROR = 40',
        None,
    ),
    (
        "cat-log",
        "cat logs/worker.log",
        "09:00:01 INFO start\nError: connection refused\nTraceback (most recent call last):\n"
        '  File "worker.py", line 3\nConnectionError: boom',
        None,
    ),
    (
        "cat-docs",
        "cd docs && cat troubleshooting.md",
        "## Errors\n\nError: ECONNREFUSED means the database is down.\nFATAL: role does not exist",
        None,
    ),
    ("zero-errors", "npx tsc --noEmit", "Found 0 errors. Watching for file changes.", None),
    (
        "passing-error-test",
        "pytest -q -v tests/test_errors.py",
        "tests/test_errors.py::test_error_handling PASSED\n============ 3 passed in 0.20s ============",
        None,
    ),
    ("grep-no-hit", "grep -rn 'psycopg.connect' src/", "", 1),
    ("grep-hides-a-pass", "pytest -q 2>&1 | grep -E 'FAILED|ERROR'", "", 1),
    ("git-show", "git show HEAD --stat", "commit 4e1b7c2\n    Fix: FAILED login retries\n", 0),
]


def _session(name: str, index: int) -> Session:
    # a day each, so that every format's file name (its start and name) is the session's own
    return Session(name, repo="shop", start=f"2026-09-{index + 1:02d}T09:00:00Z")


def silent_failure(name: str, command: str, output: str, index: int) -> Session:
    s = _session(name, index)
    s.prompt("seed the local database please")
    s.shell(command, output, status=False)
    s.say(CLAIM)
    return s


def failed_command(name: str, command: str, output: str, exit_code: int, index: int) -> Session:
    s = _session(name, index)
    s.prompt("bring up the database for the orders tests")
    s.shell(command, output, exit_code=exit_code)
    s.say(CLAIM)
    return s


def no_failure(name: str, command: str, output: str, exit_code: int | None, index: int) -> Session:
    s = _session(name, index)
    s.prompt("where do we handle database errors?")
    if exit_code is None:
        s.shell(command, output, status=False)
    else:
        s.shell(command, output, exit_code=exit_code)
    s.say(CLAIM)
    return s


ORDERS_FAIL = (
    "FAILED tests/test_orders.py::test_total - assert 20 == 10\n"
    "========================= 1 failed, 3 passed in 0.30s ========================="
)
ORDERS_PASS = "========================= 4 passed in 0.28s ========================="
LATER_CLAIM = "The total doubles because order_total() adds the shipping line twice."


def claim_after_a_prompt(index: int) -> Session:
    """The agent reads code after the failure, the user asks, the agent names the cause."""
    s = _session("after-prompt", index)
    s.prompt("test_total fails, can you look?")
    s.shell("pytest tests/test_orders.py -q", ORDERS_FAIL, exit_code=1)
    s.say("Let me read the orders module.")
    s.shell("cat src/orders.py", "def order_total(order):\n    return sum(line.amount for line in order.lines)\n")
    s.say("I see how the total is summed.")
    s.prompt("any idea?")
    s.say(LATER_CLAIM)
    return s


def claim_after_the_check_passed(index: int) -> Session:
    """The same failure, fixed and passing; after the next prompt nothing is open."""
    s = _session("after-pass", index)
    s.prompt("test_total fails, can you look?")
    s.shell("pytest tests/test_orders.py -q", ORDERS_FAIL, exit_code=1)
    s.edit("src/orders.py", "lines + [order.shipping]", "lines")
    s.shell("pytest tests/test_orders.py -q", ORDERS_PASS)
    s.prompt("nice, and how does the total work?")
    s.say(LATER_CLAIM)
    return s


def claim_after_a_go_ahead(index: int) -> Session:
    s = _session("after-go-ahead", index)
    s.prompt("test_total fails, can you look?")
    s.shell("pytest tests/test_orders.py -q", ORDERS_FAIL, exit_code=1)
    s.say("I'll read the orders module next, if that's fine.")
    s.shell("ls src", "orders.py\nshipping.py\n")
    s.prompt("yes go ahead")
    s.say(LATER_CLAIM)
    return s


def claim_after_new_work(index: int) -> Session:
    """The check never ran again, but the person asked for other work."""
    s = _session("after-new-work", index)
    s.prompt("test_total fails, can you look?")
    s.shell("pytest tests/test_orders.py -q", ORDERS_FAIL, exit_code=1)
    s.say("Let me read the orders module.")
    s.shell("cat src/orders.py", "def order_total(order):\n    return sum(line.amount for line in order.lines)\n")
    s.prompt("leave that for now, add a docstring to order_total")
    s.say(LATER_CLAIM)
    return s


def claim_three_prompts_later(index: int) -> Session:
    """The check never ran again, and three follow-ups have passed: more than a window reaches."""
    s = _session("three-prompts", index)
    s.prompt("test_total fails, can you look?")
    s.shell("pytest tests/test_orders.py -q", ORDERS_FAIL, exit_code=1)
    s.say("Let me read the orders module.")
    s.shell("cat src/orders.py", "def order_total(order):\n    return sum(line.amount for line in order.lines)\n")
    for prompt in ("any idea?", "hmm, why?", "what's going on?"):
        s.prompt(prompt)
        s.say("Still reading.")
    s.say(LATER_CLAIM)
    return s


Story = Callable[[int], Session]
STORIES: list[tuple[str, Story, str | None]] = (
    [(name, lambda i, a=(name, c, o): silent_failure(*a, i), CLAIM) for name, c, o in SILENT_FAILURES]
    + [(name, lambda i, a=(name, c, o, e): failed_command(*a, i), CLAIM) for name, c, o, e in FAILED_COMMANDS]
    + [(name, lambda i, a=(name, c, o, e): no_failure(*a, i), None) for name, c, o, e in NO_FAILURE]
    + [
        ("after-prompt", claim_after_a_prompt, LATER_CLAIM),
        ("after-go-ahead", claim_after_a_go_ahead, LATER_CLAIM),
        ("after-new-work", claim_after_new_work, None),
        ("after-pass", claim_after_the_check_passed, None),
        ("three-prompts", claim_three_prompts_later, None),
    ]
)


@pytest.fixture(scope="module")
def claims(tmp_path_factory) -> dict[tuple[str, str], list[str]]:
    root = tmp_path_factory.mktemp("windows")
    files: dict[str, tuple[str, str]] = {}
    for index, (name, story, _claim) in enumerate(STORIES):
        for fmt in ALL_FORMATS:
            files[str(write_any(root / "logs", story(index), fmt))] = (name, fmt)
    with open_store(root / "audit.duckdb") as con:
        ingest_paths(con, [root / "logs"], user_name="dev")
        rows = con.execute("SELECT source_path, text FROM fact_explanations ORDER BY source_path, ord").fetchall()
    found: dict[tuple[str, str], list[str]] = {}
    for path, text in rows:
        found.setdefault(files[str(path)], []).append(text)
    return found


@pytest.mark.parametrize("fmt", ALL_FORMATS)
@pytest.mark.parametrize(("name", "claim"), [(name, claim) for name, _story, claim in STORIES])
def test_a_claim_is_an_explanation_exactly_inside_a_failure_window(claims, fmt, name, claim):
    assert claims.get((name, fmt), []) == ([claim] if claim else [])


# --------------------------------------------------------------------------- Aider's own checks


def _aider_history(lines: list[str]) -> str:
    """Aider ends its own output lines and the user's input with two spaces."""
    return "".join(line + ("  \n" if line.startswith(("> ", "####")) or line == ">" else "\n") for line in lines)


AIDER_BANNER = [
    "",
    "# aider chat started at 2025-08-05 19:33:02",
    "",
    "> Aider v0.86.1",
    "> Main model: claude-3-5-sonnet-20241022 with diff edit format",
    "> Git working dir: /home/dev/shop",
    "",
    "#### use GitTemporaryDirectory in the subtree test",
    "",
    "tests/basic/test_repomap.py",
    "```python",
    "<<<<<<< SEARCH",
    "        with IgnorantTemporaryDirectory() as temp_dir:",
    "=======",
    "        with GitTemporaryDirectory() as temp_dir:",
    ">>>>>>> REPLACE",
    "```",
    "",
    "> Tokens: 9.1k sent, 120 received. Cost: $0.03 message, $0.03 session.",
    "> Applied edit to tests/basic/test_repomap.py",
]
AIDER_LINT = [
    "> # Fix any errors below, if possible.",
    ">",
    "> ## Running: /usr/bin/python -m flake8 --select=E9,F821,F823,F831,F406,F407,F701,F702,F704,F706 "
    "--show-source --isolated tests/basic/test_repomap.py",
    ">",
    "> tests/basic/test_repomap.py:312:14: F821 undefined name 'GitTemporaryDirectory'",
    "> with GitTemporaryDirectory() as temp_dir:",
    "> ^",
    ">",
    "> ## See relevant line below marked with █.",
    ">",
    "> tests/basic/test_repomap.py:",
    "> 312█        with GitTemporaryDirectory() as temp_dir:",
    ">",
    "> Attempt to fix lint errors? y",
    "",
    "The lint fails because `GitTemporaryDirectory` is never imported in this test module.",
    "",
    "> Tokens: 10k sent, 90 received. Cost: $0.03 message, $0.06 session.",
]
AIDER_TEST = [
    "> Added 42 lines of output to the chat.",
    "> Attempt to fix test errors? y",
    "",
    "The test fails because the temporary directory is not a git repository, so GitRepo raises.",
    "",
    "> Tokens: 10k sent, 90 received. Cost: $0.03 message, $0.06 session.",
]
AIDER_CLEAN = [
    "",
    "The edit is applied because the test now uses the git-aware temporary directory.",
    "",
    "> Tokens: 10k sent, 90 received. Cost: $0.03 message, $0.06 session.",
]


@pytest.mark.parametrize(
    ("after", "expected", "failed_call"),
    [
        (AIDER_LINT, ["The lint fails because `GitTemporaryDirectory` is never imported in this test module."], "lint"),
        (
            AIDER_TEST,
            ["The test fails because the temporary directory is not a git repository, so GitRepo raises."],
            "test",
        ),
        (AIDER_CLEAN, [], None),
    ],
    ids=["lint", "test", "no-check-failed"],
)
def test_aider_asking_to_fix_lint_or_test_errors_means_they_failed(tmp_path: Path, after, expected, failed_call):
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / ".aider.chat.history.md").write_text(_aider_history(AIDER_BANNER + after), encoding="utf-8")
    with open_store(tmp_path / "audit.duckdb") as con:
        ingest_paths(con, [folder], user_name="dev")
        claims = [text for (text,) in con.execute("SELECT text FROM fact_explanations ORDER BY ord").fetchall()]
        calls = con.execute(
            "SELECT c.name, c.command, r.is_error, r.text FROM tool_calls c JOIN tool_results r USING (session_id, call_id)"
            " WHERE c.name IN ('lint', 'test')"
        ).fetchall()
    assert claims == expected
    if failed_call is None:
        assert calls == []
        return
    [(name, command, is_error, output)] = calls
    assert (name, is_error) == (failed_call, True)
    if failed_call == "lint":  # the lint command aider named, and its errors as the output
        assert command.startswith("/usr/bin/python -m flake8 --select=E9")
        assert "F821 undefined name 'GitTemporaryDirectory'" in output
    else:  # the test command is aider's setting: the history does not show it
        assert command is None


# --------------------------------------------------------------------------- the pieces


@pytest.mark.parametrize(
    ("command", "shows"),
    [
        ("cat logs/app.log", True),
        ("cd src && grep -rn error . | head -20", True),
        ("docker compose logs api --tail 50", True),
        ("git log --oneline -5", True),
        ("python scripts/migrate.py 2>&1 | tail -20", False),
        ("docker compose up -d", False),
        ("echo hello", False),  # only a print: nothing shown, nothing to judge either way
        ("cat > notes.txt <<'EOF'\nhi\nEOF\nnode build.js", False),
    ],
)
def test_a_command_that_only_shows_text(command, shows):
    assert only_shows_text(command) is shows


@pytest.mark.parametrize(
    ("command", "exit_code", "no_match"),
    [
        ("grep -rn TODO src/", 1, True),
        ("cat app.log | grep -c ERROR", 1, True),
        ("diff -u expected.txt actual.txt", 1, True),
        ("grep -rn TODO src/", 2, False),
        ("pytest -q", 1, False),
        ("grep -q ok status.txt && ./deploy.sh", 1, False),
    ],
)
def test_a_status_that_only_means_nothing_was_found(command, exit_code, no_match):
    assert status_means_no_match(command, exit_code) is no_match


def test_text_a_command_shows_fails_only_on_a_runners_summary():
    log = "09:00 INFO start\nError: connection refused\nTraceback (most recent call last):\nValueError: boom"
    assert is_failure(log) is True  # as a run's own output
    assert is_failure(log, markers=False) is False  # as a log printed with cat
    assert is_failure("tests ok\n==== 1 failed, 3 passed in 0.30s ====", markers=False) is True
