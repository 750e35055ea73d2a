"""Durations and wait facts: notations, shell commands, code edits, patches and prose."""

from __future__ import annotations

import csv
import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.facts.durations import (
    as_timeout,
    duration_from_args,
    parse_duration,
    parse_duration_expr,
)
from ingest.facts.waits import (
    WaitFact,
    mask_command,
    primary_wait,
    waits_in_command,
    waits_in_edit,
    waits_in_patch,
    waits_in_prose,
)
from tests.conftest import REPO, TESTS  # noqa: F401

LABELS = TESTS / "fixtures" / "labels" / "waits.csv"


def _label_rows() -> list[dict]:
    with LABELS.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _notation_value(notation: str) -> tuple[float | None, bool]:
    """(seconds, once) of a labelled notation, read the way the audit meets it.

    A notation is tried as a shell command, then as code newly added to a file, then as a
    bare duration expression. The probe row is written "periodSeconds: 5 with
    failureThreshold: 12" in the labels; in a manifest those are two lines.
    """
    text = notation.replace(" with ", "\n")
    fact = primary_wait(waits_in_command(text)) or primary_wait(waits_in_edit("snippet", None, text))
    if fact is not None:
        return fact.seconds, fact.once
    return parse_duration_expr(text), False


@pytest.mark.parametrize("row", _label_rows(), ids=lambda row: row["notation"][:40])
def test_labelled_notation(row: dict) -> None:
    seconds, once = _notation_value(row["notation"])
    expected = float(row["seconds"])
    if expected == 0:
        assert once and seconds is None
    else:
        assert not once
        assert seconds is not None and math.isclose(seconds, expected, rel_tol=1e-9), seconds


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    "text,bare_unit,seconds",
    [
        ("30", "s", 30),
        ("1.5", "s", 1.5),
        (".5", "s", 0.5),
        ("2m", "s", 120),
        ("1m30s", "s", 90),
        ("1h30m", "s", 5400),
        ("10m0s", "s", 600),
        ("2h45m30.5s", "s", 9930.5),
        ("300s", "s", 300),
        ("500ms", "s", 0.5),
        ("1.5h", "s", 5400),
        ("250us", "s", 0.00025),
        ("5 minutes", "s", 300),
        ("10 seconds", "s", 10),
        ("1 minute and 30 seconds", "s", 90),
        ("1 min 30 sec", "s", 90),
        ("5min", "s", 300),
        ("2d", "s", 172800),
        ("PT1M30S", "s", 90),
        ("PT0.5S", "s", 0.5),
        ("P1DT2H", "s", 93600),
        ('"90s"', "s", 90),
        ("5000", "ms", 5),
        ("10_000", "ms", 10),
        ("5", "ns", 5e-9),
        ("30", "m", 1800),
    ],
)
def test_parse_duration(text: str, bare_unit: str, seconds: float) -> None:
    assert math.isclose(parse_duration(text, bare_unit), seconds, rel_tol=1e-9)


@pytest.mark.parametrize(
    "text", ["", "abc", "5MB", "-1s", "1h-30m", "PT", "P", "30 apples", "1.2.3", "$TIMEOUT", "0x10"]
)
def test_parse_duration_rejects(text: str) -> None:
    assert parse_duration(text) is None


def test_infinity_is_infinite() -> None:
    assert parse_duration("infinity") == math.inf


@pytest.mark.parametrize(
    "expr,bare_unit,seconds",
    [
        ("5*time.Second", "ns", 5),
        ("time.Second * 5", "ns", 5),
        ("time.Duration(20)*time.Second", "ns", 20),
        ("500 * time.Millisecond", "ns", 0.5),
        ("time.Minute + 30*time.Second", "ns", 90),
        ("5", "ns", 5e-9),
        ("time.Second", "ns", 1),
        ("Duration.ofMinutes(2)", "ms", 120),
        ("Duration.ofMillis(1500)", "ms", 1.5),
        ("Duration.of(2, ChronoUnit.MINUTES)", "ms", 120),
        ("TimeUnit.SECONDS.toMillis(5)", "ms", 5),
        ("Duration::from_millis(1500)", "s", 1.5),
        ("std::time::Duration::from_secs(3)", "s", 3),
        ("Duration::from_secs_f64(0.25)", "s", 0.25),
        ("TimeSpan.FromSeconds(15)", "ms", 15),
        ("timedelta(minutes=2, seconds=30)", "s", 150),
        ("datetime.timedelta(seconds=45)", "s", 45),
        ("std::chrono::milliseconds(250)", "s", 0.25),
        ("30.seconds", "ms", 30),
        ("5000L", "ms", 5),
        ("60 * 1000", "ms", 60),
        ("5 * 60", "s", 300),
        ('"90s"', "s", 90),
        ("'2m'", "s", 120),
        ("(1 + 2) * time.Second", "ns", 3),
        ("int(30)", "s", 30),
    ],
)
def test_parse_duration_expr(expr: str, bare_unit: str, seconds: float) -> None:
    assert math.isclose(parse_duration_expr(expr, bare_unit), seconds, rel_tol=1e-9)


