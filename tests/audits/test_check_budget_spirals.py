"""The budget of one check is one site whatever syntax carries it.

An agent gives a check more time in whichever way comes to hand: its tool's own budget (a
Claude Code Bash ``timeout``, a Codex ``timeout_ms``), coreutils ``timeout 120`` in front of the
command, the runner's own flag (``pytest --timeout=300``); and a user who switches agents on the
same branch carries the staircase into the other agent's session. Each of these stories is one
spiral with the whole staircase, in Claude Code's and Codex's formats. A wait on another thing
in the same command (a helm install's ``--timeout`` before the tests) stays its own site, and
the look-alikes stay quiet: one raise, raises after the check passes, a raise and then a
lowering, different checks with different budgets, a budget raised once for a suite that grew.
"""

from __future__ import annotations

import pytest

import queries
from ingest.facts.waits import waits_in_command, waits_in_tool_call
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.agent_transcripts import FORMATS, Session, write_session
from tests.audits.stories import ingest_stories, spirals_of

E2E = "uv run pytest tests/e2e -q"
BRANCH = "fix/e2e-budget"
STUCK = "tests/e2e/test_checkout.py::test_order_flow "
E2E_TIMEOUT = (
    "FAILED tests/e2e/test_checkout.py::test_order_flow - Failed: Timeout >{s}.0s\n"
    "=================== 1 failed, 11 passed in {s}.52s ==================="
)
E2E_PASS = "=================== {n} passed in 48.10s ==================="
KILLED = "Terminated\nmake: *** [e2e] Error 124"


def mixed_syntaxes() -> Session:
    """Tool budget 60 s → ``timeout 120`` → ``--timeout=300`` → ``--timeout=600``: the suite passes."""
    s = Session("budget-syntaxes", branch=BRANCH, start="2026-11-16T09:00:00Z")
    s.prompt("tests/e2e hangs on the order flow, please get it green.")
    s.shell(E2E, STUCK, timeout_ms=60_000, timed_out=True)
    s.say("It needs more than a minute. Running it under timeout 120 instead.")
    s.shell(f"timeout 120 {E2E}", STUCK + "\n" + KILLED, exit_code=124, seconds=120)
    s.say("Still killed. Letting pytest-timeout stop the slow test at 300 s.")
    s.shell(f"{E2E} --timeout=300", E2E_TIMEOUT.format(s=300), exit_code=1, seconds=300)
    s.shell(f"{E2E} --timeout=600", E2E_PASS.format(n=12), seconds=420)
    return s


def agent_switch() -> list[tuple[Session, str]]:
    """Codex raises its ``timeout_ms`` 60 → 120 s one day; Claude Code's Bash ``timeout`` goes on
    300 → 600 s the next day on the same branch, and the suite passes."""
    first = Session("budget-codex-day", branch=BRANCH, start="2026-11-17T15:00:00Z")
    first.prompt("tests/e2e times out, please fix.")
    first.shell(E2E, STUCK, timeout_ms=60_000, timed_out=True)
    first.shell(E2E, STUCK, timeout_ms=120_000, timed_out=True)
    first.say("Still not finishing in two minutes; I'll continue tomorrow.")
    second = Session("budget-claude-day", branch=BRANCH, start="2026-11-18T09:00:00Z")
    second.prompt("Continue with the e2e timeouts from yesterday.")
    second.shell(E2E, STUCK, timeout_ms=120_000, timed_out=True)
    second.shell(E2E, STUCK, timeout_ms=300_000, timed_out=True)
    second.shell(E2E, E2E_PASS.format(n=12), timeout_ms=600_000, seconds=410)
    return [(first, "codex"), (second, "claude")]


# ---------------------------------------------------------------------------- look-alikes


def one_raise() -> Session:
    """Killed at 60 s, then passes under ``timeout 120``: one raise, measured."""
    s = Session("budget-one-raise", start="2026-11-19T09:00:00Z")
    s.prompt("Run the e2e suite.")
    s.shell(E2E, STUCK, timeout_ms=60_000, timed_out=True)
    s.shell(f"timeout 120 {E2E}", E2E_PASS.format(n=12), seconds=80)
    return s


