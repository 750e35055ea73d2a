"""Timeout spirals end to end: sessions written as Claude Code and Codex write them, ingested
into a real DuckDB file, found (or rightly not found) by the audit queries.

Each story is rendered in both formats and must give the same verdict: the three outcomes
of a spiral, and the waits that are not spirals (a measured single raise, a first timeout,
a shorter poll interval, a sleep replaced by a condition wait, unrelated waits, raises with
no failure in between, waits only talked about).
"""

from __future__ import annotations

import pytest

import queries
from tests.agent_transcripts import FORMATS, Session
from tests.audits.stories import ingest_stories, spirals_of

GO_FAIL = (
    "=== RUN   TestLeaderElection\n    leader_test.go:23: Timed out after {s}s.\n"
    "    expected exactly one replica to hold the lease\n--- FAIL: TestLeaderElection ({s}.41s)\n"
    "FAIL\nFAIL\tgithub.com/acme/shop/test/e2e\t{s}.9s\nFAIL"
)
GO_PASS = (
    "=== RUN   TestLeaderElection\n--- PASS: TestLeaderElection (3.20s)\nPASS\n"
    "ok  \tgithub.com/acme/shop/test/e2e\t4.1s"
)
PY_FAIL = (
    "FAILED tests/test_checkout.py::test_order_confirmation - AssertionError: order not confirmed\n"
    "=================== 1 failed, 11 passed in 4.18s ==================="
)
PY_PASS = "=================== 12 passed in 6.02s ==================="
E2E_FAIL = "FAIL: worker did not become healthy within the timeout\nmake: *** [e2e] Error 1"
EVENTUALLY = '\t}}, {d}, 250*time.Millisecond).Should(BeTrue(), "expected exactly one replica to hold the lease")'


def go_duration(seconds: int) -> str:
    return f"{seconds // 60}*time.Minute" if seconds >= 120 and seconds % 60 == 0 else f"{seconds}*time.Second"


def eventually(seconds: int) -> str:
    return EVENTUALLY.format(d=go_duration(seconds))


# ---------------------------------------------------------------------------- spirals


def spiral_fixed_by_logic() -> Session:
    """The Eventually timeout of an e2e test raised 5 → 10 → 30 → 120 s; a locking fix makes it pass."""
    s = Session("fixed-by-logic", branch="feature/leader", start="2026-10-13T08:05:00Z")
    command = "go test ./test/e2e -run TestLeaderElection -v -count=1"
    s.prompt("Run the leader election e2e test and get it green.")
    values = [5, 10, 30, 120]
    for index, value in enumerate(values):
        s.shell(command, GO_FAIL.format(s=value), exit_code=1, seconds=value + 4)
        if index + 1 < len(values):
            s.say(f"Still failing at {value}s. I'll raise the Eventually timeout to {values[index + 1]}s.")
            s.edit("test/e2e/leader_test.go", eventually(value), eventually(values[index + 1]))
    s.say(
        "Waiting longer does not help: both replicas believe they hold the lease. The renew loop races "
        "with the reconciler, so I'll guard the elector with a mutex."
    )
    signature = "func (e *LeaseElector) TryAcquireOrRenew(ctx context.Context) error {\n"
    s.edit("controllers/leader.go", signature, signature + "\te.mu.Lock()\n\tdefer e.mu.Unlock()\n")
    s.shell(command, GO_PASS, seconds=6)
    s.say("Green: the race is fixed.")
    return s


def spiral_masked() -> Session:
    """A fixed sleep in a test fixture raised 1 → 2 → 5 → 10 s until the flaky test passes."""
    s = Session("masked", branch="feature/checkout", start="2026-10-14T10:00:00Z")
    command = "uv run pytest tests/test_checkout.py -q"
    s.prompt("tests/test_checkout.py fails on CI, please fix it.")
    values = [1, 2, 5, 10]
    for index, value in enumerate(values[:-1]):
        s.shell(command, PY_FAIL, exit_code=1, seconds=5)
        s.say(f"The order is probably not confirmed yet when we check. Waiting {values[index + 1]}s instead.")
        s.edit("tests/conftest.py", f"    time.sleep({value})", f"    time.sleep({values[index + 1]})")
    s.shell(command, PY_PASS, seconds=16)
    s.say("Passing now.")
    return s