@pytest.mark.parametrize(
    "expr",
    [
        "time.Duration(n)*time.Millisecond",
        "timeout",
        "cfg.Timeout * 2",
        "getTimeout()",
        "time.Second * time.Second",
        "1/0",
        "foo(5)",
    ],
)
def test_parse_duration_expr_unknown(expr: str) -> None:
    assert parse_duration_expr(expr, "ns") is None


def test_a_non_unit_bare_unit_accepts_only_explicit_units() -> None:
    assert parse_duration_expr("30", "bare") is None
    assert parse_duration_expr("5 * 60", "bare") is None
    assert parse_duration_expr("30 * time.Second", "bare") == 30
    assert parse_duration_expr('"90s"', "bare") == 90


def test_duration_from_argument_pairs() -> None:
    assert duration_from_args(["30", "SECONDS"]) == 30
    assert duration_from_args(["2", "TimeUnit.MINUTES"]) == 120
    assert duration_from_args(["5000"], "ms") == 5


def test_zero_timeout_is_once_not_a_value() -> None:
    assert as_timeout(0.0) == (None, True)
    assert as_timeout(30.0) == (30.0, False)


# --------------------------------------------------------------------------- commands


def _summary(facts: list[WaitFact]) -> list[tuple[str, float | None, str]]:
    return [(fact.construct, fact.seconds, fact.kind) for fact in facts]


@pytest.mark.parametrize(
    "command,expected",
    [
        ("sleep 1m 30s", [("sleep", 90, "wait")]),
        ("timeout -k 10 5m make test", [("timeout", 300, "timeout")]),
        ("timeout --signal=KILL 2m go test ./...", [("timeout", 120, "timeout")]),
        ("cd /repo && go test ./... -timeout 5m 2>&1 | tail -50", [("go test -timeout", 300, "timeout")]),
        (
            "kubectl -n prod wait --for=condition=available deploy/api --timeout=90s",
            [("kubectl wait --timeout", 90, "timeout")],
        ),
        (
            "kubectl rollout status deploy/x --timeout=10m",
            [("kubectl rollout status --timeout", 600, "timeout")],
        ),
        ("kubectl get pods --request-timeout=30", [("kubectl get pods --request-timeout", 30, "timeout")]),
        (
            "helm upgrade --install x ./chart --wait --timeout 10m0s",
            [("helm upgrade --timeout", 600, "timeout")],
        ),
        ("uv run pytest --timeout=300 tests/", [("pytest --timeout", 300, "timeout")]),
        ("python -m pytest tests -p no:cacheprovider --timeout=60", [("pytest --timeout", 60, "timeout")]),
        ("npx playwright test --timeout=60000", [("playwright test --timeout", 60, "timeout")]),
        ("npm test -- --testTimeout=10000", [("npm test --testTimeout", 10, "timeout")]),
        ("mocha -t 5000 test/", [("mocha -t", 5, "timeout")]),
        ("curl -sf -m 10 http://localhost:8080/healthz", [("curl -m", 10, "timeout")]),
        (
            "curl --retry 5 --retry-delay 2 --connect-timeout 3 http://x",
            [("curl --retry-delay", 2, "poll"), ("curl --connect-timeout", 3, "timeout")],
        ),
        ("kind create cluster --wait 5m", [("kind create cluster --wait", 300, "timeout")]),
        (
            "docker compose up -d --wait --wait-timeout 120",
            [("docker compose up --wait-timeout", 120, "timeout")],
        ),
        ("minikube start --wait-timeout=6m0s", [("minikube start --wait-timeout", 360, "timeout")]),
        ("watch -n 5 kubectl get pods", [("watch -n", 5, "poll")]),
        ("terraform apply -lock-timeout=5m", [("terraform apply -lock-timeout", 300, "timeout")]),
        ("WAIT_TIMEOUT=45 ./scripts/e2e.sh", [("WAIT_TIMEOUT", 45, "timeout")]),
        (
            "helm upgrade x ./c --set livenessProbe.periodSeconds=5",
            [("livenessProbe.periodSeconds", 5, "poll")],
        ),
        (
            "ssh -o ConnectTimeout=10 host 'sleep 5; uptime'",
            [("ConnectTimeout", 10, "timeout"), ("sleep", 5, "wait")],
        ),
        ("docker run --rm alpine sleep 30", [("sleep", 30, "wait")]),
        (
            "kubectl exec pod -- sh -c 'sleep 10 && curl -m 5 http://x'",
            [("sleep", 10, "wait"), ("curl -m", 5, "timeout")],
        ),
        ("python -c 'import time; time.sleep(3)'", [("time.sleep", 3, "wait")]),
        ("sudo -E env FOO=1 nohup sleep 2", [("sleep", 2, "wait")]),
        ("sleep 5 && sleep 10", [("sleep", 5, "wait"), ("sleep", 10, "wait")]),
    ],
)
def test_waits_in_command(command: str, expected: list) -> None:
    assert _summary(waits_in_command(command)) == expected


