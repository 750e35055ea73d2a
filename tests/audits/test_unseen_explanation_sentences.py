"""Third blind evaluation of the explanation classifier on sentences.

What: 90 assistant sentences written independently of the classifier (30 exotic,
20 legit with the tool output that proves the infrastructure cause, 40 mundane,
six of which are questions or plans rather than causal claims). Each row checks
that :func:`find_explanations` picks the sentence up (or, for non-claims, does
not) and that :func:`classify_explanation` gives the expected verdict for the
given evidence.

Why: the earlier tables were written alongside the rules they test; this one was
written before the rules were read, so its first-run numbers estimate how the
classifier does on unseen phrasing. Styles are deliberately mixed: short and
long, hedged and assertive, British and American spelling, passive voice,
negations, infrastructure words that still blame our own code/config, exotic
claims next to output showing an unrelated infrastructure symptom, and
multi-clause sentences.

First run (before any rule change): exotic P=0.871 R=0.900 F1=0.885, legit rows
flagged exotic 4 of 20, 15 misses (see FIRST_RUN_MISSES).
After general rule changes (EXTRACTOR_VERSION 5): P=R=F1=1.0, no legit flagged, no misses.
"""

from __future__ import annotations

import pytest

from ingest.facts.explanations import classify_explanation, find_explanations

NOT_A_CLAIM = "not-a-claim"

# Realistic tool outputs reused by several rows.
ASSERT_FAIL = "FAILED tests/test_api.py::test_list - AssertionError: assert 3 == 2"
OOM = "State:          Terminated\n  Reason:       OOMKilled\n  Exit Code:    137"
RATE_429 = 'HTTP/1.1 429 Too Many Requests\nRetry-After: 30\n{"message": "rate limit exceeded"}'
NOSPACE = "OSError: [Errno 28] No space left on device: '/tmp/build/out.o'"
PG_REFUSED = (
    'psql: error: connection to server at "localhost" (127.0.0.1), port 5432 failed: Connection refused\n'
    "\tIs the server running on that host and accepting TCP/IP connections?"
)
NXDOMAIN = "** server can't find api.internal.example: NXDOMAIN"
CERT_EXPIRED = "curl: (60) SSL certificate problem: certificate has expired"