def raised_after_passing() -> Session:
    """The check passes at 120 s; the budget is raised twice more while it keeps passing."""
    s = Session("budget-after-pass", start="2026-11-19T11:00:00Z")
    s.prompt("Run the e2e suite a few times, it should be stable.")
    s.shell(E2E, STUCK, timeout_ms=60_000, timed_out=True)
    s.shell(f"timeout 120 {E2E}", E2E_PASS.format(n=12), seconds=80)
    s.shell(f"{E2E} --timeout=300", E2E_PASS.format(n=12), seconds=82)
    s.shell(E2E, E2E_PASS.format(n=12), timeout_ms=600_000, seconds=79)
    return s


def raised_then_lowered() -> Session:
    """60 → 300 s after a failure, then back down to 120 and 60 s while it still fails."""
    s = Session("budget-lowered", start="2026-11-19T13:00:00Z")
    s.prompt("The e2e suite is slow and flaky.")
    s.shell(E2E, STUCK, timeout_ms=60_000, timed_out=True)
    s.shell(f"{E2E} --timeout=300", E2E_TIMEOUT.format(s=300), exit_code=1, seconds=300)
    s.shell(f"timeout 120 {E2E}", STUCK + "\n" + KILLED, exit_code=124, seconds=120)
    s.shell(E2E, STUCK, timeout_ms=60_000, timed_out=True)
    return s


def different_checks() -> Session:
    """Four checks, each with its own budget in its own syntax, all failing: no staircase."""
    s = Session("budget-different-checks", start="2026-11-19T15:00:00Z")
    s.prompt("Everything is red, go through the suites.")
    s.shell("uv run pytest tests/unit -q", STUCK, timeout_ms=60_000, timed_out=True)
    s.shell("timeout 120 go test ./importer/...", "panic: test timed out after 2m0s\nFAIL", exit_code=124, seconds=120)
    s.shell(
        "npx jest src/cart.test.ts --testTimeout=300000",
        'thrown: "Exceeded timeout of 300000 ms for a test."\nTests:       1 failed, 9 passed, 10 total',
        exit_code=1,
    )
    s.shell("cargo test --release", "error[E0308]: mismatched types", exit_code=101, timeout_ms=600_000)
    return s


def suite_grew() -> Session:
    """One raise after a timeout; then more tests are written and the suite passes at each budget."""
    s = Session("budget-suite-grew", start="2026-11-20T09:00:00Z")
    s.prompt("Add e2e tests for the refund flow.")
    s.shell(E2E, STUCK, timeout_ms=60_000, timed_out=True)
    s.shell(E2E, E2E_PASS.format(n=12), timeout_ms=120_000, seconds=90)
    for count in (40, 90):
        s.write(f"tests/e2e/test_refund_{count}.py", "def test_refund():\n    assert refund(order()).ok\n")
        s.shell(f"{E2E} --timeout={count * 5}", E2E_PASS.format(n=count), seconds=count * 2)
    return s


def other_wait_in_the_command() -> Session:
    """A helm install's ``--timeout`` is raised 2 → 5 → 10 → 20 min before the same pytest
    budget each time: the install's staircase, not the tests'."""
    s = Session("budget-helm-and-pytest", repo="infra", start="2026-11-20T13:00:00Z")
    s.prompt("The e2e deploy fails.")
    for minutes in (2, 5, 10, 20):
        s.shell(
            f"helm upgrade --install api ./chart --wait --timeout {minutes}m && {E2E} --timeout=60",
            "Error: UPGRADE FAILED: context deadline exceeded",
            exit_code=1,
            seconds=minutes * 60,
        )
    return s


LOOK_ALIKES = {
    "one-raise": one_raise,
    "after-pass": raised_after_passing,
    "lowered": raised_then_lowered,
    "different-checks": different_checks,
    "suite-grew": suite_grew,
}