@pytest.mark.parametrize(
    "command,poll,budget",
    [
        ("for i in $(seq 1 30); do curl -sf localhost:8080 && break; sleep 2; done", 2, 60),
        ("for i in $(seq 30); do kubectl get pod x; sleep 10; done", 10, 300),
        ("for i in {1..20}; do sleep 3; done", 3, 60),
        ("for ((i=0; i<60; i++)); do kubectl get pod x && break; sleep 1; done", 1, 60),
        ("for attempt in 1 2 3 4 5; do make deploy && break; sleep 30; done", 30, 150),
        (
            "i=0; while ! curl -sf http://localhost:8080/healthz; do i=$((i+1)); if [ $i -ge 30 ]; then exit 1; fi; sleep 2; done",
            2,
            60,
        ),
        ("until kubectl get pods | grep Running; do sleep 5; done", 5, None),
        ("timeout 600 bash -c 'until nc -z localhost 5432; do sleep 1; done'", 1, None),
    ],
)
def test_polling_loops(command: str, poll: float, budget: float | None) -> None:
    facts = waits_in_command(command)
    polls = [fact for fact in facts if fact.kind == "poll"]
    budgets = [fact for fact in facts if fact.construct == "retry loop"]
    assert [fact.seconds for fact in polls] == [poll]
    assert [fact.seconds for fact in budgets] == ([budget] if budget else [])
    if budget:
        assert primary_wait(facts).construct == "retry loop"


def test_timeout_wrapping_a_loop_bounds_it() -> None:
    facts = waits_in_command("timeout 600 bash -c 'until nc -z localhost 5432; do sleep 1; done'")
    assert primary_wait(facts).seconds == 600


@pytest.mark.parametrize(
    "command",
    [
        "kubectl wait --for=condition=Ready pod/x --timeout=0",
        "go test -run TestX -count=1 -timeout 0 ./pkg/...",
        "pytest -x --timeout 0",
        "timeout 0 ./run.sh",
    ],
)
def test_zero_timeout_in_a_command_is_once(command: str) -> None:
    (fact,) = waits_in_command(command)
    assert fact.once and fact.seconds is None


def test_sleep_zero_is_a_zero_wait_not_once() -> None:
    (fact,) = waits_in_command("sleep 0")
    assert (fact.seconds, fact.once) == (0, False)


@pytest.mark.parametrize(
    "command",
    [
        "echo sleep 5",
        "echo 'I will let it sleep for a while'",
        "sleep infinity",
        "sleep $DELAY",
        "grep -rn 'timeout' src/",
        "git commit -m 'bump --timeout to 30'",
        "curl http://localhost:8080/api",
        "docker run -p 8080:8080 app",
        "kubectl port-forward svc/api 8080:80",
        "cat <<EOF > x.sh\nsleep 100\nEOF\nbash -n x.sh",
        "helm upgrade x ./chart --wait",
        "pytest --timeout-method=thread",
        "kubectl delete pod x --wait=false",
        "",
    ],
)
def test_not_a_wait_command(command: str) -> None:
    assert waits_in_command(command) == []