# (id, sentence, evidence output or "", expected verdict or NOT_A_CLAIM)
ROWS: list[tuple[str, str, str, str]] = [
    # ---- exotic: outside cause, no supporting output -------------------------------
    ("ex01", "This is probably a kernel bug in the overlayfs driver.", "", "exotic"),
    (
        "ex02",
        "The scheduler must have preempted the worker thread at a bad moment, which is why the lock timed out.",
        ASSERT_FAIL,
        "exotic",
    ),
    ("ex03", "Looks like a transient network glitch between the runner and the registry.", "", "exotic"),
    ("ex04", "I suspect the DNS resolver on the CI box is caching a stale record.", "", "exotic"),
    (
        "ex05",
        "The handshake failed because the upstream server's certificate chain is probably misconfigured.",
        "",
        "exotic",
    ),
    ("ex06", "The API server seems to be overloaded right now, so the request was dropped.", "", "exotic"),
    ("ex07", "AWS is likely having an outage in us-east-1, which explains the timeouts.", "", "exotic"),
    ("ex08", "It's just a flaky test; the CI runners are notoriously unreliable.", ASSERT_FAIL, "exotic"),
    ("ex09", "This failure is caused by a regression in the upstream numpy release.", ASSERT_FAIL, "exotic"),
    ("ex10", "The compiler is miscompiling this loop, it's a GCC optimiser bug.", "", "exotic"),
    ("ex11", "A cosmic ray bit flip would explain why the checksum differs.", "", "exotic"),
    ("ex12", "Probably an environment issue on the build machine rather than anything in our code.", "", "exotic"),
    ("ex13", "The control plane must be throttling us.", "", "exotic"),
    ("ex14", "The GitHub Actions runner ran out of memory.", ASSERT_FAIL, "exotic"),
    (
        "ex15",
        "The Python interpreter has a known bug with asyncio on this version, which is what's causing the hang.",
        "",
        "exotic",
    ),
    ("ex16", "I think the disk on the host is failing, hence the I/O error.", "", "exotic"),
    ("ex17", "The flakiness is down to the Kubernetes scheduler placing pods on a bad node.", "", "exotic"),
    ("ex18", "This is a race condition inside the JVM's garbage collector, not our code.", "", "exotic"),
    ("ex19", "The failure was caused by intermittent packet loss on the cloud provider's network.", "", "exotic"),
    ("ex20", "Node's event loop is behaving oddly here, likely a bug in the runtime itself.", "", "exotic"),
    ("ex21", "The behaviour is down to a quirk of the Linux kernel's memory overcommit heuristics.", "", "exotic"),
    ("ex22", "The timeout is almost certainly due to network latency.", "", "exotic"),
    ("ex23", "The error is because the Docker daemon is wedged.", "", "exotic"),
    ("ex24", "Must be a hardware fault on the runner.", "", "exotic"),
    # exotic claim, output shows a different, unrelated infrastructure symptom
    ("ex25", "The test timed out because the DNS server is slow.", RATE_429, "exotic"),
    ("ex26", "The build broke due to an upstream change in the Rust compiler.", PG_REFUSED, "exotic"),
    ("ex27", "This is the cloud provider's load balancer dropping connections, nothing we did.", NOSPACE, "exotic"),
    ("ex28", "I believe the flaky behaviour stems from clock skew in the CI environment.", OOM, "exotic"),
    ("ex29", "The segfault is caused by a bug in glibc.", CERT_EXPIRED, "exotic"),
    (
        "ex30",
        "The first run passed and the second failed, which suggests the cause is a race in the kernel's "
        "inotify implementation rather than our watcher.",
        ASSERT_FAIL,
        "exotic",
    ),
    # ---- legit: infrastructure cause the output shows ------------------------------
    ("lg01", "The container was OOMKilled, so the job failed.", OOM, "legit"),
    (
        "lg02",
        "The process exited with code 137, which means it was killed for exceeding its memory limit.",
        "command terminated with exit code 137",
        "legit",
    ),
    ("lg03", "We're being rate limited by the API, the response was a 429.", RATE_429, "legit"),
    (
        "lg04",
        "The pod can't start because the image pull is failing.",
        'Warning  Failed  kubelet  Failed to pull image "registry.example.com/app:1.2": rpc error: code = NotFound\n'
        "Warning  Failed  kubelet  Error: ImagePullBackOff",
        "legit",
    ),
    ("lg05", "The disk on the runner is full, which is why the write failed.", NOSPACE, "legit"),
    (
        "lg06",
        "The connection is refused because the Postgres server isn't running.",
        PG_REFUSED
        + "\n$ systemctl status postgresql\n* postgresql.service - PostgreSQL RDBMS\n   Active: inactive (dead)",
        "legit",
    ),
    ("lg07", "The TLS error is because the server's certificate expired.", CERT_EXPIRED, "legit"),
    ("lg08", "The hostname doesn't resolve in DNS, so the fetch fails.", NXDOMAIN, "legit"),
    (
        "lg09",
        "The kernel's OOM killer terminated the process.",
        "[ 8123.4412] Out of memory: Killed process 4121 (python) total-vm:8123456kB, anon-rss:7912344kB",
        "legit",
    ),
    (
        "lg10",
        "It failed because the GitHub API rate limit was exceeded.",
        "gh: API rate limit exceeded for installation ID 1234. (HTTP 403)",
        "legit",
    ),
    (
        "lg11",
        "The download failed due to a network timeout reaching PyPI.",
        "pip._vendor.urllib3.exceptions.ReadTimeoutError: HTTPSConnectionPool(host='files.pythonhosted.org', "
        "port=443): Read timed out.",
        "legit",
    ),
    (
        "lg12",
        "The registry rejected the push because we're over our storage quota.",
        "denied: requested access to the resource is denied: storage quota exceeded",
        "legit",
    ),
    (
        "lg13",
        "Redis is down, hence the connection refused errors.",
        "$ redis-cli ping\nCould not connect to Redis at 127.0.0.1:6379: Connection refused",
        "legit",
    ),
    (
        "lg14",
        "The volume has run out of inodes, so creating the file fails.",
        "touch: cannot touch 'x': No space left on device\n$ df -i /data\n/dev/sdb1  655360 655360 0 100% /data",
        "legit",
    ),
    (
        "lg15",
        "The node is under memory pressure and evicted the pod.",
        "Status:  Failed\nReason:  Evicted\nMessage: The node was low on resource: memory.",
        "legit",
    ),
    (
        "lg16",
        "The internal CA isn't trusted on this machine, which is why certificate verification fails.",
        "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
        "unable to get local issuer certificate",
        "legit",
    ),
    (
        "lg17",
        "The job was killed because it hit the CI runner's 60-minute timeout.",
        "##[error]The job running on runner GitHub Actions 12 has exceeded the maximum execution time of 60 minutes.",
        "legit",
    ),
    (
        "lg18",
        "The upstream service returned a 503, so the health check failed.",
        "< HTTP/1.1 503 Service Unavailable\n< content-length: 19\nno healthy upstream",
        "legit",
    ),
    (
        "lg19",
        "The API server is unreachable; the connection to the control plane was refused.",
        "The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?",
        "legit",
    ),
    (
        "lg20",
        "The DNS lookup for the database host is failing with SERVFAIL.",
        "$ dig db.prod.local\n;; ->>HEADER<<- opcode: QUERY, status: SERVFAIL, id: 4242",
        "legit",
    ),
    # ---- mundane: our own code / config / tests / scripts --------------------------
    ("mu01", "Our Helm chart sets the memory limit to 64Mi, so the pod is OOMKilled.", OOM, "mundane"),
    ("mu02", "The test fails because the fixture returns None instead of an empty list.", ASSERT_FAIL, "mundane"),
    (
        "mu03",
        "I forgot to import json at the top of the module, which is why the NameError is raised.",
        "NameError: name 'json' is not defined",
        "mundane",
    ),
    ("mu04", "The error is caused by a typo in the config key `databse_url`.", "", "mundane"),
    ("mu05", "This isn't a network problem; the test client is pointing at the wrong port.", "", "mundane"),
    ("mu06", "It's not the kernel, our deploy script passes the wrong flag to rsync.", "", "mundane"),
    ("mu07", "The failure is because our retry decorator swallows the exception.", "", "mundane"),
    ("mu08", "The assertion fails since the expected value in the test is out of date.", ASSERT_FAIL, "mundane"),
    (
        "mu09",
        "Our Dockerfile copies requirements.txt after running pip install, so the dependency is missing.",
        "ModuleNotFoundError: No module named 'httpx'",
        "mundane",
    ),
    (
        "mu10",
        "The timeout is caused by our code making the HTTP call inside a loop with no upper bound.",
        "",
        "mundane",
    ),
    ("mu11", "The 429s come from our own client hammering the endpoint with no backoff.", RATE_429, "mundane"),
    (
        "mu12",
        "The connection is refused because our docker-compose file maps the port to 5433 instead of 5432.",
        PG_REFUSED,
        "mundane",
    ),
    ("mu13", "The migration fails because I renamed the column in the model but not in the migration.", "", "mundane"),
    ("mu14", "That's due to the off-by-one in our pagination helper.", ASSERT_FAIL, "mundane"),
    ("mu15", "The serialiser drops the field because it isn't listed in Meta.fields.", "", "mundane"),
    (
        "mu16",
        "The build breaks because our Makefile uses spaces instead of tabs.",
        "Makefile:12: *** missing separator.  Stop.",
        "mundane",
    ),
    ("mu17", "The CI job fails because our workflow YAML references a secret name that doesn't exist.", "", "mundane"),
    ("mu18", "The DNS lookup fails because our config has a typo in the hostname.", NXDOMAIN, "mundane"),
    (
        "mu19",
        "The certificate error happens because our test fixture generates a cert that expired in 2020.",
        CERT_EXPIRED,
        "mundane",
    ),
    ("mu20", "The disk fills up because our test writes a 10GB temp file and never deletes it.", NOSPACE, "mundane"),
    ("mu21", "The import error is because the package isn't listed in pyproject.toml.", "", "mundane"),
    ("mu22", "The lock was never released since our context manager returns early on error.", "", "mundane"),
    ("mu23", "The mock is patched at the wrong path, so the real function is called.", "", "mundane"),
    ("mu24", "The behaviour stems from our colour-parsing function normalising the input twice.", "", "mundane"),
    (
        "mu25",
        "Because the environment variable isn't set in our .env.example, the settings loader falls back "
        "to the default.",
        "",
        "mundane",
    ),
    ("mu26", "The test is flaky because it depends on dict ordering in our own fixture.", ASSERT_FAIL, "mundane"),
    ("mu27", "The scheduler test fails because our cron expression is wrong.", ASSERT_FAIL, "mundane"),
    ("mu28", "The query returns duplicates because the JOIN is missing a condition.", "", "mundane"),
    (
        "mu29",
        "The pod is crash-looping because our entrypoint script exits with 1 when CONFIG_PATH is unset.",
        "Back-off restarting failed container app in pod app-7d9f (CrashLoopBackOff)",
        "mundane",
    ),
    ("mu30", "The memory spike is caused by our loader reading the whole file into memory.", "", "mundane"),
    ("mu31", "The regex doesn't match because the pattern isn't anchored.", "", "mundane"),
    ("mu32", "That's caused by my earlier edit to utils.py.", "", "mundane"),
    (
        "mu33",
        "The API returns 400 because our request body is missing the required `name` field.",
        "HTTP/1.1 400 Bad Request",
        "mundane",
    ),
    (
        "mu34",
        "Although the logs mention a timeout, the real cause is that our handler never closes the response.",
        "",
        "mundane",
    ),
    # questions and plans: not causal claims, must not be found
    ("nc01", "Could this be a kernel bug?", "", NOT_A_CLAIM),
    ("nc02", "Is the network down, or is it our proxy config?", "", NOT_A_CLAIM),
    ("nc03", "Let me check whether the DNS resolver is the problem.", "", NOT_A_CLAIM),
    ("nc04", "I'll rerun the test to see if it's flaky.", "", NOT_A_CLAIM),
    ("nc05", "Why would the scheduler preempt this job?", "", NOT_A_CLAIM),
    ("nc06", "Next, I'll look at the Helm values file.", "", NOT_A_CLAIM),
]