def spiral_unresolved() -> Session:
    """kubectl wait --timeout raised 60 → 120 → 300 → 600 s; the pods never become ready."""
    s = Session("unresolved", repo="infra", start="2026-10-08T09:40:00Z")
    s.prompt("The pgbouncer rollout in staging never becomes ready. Can you check?")
    for index, value in enumerate([60, 120, 300, 600]):
        s.shell(
            f"kubectl -n staging wait --for=condition=Ready pod -l app=pgbouncer --timeout={value}s",
            "error: timed out waiting for the condition on pods/pgbouncer-5c9d7b8f6-hx2lq",
            exit_code=1,
            seconds=value,
        )
        if index < 3:
            s.say("Still not ready, the image pull may be slow. Waiting longer.")
    s.say("The pods never become ready; I need your help to look at the node.")
    return s


def spiral_masked_command() -> Session:
    """go test -timeout raised 30s → 1m → 2m → 5m on the command line until the suite passes."""
    s = Session("masked-command", branch="feature/import", start="2026-10-15T14:00:00Z")
    s.prompt("The import package tests time out, make them pass.")
    runs = [
        ("30s", "panic: test timed out after 30s", 2),
        ("1m", "panic: test timed out after 1m0s", 2),
        ("2m", "panic: test timed out after 2m0s", 2),
        ("5m", "ok  \tgithub.com/acme/shop/importer\t171.2s", 0),
    ]
    for value, output, code in runs:
        s.shell(
            f"go test ./importer/... -timeout {value}", output + ("\nFAIL" if code else ""), exit_code=code, seconds=30
        )
        if code:
            s.say("It needs more time; raising the test timeout.")
    return s


def spiral_with_changing_context() -> Session:
    """The first raise edits the whole Eventually call, the next ones only its last line: one site."""
    s = Session("changing-context", branch="feature/leader", start="2026-10-16T08:00:00Z")
    command = "go test ./test/e2e -run TestLeaderElection -count=1"
    opener = "\tg.Eventually(func() bool {\n\t\treturn len(holders(ctx, t, c)) == 1\n"
    s.prompt("Make the leader election e2e test pass.")
    s.shell(command, GO_FAIL.format(s=5), exit_code=1, seconds=9)
    s.edit("test/e2e/leader_test.go", opener + eventually(5), opener + eventually(20))
    for value, next_value in [(20, 60), (60, 180)]:
        s.shell(command, GO_FAIL.format(s=value), exit_code=1, seconds=value + 4)
        s.edit("test/e2e/leader_test.go", eventually(value), eventually(next_value))
    s.shell(command, GO_FAIL.format(s=180), exit_code=1, seconds=184)
    return s


def spiral_with_changing_flags() -> Session:
    """jest --testTimeout raised 5 → 15 → 30 → 60 s while other flags come and go; a logic fix passes."""
    s = Session("changing-flags", branch="feature/cart", start="2026-10-17T08:00:00Z")
    fail = (
        'FAIL src/cart.test.ts\n  ● cart › totals\n    thrown: "Exceeded timeout of {ms} ms for a test."\n'
        "Tests:       1 failed, 9 passed, 10 total"
    )
    s.prompt("src/cart.test.ts times out, please fix.")
    for ms, extra in [(5000, ""), (15000, " --runInBand"), (30000, " --runInBand --verbose"), (60000, " --verbose")]:
        s.shell(
            f"npx jest src/cart.test.ts --testTimeout={ms}{extra}", fail.format(ms=ms), exit_code=1, seconds=ms / 1000
        )
    s.say("Raising the timeout does not help: the totals promise never resolves because the mock is never awaited.")
    s.edit("src/cart.ts", "  const totals = computeTotals(cart)\n", "  const totals = await computeTotals(cart)\n")
    s.shell("npx jest src/cart.test.ts", "PASS src/cart.test.ts\nTests:       10 passed, 10 total", seconds=3)
    return s