@pytest.fixture(scope="module")
def audit_db(tmp_path_factory):
    stories = [("syntaxes", mixed_syntaxes), ("helm", other_wait_in_the_command), *LOOK_ALIKES.items()]
    con, ids = ingest_stories(tmp_path_factory.mktemp("budgets"), stories, folder_per_format=True)
    yield con, ids
    con.close()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_budget_raised_in_three_syntaxes_is_one_staircase(audit_db, fmt):
    con, ids = audit_db
    found = spirals_of(con, ids[("syntaxes", fmt)])
    assert len(found) == 1, found
    spiral = found.iloc[0]
    assert list(spiral.values_s) == [60, 120, 300, 600]
    assert spiral.escalations == 3
    assert spiral.outcome == "masked"
    assert spiral.site == "uv run pytest [Bash timeout]" if fmt == "claude" else spiral.site.endswith("timeout_ms]")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_wait_on_another_program_of_the_command_keeps_its_own_site(audit_db, fmt):
    con, ids = audit_db
    found = spirals_of(con, ids[("helm", fmt)])
    assert len(found) == 1, found
    assert list(found.iloc[0].values_s) == [120, 300, 600, 1200]
    assert found.iloc[0].construct == "helm upgrade --timeout"
    pytest_steps = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE is_raise) FROM audit_wait_steps "
        "WHERE session_id = ? AND construct = 'pytest --timeout'",
        [ids[("helm", fmt)]],
    ).fetchone()
    assert pytest_steps == (4, 0)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", LOOK_ALIKES)
def test_budget_look_alikes_are_no_spiral(audit_db, name, fmt):
    con, ids = audit_db
    assert spirals_of(con, ids[(name, fmt)]).empty


def test_the_look_alikes_do_join_their_syntaxes(audit_db):
    """The look-alikes are quiet because of what they do, not because their steps never meet."""
    con, ids = audit_db
    raises = dict(
        con.execute(
            "SELECT session_id, count(*) FILTER (WHERE is_raise) FROM audit_wait_steps GROUP BY session_id"
        ).fetchall()
    )
    assert raises[ids[("after-pass", "claude")]] == 3
    assert raises[ids[("lowered", "codex")]] == 1
    assert raises[ids[("different-checks", "claude")]] == 0


def test_a_staircase_carried_into_another_agent_is_one_spiral(tmp_path):
    for session, fmt in agent_switch():
        write_session(tmp_path / "logs", session, fmt)
    with open_store(tmp_path / "audit.duckdb") as con:
        ingest_paths(con, [tmp_path / "logs"], user_name="dev")
        found = queries.run(con, "audit_spirals")
        assert len(found) == 1, found
        spiral = found.iloc[0]
        assert list(spiral.values_s) == [60, 120, 300, 600]
        assert spiral.agent == "codex"
        spanned = con.execute("SELECT len(sessions) FROM audit_spirals").fetchone()
        assert spanned == (2,)
        assert spiral.outcome == "masked"


@pytest.mark.parametrize(
    ("command", "site"),
    [
        ("timeout 120 uv run pytest tests/e2e -q", "uv run pytest tests/e2e [check budget]"),
        ("uv run pytest tests/e2e -q --timeout=300", "uv run pytest tests/e2e [check budget]"),
        (
            "cd app && timeout -k 5 10m uv run pytest tests/e2e -q 2>&1 | tail -30",
            "uv run pytest tests/e2e [check budget]",
        ),
        ("go test ./importer/... -timeout 5m", "go test ./importer/... [check budget]"),
    ],
)
def test_a_check_budget_is_keyed_by_the_check_it_bounds(command, site):
    budgets = [fact for fact in waits_in_command(command) if fact.kind == "timeout"]
    assert [fact.site_key for fact in budgets] == [site]


def test_only_the_tightest_budget_of_a_command_is_its_checks_budget():
    facts = waits_in_command("timeout 600 go test ./importer/... -timeout 5m")
    assert {fact.construct: fact.site_key for fact in facts} == {
        "timeout": "timeout <D> go test ./importer/... -timeout <D> [timeout]",
        "go test -timeout": "go test ./importer/... [check budget]",
    }


def test_a_sleep_before_a_probe_is_not_the_probes_budget():
    facts = {fact.construct: fact.site_key for fact in waits_in_command("sleep 5 && curl -sf -m 10 localhost:8080")}
    assert facts["sleep"] == "sleep <D> && curl -sf -m <D> localhost:<D> [sleep]"
    assert facts["curl -m"] == "curl localhost:<D> [check budget]"


def test_a_tool_budget_keeps_its_program_site():
    """The tool's budget is keyed by its program (go build of one more package is the same
    budget); the audit joins it to its check's budget through the command's check."""
    facts = waits_in_tool_call("Bash", {"command": E2E, "timeout": 60000}, E2E)
    assert [fact.site_key for fact in facts] == ["uv run pytest [Bash timeout]"]