def test_command_site_key_is_stable_across_values_and_output_trimming() -> None:
    first = waits_in_command("kubectl wait --for=condition=ready pod/x --timeout=60s 2>&1 | tail -20")
    second = waits_in_command("kubectl wait --for=condition=ready pod/x --timeout=120s | tail -50")
    other = waits_in_command("kubectl wait --for=condition=ready pod/y --timeout=120s")
    assert first[0].site_key == second[0].site_key
    assert first[0].site_key == "kubectl wait pod/x [check budget]"  # the budget of the check it bounds
    assert other[0].site_key != first[0].site_key
    assert (first[0].seconds, second[0].seconds) == (60, 120)


def test_same_construct_twice_in_one_command_gets_ordinal_keys() -> None:
    facts = waits_in_command("sleep 5 && kubectl get pods && sleep 10")
    assert [fact.site_key.rsplit(" ", 1)[-1] for fact in facts] == ["[sleep]", "[sleep#2]"]


def test_mask_command() -> None:
    assert mask_command("go test  ./...   -timeout=1h30m 2>&1 | tail -n 40") == "go test ./... -timeout=<D>"
    assert mask_command("for i in $(seq 1 30); do sleep 2; done") == "for i in $(seq <D> <D>); do sleep <D>; done"


# --------------------------------------------------------------------------- edits


def _edit(path: str, old: str, new: str) -> list[tuple[str, float | None, float | None, str]]:
    return [(fact.construct, fact.old_seconds, fact.seconds, fact.kind) for fact in waits_in_edit(path, old, new)]