def spiral_by_sed() -> Session:
    """A config timeout bumped with sed 30 → 60 → 120 → 300 s while the e2e check keeps failing."""
    s = Session("sed", repo="infra", start="2026-10-18T08:00:00Z")
    s.prompt("make e2e fails on the worker health check.")
    for old, new in [(30, 60), (60, 120), (120, 300)]:
        s.shell("make e2e", E2E_FAIL, exit_code=2, seconds=old)
        s.shell(f"sed -i 's/health_timeout: {old}s/health_timeout: {new}s/' deploy/worker.yaml", "")
    s.shell("make e2e", E2E_FAIL, exit_code=2, seconds=300)
    return s


def spiral_in_a_retry_loop() -> Session:
    """A polling loop's sleep raised 2 → 5 → 10 → 20 s: one spiral, counted on the loop's whole budget."""
    s = Session("retry-loop", repo="infra", start="2026-10-19T08:00:00Z")
    s.prompt("Wait for the API to come up after the deploy and check its health.")
    for pause in (2, 5, 10, 20):
        s.shell(
            f"for i in $(seq 1 30); do curl -sf localhost:8080/health && exit 0; sleep {pause}; done; exit 1",
            "curl: (7) Failed to connect to localhost port 8080: Connection refused",
            exit_code=1,
            seconds=30 * pause,
        )
        s.say("The API is still not up. Polling less often for longer.")
    return s


SPIRALS = {
    "fixed-by-logic": (spiral_fixed_by_logic, [5, 10, 30, 120], 3, "fixed_by_logic"),
    "masked": (spiral_masked, [1, 2, 5, 10], 3, "masked"),
    "unresolved": (spiral_unresolved, [60, 120, 300, 600], 3, "unresolved"),
    "masked-command": (spiral_masked_command, [30, 60, 120, 300], 3, "masked"),
    "changing-context": (spiral_with_changing_context, [5, 20, 60, 180], 3, "unresolved"),
    "changing-flags": (spiral_with_changing_flags, [5, 15, 30, 60], 3, "fixed_by_logic"),
    "sed": (spiral_by_sed, [30, 60, 120, 300], 3, "unresolved"),
    "retry-loop": (spiral_in_a_retry_loop, [60, 150, 300, 600], 3, "unresolved"),
}


# ---------------------------------------------------------------------------- not spirals


def measured_single_raise() -> Session:
    """The suite took 312 s against a 300 s limit: one raise, justified by the measurement."""
    s = Session("measured", start="2026-11-11T09:15:00Z")
    s.prompt("CI's unit tests died with 'panic: test timed out after 5m0s'. Hang or slow suite?")
    s.shell(
        "make test",
        "panic: test timed out after 5m0s\nFAIL\tgithub.com/acme/shop/controllers\t300.031s\n"
        "make: *** [Makefile:13: test] Error 1",
        exit_code=2,
        seconds=305,
    )
    s.shell("go test ./... -count=1 -timeout 0", "ok  \tgithub.com/acme/shop/controllers\t312.418s", seconds=315)
    s.say("Nothing hangs: controllers took 312 s against the 300 s limit. Raising -timeout to 10m.")
    s.edit(
        "Makefile",
        "\tgo test ./... -coverprofile cover.out -timeout 300s",
        "\tgo test ./... -coverprofile cover.out -timeout 10m",
    )
    s.shell("make test", "ok  \tgithub.com/acme/shop/controllers\t309.874s", seconds=312)
    return s