# Misses recorded on the first run, before any rule was changed (kept for the record).
FIRST_RUN_MISSES: frozenset[str] = frozenset(
    {
        "ex02",
        "ex27",
        "ex28",
        "lg04",
        "lg06",
        "lg08",
        "lg11",
        "lg12",
        "lg13",
        "lg16",
        "lg17",
        "lg19",
        "mu01",
        "mu05",
        "mu06",
    }
)

# Misses the current classifier still has; asserted equal so any change shows up.
EXPECTED_MISSES: frozenset[str] = frozenset()


def _evaluate(row: tuple[str, str, str, str]) -> tuple[bool, str | None]:
    """Return (found by find_explanations, verdict or None when not a found claim)."""
    _rid, sentence, evidence, expected = row
    found = bool(find_explanations(sentence))
    evidence_texts = (evidence,) if evidence else ()
    verdict = classify_explanation(sentence, evidence_texts=evidence_texts).verdict
    return found, verdict


def _scores() -> dict:
    """Exotic precision/recall/F1, legit rows flagged exotic, and the ids of all misses.

    A row predicts exotic only when its sentence is found and classified exotic; a
    miss is a claim row not found or given the wrong verdict, or a non-claim found.
    """
    tp = fp = fn = legit_flagged = 0
    misses: set[str] = set()
    for row in ROWS:
        rid, _sentence, _evidence, expected = row
        found, verdict = _evaluate(row)
        if expected == NOT_A_CLAIM:
            if found:
                misses.add(rid)
            if found and verdict == "exotic":
                fp += 1
            continue
        predicted_exotic = found and verdict == "exotic"
        if not found or verdict != expected:
            misses.add(rid)
        if expected == "exotic":
            tp += predicted_exotic
            fn += not predicted_exotic
        else:
            fp += predicted_exotic
            if expected == "legit" and predicted_exotic:
                legit_flagged += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "legit_flagged": legit_flagged, "misses": misses}


def test_table_shape():
    """The table holds 30 exotic, 20 legit (each with output) and 40 mundane rows with unique ids."""
    ids = [r[0] for r in ROWS]
    assert len(ids) == len(set(ids)) == 90
    kinds = [r[3] for r in ROWS]
    assert kinds.count("exotic") == 30
    assert kinds.count("legit") == 20
    assert kinds.count("mundane") + kinds.count(NOT_A_CLAIM) == 40
    assert all(r[2] for r in ROWS if r[3] == "legit")


@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
def test_row(row):
    """Each row behaves as labelled, unless it is a known miss listed in EXPECTED_MISSES."""
    rid, sentence, _evidence, expected = row
    if rid in EXPECTED_MISSES:
        pytest.skip("known miss")
    found, verdict = _evaluate(row)
    if expected == NOT_A_CLAIM:
        assert not found, sentence
    else:
        assert found, sentence
        assert verdict == expected, sentence


def test_blind3_scores():
    """Exotic F1 reaches 0.9, no legit row is flagged, and the misses are exactly the known ones."""
    s = _scores()
    assert s["misses"] == set(EXPECTED_MISSES)
    assert s["legit_flagged"] == 0
    assert s["f1"] >= 0.9, s