@pytest.mark.parametrize(
    "path,old,new,expected",
    [
        (
            "tests/test_x.py",
            "    time.sleep(5)\n    assert ready()",
            "    time.sleep(10)\n    assert ready()",
            [("time.sleep", 5, 10, "wait")],
        ),
        (
            "tests/test_x.py",
            "await asyncio.sleep(0.1)",
            "await asyncio.sleep(2)",
            [("asyncio.sleep", 0.1, 2, "wait")],
        ),
        (
            "tests/test_x.py",
            "TIMEOUT = 30  # seconds\nPOLL_INTERVAL = 0.5\n",
            "TIMEOUT = 120  # seconds\nPOLL_INTERVAL = 0.5\n",
            [("TIMEOUT", 30, 120, "timeout")],
        ),
        (
            "app/client.py",
            "r = requests.get(url, timeout=5)\n",
            "r = requests.get(url, timeout=15)\n",
            [("requests.get(timeout)", 5, 15, "timeout")],
        ),
        (
            "app/client.py",
            "await asyncio.wait_for(conn.ready(), timeout=5)",
            "await asyncio.wait_for(conn.ready(), 20)",
            [("asyncio.wait_for", 5, 20, "timeout")],
        ),
        (
            "app/settings.py",
            "timeout: int = 30\n",
            "timeout: float = 45.0\n",
            [("timeout", 30, 45, "timeout")],
        ),
        (
            "app/x.py",
            "def fetch(url, timeout=10):\n",
            "def fetch(url, timeout=60):\n",
            [("fetch(timeout)", 10, 60, "timeout")],
        ),
        (
            "app/x.py",
            "@pytest.mark.timeout(60)\n",
            "@pytest.mark.timeout(300)\n",
            [("pytest.mark.timeout", 60, 300, "timeout")],
        ),
        (
            "app/x.py",
            "WAIT = timedelta(seconds=5)\n",
            "WAIT = timedelta(minutes=1)\n",
            [("WAIT", 5, 60, "wait")],
        ),
        (
            "e2e/lease_test.go",
            "ctx, cancel := context.WithTimeout(ctx, 30*time.Second)",
            "ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)",
            [("context.WithTimeout", 30, 120, "timeout")],
        ),
        (
            "e2e/lease_test.go",
            "Eventually(func() bool { return ok() }, 60*time.Second, time.Second).Should(BeTrue())",
            "Eventually(func() bool { return ok() }, 600*time.Second, 5*time.Second).Should(BeTrue())",
            [("Eventually", 60, 600, "timeout"), ("Eventually (poll)", 1, 5, "poll")],
        ),
        (
            "e2e/x_test.go",
            "Eventually(get).WithTimeout(time.Minute).Should(Succeed())",
            "Eventually(get).WithTimeout(5*time.Minute).Should(Succeed())",
            [("WithTimeout", 60, 300, "timeout")],
        ),
        (
            "e2e/x_test.go",
            "require.Eventually(t, ready, 10*time.Second, 100*time.Millisecond)",
            "require.Eventually(t, ready, 30*time.Second, 100*time.Millisecond)",
            [("require.Eventually", 10, 30, "timeout")],
        ),
        (
            "pkg/x.go",
            "const pollInterval = 2 * time.Second\n",
            "const pollInterval = 5 * time.Second\n",
            [("pollInterval", 2, 5, "poll")],
        ),
        (
            "pkg/x.go",
            "client := &http.Client{Timeout: 10 * time.Second}",
            "client := &http.Client{Timeout: 30 * time.Second}",
            [("http.Client{Timeout}", 10, 30, "timeout")],
        ),
        ("pkg/x.go", "time.Sleep(5)", "time.Sleep(5 * time.Second)", [("time.Sleep", 5e-9, 5, "wait")]),
        (
            "pkg/w.go",
            "err := wait.PollImmediate(time.Second, 30*time.Second, cond)",
            "err := wait.PollImmediate(time.Second, 5*time.Minute, cond)",
            [("wait.PollImmediate", 30, 300, "timeout")],
        ),
        (
            "web/a.test.ts",
            "jest.setTimeout(5000);",
            "jest.setTimeout(30000);",
            [("jest.setTimeout", 5, 30, "timeout")],
        ),
        (
            "web/a.ts",
            "await new Promise(r => setTimeout(r, 1000));",
            "await new Promise(r => setTimeout(r, 5000));",
            [("setTimeout", 1, 5, "wait")],
        ),
        (
            "web/a.spec.ts",
            "await page.waitForSelector('#x', { timeout: 5000 });",
            "await page.waitForSelector('#x', { timeout: 30000 });",
            [("page.waitForSelector(timeout)", 5, 30, "timeout")],
        ),
        (
            "web/a.test.ts",
            "test('loads', async () => {\n  await load();\n}, 5000);",
            "test('loads', async () => {\n  await load();\n}, 60000);",
            [("test timeout argument", 5, 60, "timeout")],
        ),
        (
            "web/e2e.py",
            "page.click('#go', timeout=5000)",
            "page.click('#go', timeout=20000)",
            [("page.click(timeout)", 5, 20, "timeout")],
        ),
        (
            "src/main/java/X.java",
            "Thread.sleep(1000);",
            "Thread.sleep(TimeUnit.SECONDS.toMillis(5));",
            [("Thread.sleep", 1, 5, "wait")],
        ),
        (
            "src/main/java/X.java",
            "await().atMost(10, SECONDS).until(ready);",
            "await().atMost(Duration.ofSeconds(60)).until(ready);",
            [("atMost", 10, 60, "timeout")],
        ),
        (
            "src/test/java/XTest.java",
            "@Test(timeout = 5000)",
            "@Test(timeout = 20000)",
            [("Test", 5, 20, "timeout")],
        ),
        (
            "src/lib.rs",
            "thread::sleep(Duration::from_millis(100));",
            "thread::sleep(Duration::from_secs(2));",
            [("thread::sleep", 0.1, 2, "wait")],
        ),
        (
            "Foo.cs",
            "await Task.Delay(500);",
            "await Task.Delay(TimeSpan.FromSeconds(3));",
            [("Task.Delay", 0.5, 3, "wait")],
        ),
        (
            ".github/workflows/ci.yml",
            "    timeout-minutes: 10\n",
            "    timeout-minutes: 30\n",
            [("timeout-minutes", 600, 1800, "timeout")],
        ),
        (
            ".github/workflows/ci.yml",
            "      - run: sleep 5\n",
            "      - run: sleep 20\n",
            [("sleep", 5, 20, "wait")],
        ),
        (
            "Makefile",
            "test:\n\tgo test ./... -timeout 5m\n",
            "test:\n\tgo test ./... -timeout 15m\n",
            [("go test -timeout", 300, 900, "timeout")],
        ),
        (".env", "API_TIMEOUT=30\n", "API_TIMEOUT=90\n", [("API_TIMEOUT", 30, 90, "timeout")]),
        (
            "svc.service",
            "TimeoutStartSec=90\n",
            "TimeoutStartSec=5min\n",
            [("TimeoutStartSec", 90, 300, "timeout")],
        ),
        (
            "config.toml",
            '[server]\nread_timeout = "5s"\nport = 8080\n',
            '[server]\nread_timeout = "30s"\nport = 8081\n',
            [("read_timeout", 5, 30, "timeout")],
        ),
        (
            "deploy/job.yaml",
            "spec:\n  activeDeadlineSeconds: 600\n",
            "spec:\n  activeDeadlineSeconds: 1800\n",
            [("activeDeadlineSeconds", 600, 1800, "timeout")],
        ),
        (
            "k8s/pod.yaml",
            '  command: ["sleep", "30"]\n',
            '  command: ["sleep", "60"]\n',
            [("sleep", 30, 60, "wait")],
        ),
        ("Dockerfile", "RUN sleep 5 && make\n", "RUN sleep 15 && make\n", [("sleep", 5, 15, "wait")]),
        ("spec/x_spec.rb", "  sleep 2\n", "  sleep 4\n", [("sleep", 2, 4, "wait")]),
        (
            "jest.config.js",
            "module.exports = { testTimeout: 5000 };",
            "module.exports = { testTimeout: 60000 };",
            [("testTimeout", 5, 60, "timeout")],
        ),
        (
            "package.json",
            '{"jest": {"testTimeout": 5000}}',
            '{"jest": {"testTimeout": 20000}}',
            [("testTimeout", 5, 20, "timeout")],
        ),
        (
            "Dockerfile",
            "HEALTHCHECK --interval=5s --timeout=3s CMD curl -f http://localhost/\n",
            "HEALTHCHECK --interval=5s --timeout=10s CMD curl -f http://localhost/\n",
            [("HEALTHCHECK --timeout", 3, 10, "timeout")],
        ),
    ],
)
def test_waits_in_edit(path: str, old: str, new: str, expected: list) -> None:
    assert _rounded(_edit(path, old, new)) == _rounded(expected)