def first_timeouts() -> Session:
    """Timeouts set for the first time at three call sites after hangs: additions, not raises."""
    s = Session("first-timeouts", start="2026-10-20T11:00:00Z")
    s.prompt("The sync job hangs forever when the partner API is down.")
    for name in ("orders", "stock", "prices"):
        s.shell("uv run pytest tests/test_sync.py -q", PY_FAIL.replace("checkout", "sync"), exit_code=1, seconds=40)
        s.say(f"The {name} client has no timeout, so a dead API hangs the job. Adding a 10 s timeout.")
        s.edit(
            f"app/sync/{name}.py", "    response = requests.get(url)", "    response = requests.get(url, timeout=10)"
        )
    s.shell("uv run pytest tests/test_sync.py -q", PY_PASS, seconds=7)
    return s


def shorter_poll() -> Session:
    """The requeue interval cut 30 → 10 → 5 → 2 s across failing runs: shorter is not a spiral."""
    s = Session("shorter-poll", start="2026-10-05T08:41:00Z")
    s.prompt("Ready shows up late in kubectl get pg. Make it snappier.")
    values = [30, 10, 5, 2]
    for index, value in enumerate(values[:-1]):
        s.shell(
            "go test ./controllers -run TestReadyLatency -count=1",
            "--- FAIL: TestReadyLatency (12.00s)\n    ready_test.go:40: ready after 31s\nFAIL",
            exit_code=1,
        )
        s.say(f"Polling every {values[index + 1]}s instead.")
        s.edit(
            "controllers/cluster_controller.go",
            f"\treturn ctrl.Result{{RequeueAfter: {value} * time.Second}}, nil",
            f"\treturn ctrl.Result{{RequeueAfter: {values[index + 1]} * time.Second}}, nil",
        )
    s.shell("go test ./controllers -run TestReadyLatency -count=1", "ok  \tgithub.com/acme/shop/controllers\t8.1s")
    return s


def sleep_to_condition() -> Session:
    """A fixed sleep replaced by kubectl wait on the Ready condition: a removal, then a first timeout."""
    s = Session("sleep-to-condition", start="2026-11-11T15:00:00Z")
    s.prompt("hack/e2e-setup.sh flakes because the controller is not up after the fixed sleep.")
    s.shell("./hack/e2e-setup.sh", 'error: the server doesn\'t have a resource type "postgresclusters"', exit_code=1)
    s.edit(
        "hack/e2e-setup.sh",
        "# give the controller a moment\nsleep 5",
        "# wait for the controller instead of sleeping\n"
        "kubectl -n system wait --for=condition=Ready pod -l control-plane=manager --timeout=120s",
    )
    s.shell("bash -n hack/e2e-setup.sh && ./hack/e2e-setup.sh", "pod/manager-7c9f8d6b4-lq2zt condition met", seconds=14)
    return s


def unrelated_waits() -> Session:
    """Three different waits, each raised once after a failure: not one site escalating."""
    s = Session("unrelated", start="2026-11-02T10:00:00Z")
    s.prompt("Several things are flaky in the deploy script and the tests, please go through them.")
    for path, old, new in [
        ("scripts/deploy.sh", "sleep 1", "sleep 2"),
        ("config/worker.yaml", "timeout: 30", "timeout: 120"),
        ("tests/conftest.py", "    time.sleep(1)", "    time.sleep(5)"),
    ]:
        s.shell(
            "make check",
            "FAILED tests/test_deploy.py::test_roundtrip - TimeoutError\n1 failed, 40 passed in 12.0s",
            exit_code=2,
        )
        s.edit(path, old, new)
    s.shell("make check", "41 passed in 11.2s")
    return s


def raises_without_failures() -> Session:
    """A timeout raised 5 → 20 → 60 → 300 s without any check failing in between: tuning, not a spiral."""
    s = Session("no-failures", start="2026-11-03T10:00:00Z")
    s.prompt("Make the retry settings of the uploader more generous, we upload big files now.")
    for old, new in [(5, 20), (20, 60), (60, 300)]:
        s.edit("config/uploader.yaml", f"timeout: {old}", f"timeout: {new}")
    s.shell("uv run pytest tests/test_uploader.py -q", PY_PASS)
    return s