def _rounded(rows: list) -> list:
    return [tuple(round(value, 12) if isinstance(value, float) else value for value in row) for row in rows]


def test_probe_budget_is_period_times_failure_threshold() -> None:
    old = "livenessProbe:\n  httpGet:\n    path: /healthz\n  periodSeconds: 5\n  failureThreshold: 3\n  timeoutSeconds: 1\n"
    new = "livenessProbe:\n  httpGet:\n    path: /healthz\n  periodSeconds: 10\n  failureThreshold: 6\n  timeoutSeconds: 5\n"
    facts = {fact.construct: (fact.old_seconds, fact.seconds) for fact in waits_in_edit("deploy/app.yaml", old, new)}
    assert facts == {"probe budget": (15, 60), "periodSeconds": (5, 10), "timeoutSeconds": (1, 5)}


def test_retry_loop_budget_in_a_script_edit() -> None:
    old = "for i in $(seq 1 30); do\n  curl -sf localhost:8080 && break\n  sleep 2\ndone\n"
    new = old.replace("seq 1 30", "seq 1 60")
    assert _edit("scripts/wait.sh", old, new) == [("retry loop", 60, 120, "timeout")]


def test_replacing_a_sleep_with_a_condition_wait() -> None:
    facts = waits_in_edit("tests/test_x.py", "    time.sleep(10)\n", "    wait_until(ready, timeout=30)\n")
    removed, added = facts
    assert (removed.construct, removed.old_seconds, removed.seconds) == ("time.sleep", 10, None)
    assert (added.construct, added.old_seconds, added.seconds) == ("wait_until(timeout)", None, 30)
    assert removed.changed and added.changed


def test_new_file_reports_added_waits() -> None:
    facts = waits_in_edit("tests/test_new.py", None, "import time\n\ndef test_a():\n    time.sleep(3)\n")
    assert [(fact.construct, fact.old_seconds, fact.seconds, fact.source) for fact in facts] == [
        ("time.sleep", None, 3, "edit")
    ]


def test_unchanged_waits_are_not_reported() -> None:
    text = "time.sleep(5)\nTIMEOUT = 30\n"
    assert waits_in_edit("a.py", text, text + "x = 1\n") == []


def test_zero_timeout_edit_is_once() -> None:
    (fact,) = waits_in_edit("a.py", "client.get(url, timeout=30)", "client.get(url, timeout=0)")
    assert (fact.old_seconds, fact.seconds, fact.once, fact.old_once) == (30, None, True, False)