def prose_only() -> Session:
    """The agent keeps saying it will wait longer, but never changes a wait: prose corroborates only."""
    s = Session("prose-only", start="2026-11-04T10:00:00Z")
    s.prompt("The integration test fails, fix it.")
    for value in ("30 seconds", "2 minutes", "5 minutes", "10 minutes"):
        s.shell("uv run pytest tests/test_integration.py -q", PY_FAIL, exit_code=1)
        s.say(f"I'll increase the timeout to {value} and try again.")
    return s


NOT_SPIRALS = {
    "measured": measured_single_raise,
    "first-timeouts": first_timeouts,
    "shorter-poll": shorter_poll,
    "sleep-to-condition": sleep_to_condition,
    "unrelated": unrelated_waits,
    "no-failures": raises_without_failures,
    "prose-only": prose_only,
}


# ---------------------------------------------------------------------------- fixture


@pytest.fixture(scope="module")
def audit_db(tmp_path_factory):
    """Every story in both formats, ingested once into one database."""
    stories = [(n, spec[0]) for n, spec in SPIRALS.items()] + list(NOT_SPIRALS.items())
    con, ids = ingest_stories(tmp_path_factory.mktemp("spirals"), stories)
    yield con, ids
    con.close()


# ---------------------------------------------------------------------------- tests


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", SPIRALS)
def test_spiral_is_found_with_its_staircase_and_outcome(audit_db, name, fmt):
    con, ids = audit_db
    _builder, values, escalations, outcome = SPIRALS[name]
    found = spirals_of(con, ids[(name, fmt)])
    assert len(found) == 1, found
    spiral = found.iloc[0]
    assert list(spiral.values_s) == values
    assert spiral.escalations == escalations
    assert spiral.ratio == pytest.approx(values[-1] / values[0])
    assert spiral.outcome == outcome
    assert spiral.agent == fmt
    assert spiral.wait_added_s == pytest.approx(values[-1] - values[0])
    assert spiral.start_ts < spiral.end_ts


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", NOT_SPIRALS)
def test_not_a_spiral(audit_db, name, fmt):
    con, ids = audit_db
    assert spirals_of(con, ids[(name, fmt)]).empty


@pytest.mark.parametrize("fmt", FORMATS)
def test_staircase_steps_start_at_the_initial_value(audit_db, fmt):
    con, ids = audit_db
    spiral_id = spirals_of(con, ids[("fixed-by-logic", fmt)]).iloc[0].spiral_id
    steps = queries.run(con, "audit_spiral_steps", spiral_id=spiral_id)
    assert list(steps.step) == [0, 1, 2, 3]
    assert list(steps.value_s) == [5, 10, 30, 120]
    assert list(steps.is_escalation) == [False, True, True, True]
    assert steps.ts.is_monotonic_increasing


def test_prose_about_waits_corroborates_a_spiral(audit_db):
    con, ids = audit_db
    assert spirals_of(con, ids[("fixed-by-logic", "claude")]).iloc[0].prose_mentions >= 3


def test_spirals_per_week_add_up(audit_db):
    con, _ids = audit_db
    weekly = queries.run(con, "audit_spirals_by_week")
    assert weekly.spirals.sum() == len(SPIRALS) * len(FORMATS)
    assert (weekly.wasted_s > 0).all()
    assert set(queries.run(con, "audit_spirals_by_week", agent="codex", until="2026-10-13").spirals) == {1}


def test_filters_narrow_the_spirals(audit_db):
    con, _ids = audit_db
    assert len(queries.run(con, "audit_spirals", agent="claude")) == len(SPIRALS)
    assert len(queries.run(con, "audit_spirals", since="2026-10-14", until="2026-10-15")) == 4
    assert queries.run(con, "audit_spirals", user_name="nobody").empty