@pytest.mark.parametrize(
    "path,steps",
    [
        ("tests/test_lease.py", ["time.sleep(5)", "time.sleep(10)", "time.sleep(20)", "time.sleep(40)"]),
        (
            "e2e/lease_test.go",
            ["time.Sleep(5 * time.Second)", "time.Sleep(10 * time.Second)", "time.Sleep(20 * time.Second)"],
        ),
        (
            "e2e/lease_test.go",
            [
                "Eventually(f, 60*time.Second).Should(Succeed())",
                "Eventually(f, 120*time.Second).Should(Succeed())",
                "Eventually(f, 600*time.Second).Should(Succeed())",
            ],
        ),
        (
            "web/lease.test.js",
            ["jest.setTimeout(5000);", "jest.setTimeout(10000);", "jest.setTimeout(20000);"],
        ),
        (
            "src/test/java/LeaseTest.java",
            ["Thread.sleep(5000);", "Thread.sleep(10000);", "Thread.sleep(20000);"],
        ),
        ("deploy/app.yaml", ["  timeoutSeconds: 5\n", "  timeoutSeconds: 10\n", "  timeoutSeconds: 20\n"]),
    ],
)
def test_site_key_is_stable_across_successive_edits(path: str, steps: list[str]) -> None:
    keys = set()
    values = []
    for old, new in itertools.pairwise(steps):
        (fact,) = [fact for fact in waits_in_edit(path, f"  {old}\n", f"  {new}\n") if fact.kind != "poll"]
        keys.add(fact.site_key)
        values.append((fact.old_seconds, fact.seconds))
    assert len(keys) == 1 and next(iter(keys)).startswith(f"{path}::")
    assert all(after > before for before, after in values)


def test_two_sleeps_in_one_file_get_distinct_keys() -> None:
    old = "def a():\n    time.sleep(1)\n\ndef b():\n    time.sleep(2)\n"
    new = "def a():\n    time.sleep(1)\n\ndef b():\n    time.sleep(8)\n"
    (fact,) = waits_in_edit("t.py", old, new)
    assert (fact.site_key, fact.old_seconds, fact.seconds) == ("t.py::time.sleep#2", 2, 8)


def test_inserting_a_sleep_before_another_does_not_pair_them_wrongly() -> None:
    old = "    connect()\n    time.sleep(5)\n"
    new = "    time.sleep(1)\n    connect()\n    time.sleep(5)\n"
    (fact,) = waits_in_edit("t.py", old, new)
    assert (fact.old_seconds, fact.seconds) == (None, 1)


@pytest.mark.parametrize(
    "path,text",
    [
        ("app/x.py", "timeout_handler = make_handler()\n"),
        ("app/x.py", "def on_timeout(self):\n    self.timeouts += 1\n"),
        ("app/x.py", "if elapsed > timeout:\n    raise TimeoutError\n"),
        ("app/x.py", "except asyncio.TimeoutError:\n    pass\n"),
        ("app/x.py", "self.timeout = timeout\n"),
        ("app/x.py", "port = 8080\nworkers = 4\nmax_retries = 5\n"),
        ("app/x.py", "print('sleep 5 seconds')\n"),
        ("app/x.py", "logger.info('I will let it sleep')\n"),
        ("pkg/x.go", "if err == context.DeadlineExceeded {\n\treturn nil\n}\n"),
        ("web/a.ts", "clearTimeout(handle);\nconst server = app.listen(3000);\n"),
        ("deploy/app.yaml", "ports:\n  - containerPort: 8080\nreplicas: 3\nfailureThreshold: 3\n"),
        ("src/X.java", 'int retryCount = 3;\nString timeoutMessage = "timed out";\n'),
        ("README.md", "Run `sleep infinity` to keep the container alive.\n"),
    ],
)
def test_not_a_wait_in_code(path: str, text: str) -> None:
    assert waits_in_edit(path, None, text) == []


# --------------------------------------------------------------------------- patches


def test_waits_in_patch() -> None:
    patch = (
        "*** Begin Patch\n"
        "*** Update File: tests/test_lease.py\n"
        "@@ def test_lease_renewal():\n"
        "     start_cluster()\n"
        "-    time.sleep(5)\n"
        "+    time.sleep(30)\n"
        "     assert leader() is not None\n"
        "*** Update File: deploy/app.yaml\n"
        "@@\n"
        "-  timeoutSeconds: 5\n"
        "+  timeoutSeconds: 60\n"
        "*** Add File: scripts/wait.sh\n"
        "+#!/bin/sh\n"
        "+sleep 15\n"
        "*** End Patch\n"
    )
    facts = waits_in_patch(patch)
    assert [(fact.site_key, fact.old_seconds, fact.seconds) for fact in facts] == [
        ("tests/test_lease.py::time.sleep", 5, 30),
        ("deploy/app.yaml::timeoutSeconds", 5, 60),
        ("scripts/wait.sh::sleep", None, 15),
    ]


def test_waits_in_patch_uses_the_new_path_of_a_moved_file() -> None:
    patch = (
        "*** Begin Patch\n*** Update File: a.py\n*** Move to: b.py\n@@\n-time.sleep(1)\n+time.sleep(2)\n*** End Patch"
    )
    assert [fact.site_key for fact in waits_in_patch(patch)] == ["b.py::time.sleep"]


# --------------------------------------------------------------------------- prose


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Let me increase the wait from 5 seconds to 10 seconds.", [("wait", 5, 10)]),
        ("I'll bump the timeout to 2 minutes.", [("timeout", None, 120)]),
        ("Raising the timeout from 30s to 60s should give the pods enough time.", [("timeout", 30, 60)]),
        ("Let me wait 30 seconds for the pods to come up.", [("wait", None, 30)]),
        ("I'll add a five second sleep before the check.", [("sleep", None, 5)]),
        ("Let me double the poll interval to 2 seconds.", [("poll interval", None, 2)]),
        ("Timeout: 5m → 10m.", [("timeout", 300, 600)]),
    ],
)
def test_waits_in_prose(text: str, expected: list) -> None:
    facts = waits_in_prose(text)
    assert [(fact.construct, fact.old_seconds, fact.seconds) for fact in facts] == expected
    assert all(fact.source == "prose" and fact.site_key == f"prose::{fact.construct}" for fact in facts)


@pytest.mark.parametrize(
    "text",
    [
        "I'll let it sleep.",
        "The test timed out after 30s.",
        "The run took 45 seconds.",
        "The service listens on port 8080.",
        "Waiting is not the fix; the lock order is.",
    ],
)
def test_not_a_wait_in_prose(text: str) -> None:
    assert waits_in_prose(text) == []


# --------------------------------------------------------------------------- properties


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_parsers_never_raise(text: str) -> None:
    value = parse_duration(text)
    assert value is None or value >= 0
    parse_duration_expr(text, "ns")
    waits_in_command(text)
    waits_in_edit("x.py", None, text)
    waits_in_edit("x.yaml", text, "")
    waits_in_prose(text)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=48),
    st.integers(min_value=0, max_value=59),
    st.integers(min_value=0, max_value=59),
    st.integers(min_value=0, max_value=999),
)
def test_go_duration_round_trip(hours: int, minutes: int, seconds: int, millis: int) -> None:
    parts = [(hours, "h"), (minutes, "m"), (seconds, "s"), (millis, "ms")]
    text = "".join(f"{value}{unit}" for value, unit in parts if value) or "0s"
    expected = hours * 3600 + minutes * 60 + seconds + millis / 1000
    assert math.isclose(parse_duration(text), expected, rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(
        parse_duration_expr(f"{expected * 1000:.3f} * time.Millisecond", "ns"),
        expected,
        rel_tol=1e-9,
        abs_tol=1e-9,
    )


@pytest.mark.parametrize(
    ("path", "old", "new", "expected"),
    [
        ("cypress/e2e/login.cy.js", "    cy.wait(500);\n", "    cy.wait(2000);\n", (0.5, 2.0)),
        (
            "tests/test_api.py",
            "    httpx.get(url, timeout=httpx.Timeout(5.0))\n",
            "    httpx.get(url, timeout=httpx.Timeout(30.0))\n",
            (5.0, 30.0),
        ),
        (
            "app/client.py",
            "timeout = aiohttp.ClientTimeout(total=5)\n",
            "timeout = aiohttp.ClientTimeout(total=60)\n",
            (5.0, 60.0),
        ),
    ],
)
def test_client_and_browser_test_waits_in_edits(path, old, new, expected):
    [fact] = waits_in_edit(path, old, new)
    assert (fact.old_seconds, fact.seconds) == expected


def test_wait_on_timeout_is_in_milliseconds():
    [fact] = waits_in_command("docker compose up -d && npx wait-on tcp:5432 -t 60000 && npm test")
    assert fact.seconds == 60.0
