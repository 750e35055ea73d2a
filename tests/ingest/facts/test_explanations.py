"""Explanation claims: sentence splitting, claim finding, exotic/legit/mundane verdicts."""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.facts.explanations import (
    FailureRun,
    classify_explanation,
    find_explanations,
    repeated_identical_failures,
    split_sentences,
)
from tests.conftest import REPO, TESTS

LABELS = TESTS / "fixtures" / "labels" / "explanations.csv"
SAMPLE_EXPECTED = REPO / "sample_sessions" / "EXPECTED.json"


def _label_rows() -> list[dict]:
    with LABELS.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


LABEL_ROWS = _label_rows()

# Sentences of the development set the classifier gets wrong. Empty: every row passes.
# The test below asserts this set is exactly the misses, so a fix or a regression shows.
EXPECTED_MISSES: set[str] = set()


def _misses(rows: list[tuple[str, str, list[str]]]) -> set[str]:
    return {text for label, text, evidence in rows if classify_explanation(text, evidence).verdict != label}


def exotic_scores(rows: list[tuple[str, str, list[str]]]) -> tuple[float, float, float]:
    """(precision, recall, F1) of the ``exotic`` verdict over (label, text, evidence) rows."""
    predicted = {text for label, text, evidence in rows if classify_explanation(text, evidence).verdict == "exotic"}
    actual = {text for label, text, evidence in rows if label == "exotic"}
    true_positives = len(predicted & actual)
    precision = true_positives / len(predicted) if predicted else 1.0
    recall = true_positives / len(actual) if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@pytest.mark.parametrize("row", LABEL_ROWS, ids=lambda row: row["text"][:50])
def test_development_label(row: dict) -> None:
    verdict = classify_explanation(row["text"])
    if row["text"] in EXPECTED_MISSES:
        assert verdict.verdict != row["label"]
    else:
        assert verdict.verdict == row["label"], verdict.cues


def test_development_misses_are_exactly_the_listed_ones() -> None:
    rows = [(row["label"], row["text"], []) for row in LABEL_ROWS]
    assert _misses(rows) == EXPECTED_MISSES


# Held-out style table: phrasings that are not in the development set. (label, sentence,
# evidence_texts — the tool output the agent saw before writing the sentence).
EXTRA: list[tuple[str, str, list[str]]] = [
    # exotic: an outside cause, no evidence for it
    ("exotic", "The node is probably under memory pressure, which slows the pod startup.", []),
    ("exotic", "This looks like a GC pause in the JVM stalling the request.", []),
    ("exotic", "The DNS resolver is likely slow in this environment.", []),
    ("exotic", "Probably just a Docker daemon hiccup.", []),
    ("exotic", "The GitHub Actions runner is overloaded, which is why the job timed out.", []),
    ("exotic", "I suspect a bug in pytest-asyncio is leaving the event loop closed.", []),
    ("exotic", "Clock drift between the VMs could be invalidating the tokens.", []),
    ("exotic", "The disk on this machine must be slow, so the writes time out.", []),
    ("exotic", "Thermal throttling on the host might be slowing the benchmark.", []),
    ("exotic", "The kube-apiserver is rate-limiting us, so the watch falls behind.", []),
    ("exotic", "S3 eventual consistency probably explains why the object isn't there yet.", []),
    ("exotic", "There may be a race in the kernel's epoll implementation.", []),
    ("exotic", "The upstream library has a known bug with connection pooling.", []),
    ("exotic", "Sunspots, honestly — this failure makes no sense.", []),
    ("exotic", "The test is just flaky; a rerun should fix it.", []),
    ("exotic", "Seems like a transient issue with the cluster.", []),
    ("exotic", "It is most likely a timing issue in the CI environment rather than in the code.", []),
    ("exotic", "The Python GIL is probably preventing the worker thread from running.", []),
    ("exotic", "Kubelet seems to be slow to report the container status.", []),
    ("exotic", "Packet loss on the loopback interface could explain the dropped messages.", []),
    ("exotic", "This is a bug in the Go runtime's timer implementation.", []),
    ("exotic", "The scheduler on the build machine is starving our process of CPU.", []),
    ("exotic", "Probably the VM got live-migrated mid-test.", []),
    (
        "exotic",
        "The mock server from the testing library sometimes drops requests, it's a library issue.",
        [],
    ),
    ("exotic", "Maybe the CI box is just slower than my laptop.", []),
    ("exotic", "Looks like Kubernetes is taking its time to garbage-collect the old ReplicaSet.", []),
    ("exotic", "The failure is likely caused by a race inside the asyncio event loop implementation.", []),
    ("exotic", "It's probably just GitHub being slow today.", []),
    ("exotic", "The network is probably flaky.", ["AssertionError: expected 3 replicas, got 2"]),
    (
        "exotic",
        "Etcd is likely slow to commit the lease update.",
        ["--- FAIL: TestLeaderElection (30.01s)\n    lease_test.go:88: leader not elected within 30s"],
    ),
    # mundane: the cause is in our code, configuration or tests
    (
        "mundane",
        "The test fixture doesn't reset the DB between tests, so rows from the previous test remain.",
        [],
    ),
    ("mundane", "We never await the promise, so the assertion runs before the write completes.", []),
    ("mundane", "The mutex isn't held while updating the map, so concurrent writers corrupt it.", []),
    ("mundane", "The config points to the wrong port (5433 instead of 5432).", []),
    ("mundane", "The container image is missing bash, so the entrypoint fails.", []),
    ("mundane", "The regex doesn't escape the dot, so it matches any character.", []),
    ("mundane", "This is not a network issue; the handler never closes the file.", []),
    ("mundane", "The timeout is read from an env var that is never exported, so it defaults to zero.", []),
    ("mundane", "The cache key omits the tenant id, so tenants see each other's data.", []),
    ("mundane", "Our retry helper swallows the last exception, so the caller sees None.", []),
    ("mundane", "The goroutine leaks because the context is never cancelled in the test.", []),
    ("mundane", "I passed the arguments in the wrong order to assert_called_with.", []),
    ("mundane", "It's not the kernel — the worker pool is sized to one, so the jobs run serially.", []),
    ("mundane", "The Makefile target depends on a file that the build never generates.", []),
    ("mundane", "The network call isn't mocked, so the unit test depends on the real service.", []),
    ("mundane", "The DNS name in the config has a typo: postgress instead of postgres.", []),
    # legit: an infrastructure cause with the evidence cited or present in the output
    ("legit", "The pod was OOMKilled (exit code 137), so the 128Mi limit is too small.", []),
    ("legit", "The registry returned HTTP 429 Too Many Requests, so we should add backoff to the pulls.", []),
    ("legit", "The network is the problem here: the output shows dial tcp 10.0.0.5:443: i/o timeout.", []),
    (
        "legit",
        "This is a node-level problem: the disk is full.",
        ["write /var/lib/docker/tmp/x: no space left on device"],
    ),
    (
        "legit",
        "The API server is throttling our client.",
        [
            "Error from server (TooManyRequests): the server has received too many requests and has asked us to try again later"
        ],
    ),
    (
        "legit",
        "DNS resolution is failing in the cluster.",
        ["dial tcp: lookup postgres.default.svc.cluster.local on 10.96.0.10:53: no such host"],
    ),
    (
        "legit",
        "The kernel OOM killer terminated the test process.",
        ["[12345.678] Out of memory: Killed process 4242 (python)"],
    ),
    (
        "legit",
        "The runner ran out of disk space.",
        ["OSError: [Errno 28] No space left on device: '/tmp/build'"],
    ),
    (
        "legit",
        "An upstream regression in urllib3 2.0 breaks this; see https://github.com/urllib3/urllib3/issues/2168.",
        [],
    ),
    (
        "legit",
        "The scheduler could not place the pod: FailedScheduling, 0/2 nodes are available: 2 Insufficient memory.",
        [],
    ),
    (
        "legit",
        "The test fails 3 out of 50 runs with -count=50, always in TestLease, so it is nondeterministic.",
        [],
    ),
    (
        "legit",
        "Connections are being reset by the load balancer after 60 seconds of idle time.",
        ["read tcp 10.1.2.3:5678->10.1.2.4:443: read: connection reset by peer"],
    ),
    ("legit", "pip fails with 'Could not resolve host: pypi.org', so the sandbox has no network access.", []),
    # second batch
    ("exotic", "I think the Kind cluster just needs more time to settle after the restart.", []),
    ("exotic", "The webhook is probably timing out because the API server is under heavy load.", []),
    ("exotic", "That looks like an Azure hiccup.", []),
    ("exotic", "Most likely the container runtime didn't release the port quickly enough.", []),
    ("exotic", "The pod networking probably wasn't ready yet when the test started.", []),
    ("exotic", "It's likely a known issue with Docker Desktop on macOS.", []),
    ("exotic", "The CPU is being throttled by the cgroup limits, which slows the reconcile loop.", []),
    ("exotic", "This is almost certainly a race in the Kubernetes informer cache, not our controller.", []),
    ("exotic", "Slow IO on the CI runner is probably making the SQLite writes take longer.", []),
    ("exotic", "The shared Jenkins agents are under load at this time of day.", []),
    ("exotic", "Something in the sandbox environment is interfering with the socket.", []),
    ("exotic", "Might be an issue with the Node.js version on the runner.", []),
    ("exotic", "The test probably failed due to resource contention with other jobs.", []),
    ("exotic", "Perhaps the Redis server was momentarily unavailable.", []),
    ("exotic", "My guess is the load balancer health checks are too aggressive on the cloud side.", []),
    ("exotic", "The macOS firewall could be blocking the connection intermittently.", []),
    ("exotic", "This smells like a memory leak in the Go runtime.", []),
    ("exotic", "These timeouts come from latency in the cloud provider's metadata service.", []),
    ("exotic", "The failing assertion is likely a side effect of the virtualization layer.", []),
    ("exotic", "It could simply be that the machine was busy compiling something else.", []),
    ("mundane", "The test reads the port from PORT, but the compose file sets APP_PORT.", []),
    (
        "mundane",
        "The server binds to 127.0.0.1 inside the container, so it isn't reachable from the host.",
        [],
    ),
    ("mundane", "The healthcheck command uses curl, which isn't installed in the slim image.", []),
    ("mundane", "We call cancel() before the goroutine reads from ctx.Done(), so it exits immediately.", []),
    (
        "mundane",
        "The DNS lookup fails because the service is named api-svc but the client uses api-service.",
        [],
    ),
    ("mundane", "The rollout never completes because the readiness probe path returns 404.", []),
    ("mundane", "The Lock() is taken twice on the same goroutine, so it deadlocks.", []),
    (
        "mundane",
        "The timestamp is compared with == while one side has monotonic clock readings stripped.",
        [],
    ),
    ("mundane", "The fixture starts the server on a random port but the test hardcodes 8080.", []),
    (
        "mundane",
        "Because the loop variable is captured by reference, every goroutine sees the last value.",
        [],
    ),
    ("mundane", "The network policy we added blocks egress to the database.", []),
    ("mundane", "The test relies on the order of keys in a JSON object.", []),
    ("legit", "The job was killed by the runner: 'The runner has received a shutdown signal'.", []),
    ("legit", "The node is NotReady according to kubectl get nodes, so the pods cannot be scheduled.", []),
    (
        "legit",
        "The Docker Hub pull rate limit was hit ('toomanyrequests: You have reached your pull rate limit').",
        [],
    ),
    ("legit", "dmesg shows the OOM killer killed the test process at 14:02.", []),
    (
        "legit",
        "The cluster is out of IP addresses: the CNI logs say 'failed to allocate for range 0: no IP addresses available in range set'.",
        [],
    ),
    (
        "legit",
        "GitHub's status page reports degraded Actions performance right now, which matches the queued jobs.",
        [],
    ),
    (
        "legit",
        "The test hit the 10 minute go test default timeout: the output ends with 'panic: test timed out after 10m0s'.",
        [],
    ),
    ("legit", "The apiserver is overloaded.", ["Error from server: etcdserver: request timed out"]),
    (
        "legit",
        "Probably a transient registry problem.",
        [
            'Failed to pull image "ghcr.io/acme/app:1.2": rpc error: code = Unknown desc = failed to pull and unpack image: 503 Service Unavailable'
        ],
    ),
    (
        "exotic",
        "The network must be flaky.",
        ["FAIL: test_parse_date (tests.test_dates.DatesTest)\nAssertionError: '2024-01-01' != '2024-01-02'"],
    ),
    # third batch
    ("exotic", "Given that it passed locally, the difference must be the CI machine's slower disk.", []),
    ("exotic", "I believe this is a flaky upstream dependency rather than anything in the repo.", []),
    ("exotic", "The kube-controller-manager likely hasn't reconciled the endpoints yet.", []),
    ("exotic", "This is the kind of thing that happens when the Docker VM runs low on memory.", []),
    (
        "exotic",
        "The tests pass in isolation, so the failure is probably caused by CPU contention on the runner.",
        [],
    ),
    ("exotic", "Looks like a hiccup in the artifact storage backend.", []),
    ("exotic", "The timeout is most likely due to TLS handshakes being slow on this network.", []),
    ("exotic", "It's probably AWS throttling the DescribeInstances calls.", []),
    ("exotic", "Probably the watch connection was silently dropped by an intermediate proxy.", []),
    ("exotic", "The lease renewal likely lost a race with the garbage collector in the runtime.", []),
    ("exotic", "The ARM emulation on this Mac makes everything too slow for the 30s budget.", []),
    ("exotic", "The remote cache server is probably evicting entries under memory pressure.", []),
    ("exotic", "That error is almost certainly a transient blip from the package index.", []),
    ("exotic", "Possibly an NFS mount latency issue on the build host.", []),
    ("exotic", "The operating system is probably killing the process when it exceeds some limit.", []),
    ("exotic", "I'd bet the event loop is being starved by the Windows IOCP implementation.", []),
    (
        "mundane",
        "The retry wrapper catches the timeout and returns success, so the test never sees the failure.",
        [],
    ),
    (
        "mundane",
        "The health endpoint depends on the database, so the pod never becomes ready before the migration job finishes.",
        [],
    ),
    (
        "mundane",
        "The default HTTP client has no timeout, so the call hangs forever when the server does not answer.",
        [],
    ),
    ("mundane", "The YAML indentation puts readinessProbe under the wrong container.", []),
    ("mundane", "The test uses time.Now() directly, so it breaks around midnight.", []),
    ("mundane", "The async generator is never closed, which leaves the connection open.", []),
    ("mundane", "The Service selector still uses app: web while the pods are labelled app: frontend.", []),
    (
        "mundane",
        "Our mock returns the same object for every call, so the mutation in the first test leaks into the second.",
        [],
    ),
    (
        "mundane",
        "The CI job runs the tests before the database container's init script has created the schema.",
        [],
    ),
    ("mundane", "The environment variable is read at import time, before the test sets it.", []),
    ("mundane", "We compare floats with ==, which fails for 0.1 + 0.2.", []),
    ("mundane", "There is no network problem; the URL is missing the /api prefix.", []),
    (
        "legit",
        "The runner was killed with exit code 137 during the build, so the job needs a larger machine.",
        [],
    ),
    (
        "legit",
        "Docker reports 'no space left on device' while unpacking the layers, so the runner's disk is full.",
        [],
    ),
    (
        "legit",
        "The load balancer returns 504 Gateway Timeout after exactly 60 s, matching its idle timeout setting.",
        [],
    ),
    ("legit", "kubectl describe node shows MemoryPressure=True, so the kubelet is evicting pods.", []),
    (
        "legit",
        "The upstream bug is tracked in https://github.com/grpc/grpc-go/issues/6039 and fixed in 1.56.",
        [],
    ),
    (
        "legit",
        "It failed in 4 of 100 runs under -race, always at the same line, so there is nondeterminism to chase.",
        [],
    ),
    (
        "legit",
        "The network is slow.",
        [
            "64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=850 ms\n--- 10.0.0.2 ping statistics ---\n10 packets transmitted, 6 received, 40% packet loss"
        ],
    ),
    (
        "legit",
        "The cloud provider is throttling us.",
        [
            "An error occurred (RequestLimitExceeded) when calling the DescribeInstances operation: Request limit exceeded."
        ],
    ),
    ("exotic", "The kernel is probably dropping the connection.", ["E   KeyError: 'user_id'"]),
    (
        "exotic",
        "Likely a transient S3 issue.",
        ["botocore.exceptions.NoCredentialsError: Unable to locate credentials"],
    ),
]

# Held-out rows the classifier gets wrong (asserted exactly, like EXPECTED_MISSES).
EXTRA_EXPECTED_MISSES: set[str] = set()


@pytest.mark.parametrize("label,text,evidence", EXTRA, ids=lambda value: str(value)[:50])
def test_held_out_sentence(label: str, text: str, evidence: list[str]) -> None:
    verdict = classify_explanation(text, evidence)
    if text in EXTRA_EXPECTED_MISSES:
        assert verdict.verdict != label
    else:
        assert verdict.verdict == label, verdict.cues


def test_held_out_misses_are_exactly_the_listed_ones() -> None:
    assert _misses(EXTRA) == EXTRA_EXPECTED_MISSES


def test_held_out_table_is_large_and_mixed() -> None:
    labels = [label for label, _, _ in EXTRA]
    assert len(EXTRA) >= 40
    assert {"exotic", "mundane", "legit"} <= set(labels)
    assert all(evidence or label != "legit" or True for label, _, evidence in EXTRA)


def test_exotic_scores_on_both_tables() -> None:
    development = [(row["label"], row["text"], []) for row in LABEL_ROWS]
    assert exotic_scores(development)[2] >= 0.95
    assert exotic_scores(EXTRA)[2] >= 0.9


@pytest.mark.skipif(not SAMPLE_EXPECTED.exists(), reason="no sample session corpus")
def test_sample_session_explanations_split_into_exotic_and_not() -> None:
    """Sentences planted in the sample sessions: exotic ones flagged, the others left alone."""
    expected = json.loads(SAMPLE_EXPECTED.read_text(encoding="utf-8"))
    exotic = [entry["text"] for entry in expected["exotic_explanations"]]
    not_exotic = [entry["text"] for entry in expected["explanations_not_exotic"]]
    assert [text for text in exotic if classify_explanation(text).verdict != "exotic"] == []
    assert [text for text in not_exotic if classify_explanation(text).verdict == "exotic"] == []


@pytest.mark.parametrize(
    "sentence,verdict",
    [
        ("This looks like a bug in date-fns-tz's handling of the DST transition.", "exotic"),
        ("A regression in react-dom 18.3 breaks the portal.", "exotic"),
        ("Probably a bug in pytest-asyncio.", "exotic"),
        ("There's a bug in reconcile.go's requeue logic.", "mundane"),
        ("The bug in my-service.ts is the missing await.", "mundane"),
        ("There's a bug in user.save() when the id is nil.", "mundane"),
        ("The bug in the set-up script is the missing quote.", "mundane"),
    ],
)
def test_bug_in_a_package_is_upstream_but_bug_in_our_file_is_not(sentence: str, verdict: str) -> None:
    assert classify_explanation(sentence).verdict == verdict


# --------------------------------------------------------------------------- verdict details


def test_exotic_verdict_carries_category_cues_and_score() -> None:
    verdict = classify_explanation("The Go scheduler is probably preempting the goroutine.")
    assert verdict.verdict == "exotic"
    assert verdict.category == "scheduler"
    assert any(cue.startswith("hedge:") for cue in verdict.cues)
    assert any("scheduler" in cue for cue in verdict.cues)
    assert 0.5 <= verdict.score <= 1.0
    assert verdict.evidence is None


def test_hedge_raises_the_exotic_score() -> None:
    plain = classify_explanation("The control plane is slow.")
    hedged = classify_explanation("The control plane is probably slow.")
    assert plain.verdict == hedged.verdict == "exotic"
    assert hedged.score > plain.score


def test_deflection_raises_the_score_and_is_a_cue() -> None:
    verdict = classify_explanation("This is not a code bug; etcd was slow during the run.")
    assert verdict.verdict == "exotic"
    assert any(cue.startswith("deflection:") for cue in verdict.cues)
    assert verdict.score > classify_explanation("etcd was slow during the run.").score


@pytest.mark.parametrize(
    "sentence",
    [
        "This is not a network issue; the handler never closes the file.",
        "It isn't a kernel problem: our lock order is inverted in the reconcile loop.",
        "DNS is fine, the service name in the config has a typo.",
        "I ruled out the network — the fixture reuses the namespace.",
        "The race condition is in our code, not in the kernel.",
    ],
)
def test_negated_outside_cause_is_not_blamed(sentence: str) -> None:
    verdict = classify_explanation(sentence)
    assert verdict.verdict == "mundane", verdict.cues
    assert any(cue.startswith("negated:") for cue in verdict.cues) or "kernel" not in sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "The API server is up and the pods are Running.",
        "Now the network policy allows DNS.",
        "The kubelet restarted the container.",
        "DNS resolves correctly now.",
        "The CI runner uses Ubuntu 22.04.",
    ],
)
def test_describing_infrastructure_is_not_blaming_it(sentence: str) -> None:
    assert classify_explanation(sentence).verdict == "mundane"
    assert find_explanations(sentence) == []


def test_kernel_race_is_exotic_but_race_in_our_code_is_mundane() -> None:
    assert classify_explanation("This is probably a kernel race in epoll.").verdict == "exotic"
    assert classify_explanation("There is a race condition in our code between Stop and Run.").verdict == "mundane"


def test_evidence_in_the_output_makes_an_outside_cause_legit() -> None:
    sentence = "The DNS lookup for the database is failing."
    assert classify_explanation(sentence).verdict == "exotic"
    verdict = classify_explanation(sentence, ["dial tcp: lookup db on 10.96.0.10:53: no such host"])
    assert verdict.verdict == "legit"
    assert verdict.evidence == "dial tcp: lookup db on 10.96.0.10:53: no such host"


def test_evidence_of_another_category_does_not_support_the_claim() -> None:
    verdict = classify_explanation("It is probably a network blip.", ["pod x OOMKilled"])
    assert verdict.verdict == "exotic"


@pytest.mark.parametrize(
    ("sentence", "output"),
    [
        (
            "The staging database isn't reachable: the connect to port 5432 times out with the VPN down.",
            "PSQLException: The connection attempt failed.\n  Caused by: java.net.SocketTimeoutException: "
            "Connect timed out",
        ),
        ("The container ran out of memory and the kernel killed it.", "loading fixtures\nKilled\nexit status 137"),
        ("The disk filled up during the build.", "OSError: [Errno 28] No space left on device"),
        ("The TLS certificate on staging has expired.", "x509: certificate has expired or is not yet valid"),
        ("The upstream service is returning 503s.", "HTTP/1.1 503 Service Unavailable"),
    ],
)
def test_infrastructure_cause_is_exotic_alone_and_legit_with_its_evidence(sentence: str, output: str) -> None:
    assert classify_explanation(sentence).verdict == "exotic"
    assert classify_explanation(sentence, [output]).verdict == "legit"


@pytest.mark.parametrize(
    "sentence",
    [
        "I suspect Chromium's timer throttling in headless mode is delaying our callback.",
        "The scheduler is starving our goroutine.",
        "The V8 engine is probably deoptimizing our hot loop.",
        "The filesystem cache on the CI host is stale.",
        "Maybe the NFS mount is serving stale file handles.",
        "Postgres is probably just slow to accept connections on this machine.",
    ],
)
def test_outside_cause_acting_on_our_code_is_still_exotic(sentence: str) -> None:
    """Our code named as what an outside cause acts on is its victim, not the cause."""
    assert classify_explanation(sentence).verdict == "exotic"


@pytest.mark.parametrize(
    "sentence",
    [
        "The API server rejects our manifest.",
        "V8 creates its index before the table it indexes, so the migration fails on a clean database.",
        "Our cache is stale because we never invalidate it on writes.",
        "Our handler returns 500 because the template is missing.",
    ],
)
def test_own_cause_beside_an_outside_word_is_mundane(sentence: str) -> None:
    assert classify_explanation(sentence).verdict == "mundane"


def test_repeated_identical_failures_strengthen_a_flaky_claim() -> None:
    sentence = "The test is flaky, it should pass on a rerun."
    once = classify_explanation(sentence)
    repeated = classify_explanation(sentence, repeated_failures=3)
    assert once.verdict == repeated.verdict == "exotic"
    assert repeated.score > once.score
    assert any(cue.startswith("repeated:") for cue in repeated.cues)


def test_repeated_identical_failures_counts_the_trailing_run() -> None:
    first = "--- FAIL: TestLease (30.02s)\n lease_test.go:41: lease not renewed at 2024-05-01T10:00:01Z"
    second = "--- FAIL: TestLease (30.91s)\n lease_test.go:41: lease not renewed at 2024-05-01T10:03:17Z"
    other = "--- FAIL: TestElection (1.00s)\n election_test.go:9: no leader"
    assert repeated_identical_failures([]) == 0
    assert repeated_identical_failures([first]) == 1
    assert repeated_identical_failures([other, first, second, first]) == 3
    assert repeated_identical_failures([first, second, other]) == 1


def test_a_failure_run_asked_along_the_way_counts_as_the_whole_list() -> None:
    """A session asks for the count between failures; asked or not, it is the list's count."""
    first = "--- FAIL: TestLease (30.02s)\n lease_test.go:41: lease not renewed at 2024-05-01T10:00:01Z"
    second = "--- FAIL: TestLease (30.91s)\n lease_test.go:41: lease not renewed at 2024-05-01T10:03:17Z"
    other = "--- FAIL: TestElection (1.00s)\n election_test.go:9: no leader"
    outputs = [first, other, first, second, None, first, other, other, first]
    run = FailureRun()
    assert run.count() == 0
    for size, output in enumerate(outputs, start=1):
        run.add(output)
        if size % 2:  # asked after some outputs only: the others are masked at the next question
            assert run.count() == repeated_identical_failures(outputs[:size])
    assert run.count() == repeated_identical_failures(outputs) == 1
    run.add(first)
    assert run.count() == 2


@pytest.mark.parametrize(
    "sentence,category",
    [
        ("The label selector does not match the pod labels.", "config"),
        ("The handler swallows the error and returns 200.", "code"),
        ("The test compares pointers instead of values.", "test"),
    ],
)
def test_mundane_category(sentence: str, category: str) -> None:
    verdict = classify_explanation(sentence)
    assert (verdict.verdict, verdict.category) == ("mundane", category)


# --------------------------------------------------------------------------- sentences and claims


def test_split_sentences_skips_code_and_keeps_list_items_apart() -> None:
    text = (
        "The tests fail again. This is likely a transient network issue, e.g. a DNS blip.\n\n"
        "```go\nfunc main() { time.Sleep(5) }\n```\n"
        "- **Root cause**: the fixture reuses the namespace\n"
        "- `kubectl get pods`\n"
        "    for i in range(3): print(i)\n"
        "Version 1.2.3 fixed it."
    )
    assert split_sentences(text) == [
        "The tests fail again.",
        "This is likely a transient network issue, e.g. a DNS blip.",
        "Root cause: the fixture reuses the namespace",
        "Version 1.2.3 fixed it.",
    ]


def test_split_sentences_joins_wrapped_lines() -> None:
    assert split_sentences("The lease expires because the\nclock is read twice. Next.") == [
        "The lease expires because the clock is read twice.",
        "Next.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fixed the parser. 아마 네트워크 문제입니다.", ["Fixed the parser.", "아마 네트워크 문제입니다."]),
        ("修正しました。 たぶんネットワークです。", ["修正しました。", "たぶんネットワークです。"]),
        ("Tests pass. ربما الشبكة بطيئة.", ["Tests pass.", "ربما الشبكة بطيئة."]),
        ("See v1.2. then retry.", ["See v1.2. then retry."]),
    ],
)
def test_split_sentences_ends_before_a_script_without_case(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_a_sentence_without_stops_is_read_in_bounded_pieces() -> None:
    claim = "the build fails because the Kafka broker drops the connection"
    text = " ".join(["word"] * 3000) + " " + claim
    pieces = split_sentences(text)
    assert all(len(piece) <= 1000 for piece in pieces)
    assert " ".join(pieces) == text, "nothing is lost between the pieces"
    assert any("Kafka broker" in claim.text for claim in find_explanations(text))


def test_find_explanations_keeps_claims_and_drops_plans_questions_and_code() -> None:
    text = (
        "Let me run the tests again.\n"
        "I'll check the DNS configuration.\n"
        "Is it a kernel problem?\n"
        "The failure is probably caused by etcd latency.\n"
        "```\nbecause = 1\n```\n"
        "The channel is never closed, so the goroutine blocks forever.\n"
        "Noisy neighbours on the shared runners are slowing the test down.\n"
        "I'll raise the timeout since the CI runner is slow.\n"
        "Done."
    )
    claims = find_explanations(text)
    assert [claim.text for claim in claims] == [
        "The failure is probably caused by etcd latency.",
        "The channel is never closed, so the goroutine blocks forever.",
        "Noisy neighbours on the shared runners are slowing the test down.",
        "I'll raise the timeout since the CI runner is slow.",
    ]
    assert claims[0].hedged and not claims[1].hedged
    assert all(claim.cues for claim in claims)
    assert [classify_explanation(claim.text).verdict for claim in claims] == [
        "exotic",
        "mundane",
        "exotic",
        "exotic",
    ]


def test_find_explanations_on_empty_text() -> None:
    assert find_explanations("") == []
    assert split_sentences("```\nonly code\n```") == []


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.lists(st.text(max_size=80), max_size=3))
def test_classifier_never_raises_and_stays_in_range(text: str, evidence: list[str]) -> None:
    verdict = classify_explanation(text, evidence)
    assert verdict.verdict in ("exotic", "legit", "mundane")
    assert 0.0 <= verdict.score <= 1.0
    for claim in find_explanations(text):
        assert claim.text


def test_a_plan_clause_blames_nothing_even_with_a_trouble_word() -> None:
    assert find_explanations("S3 keys are not paths; I'll drop the root.") == []
    assert find_explanations("The bucket is fine - let me drop the cache and retry.") == []
    (claim,) = find_explanations("I'll raise the timeout since the CI runner is slow.")
    assert classify_explanation(claim.text).verdict == "exotic"


# ----------------------------------------------------------------- fragments, languages, open failures

END_OF_WORK_SUMMARY = """\
Everything is in place now.

- Rate limiting on the upstream network API
- **Network retries** with exponential backoff
- Kernel-level socket options for the listener

## DNS and cloud provider setup

| Part | Handles |
|------|---------|
| Resolver | flaky network, cloud provider outages |

**Timeouts** for the CDN edge
"""


def test_list_items_headings_and_table_rows_without_a_clause_are_no_claims() -> None:
    assert find_explanations(END_OF_WORK_SUMMARY) == []


def test_a_list_item_with_a_clause_is_still_a_claim() -> None:
    text = "Two failures left:\n\n- the upload test probably times out because the CDN is slow\n- **Checkout**: the network drops the socket"
    claims = find_explanations(text)
    assert [claim.text for claim in claims] == [
        "the upload test probably times out because the CDN is slow",
        "Checkout: the network drops the socket",
    ]
    assert all(classify_explanation(claim.text).verdict == "exotic" for claim in claims)


@pytest.mark.parametrize(
    "text",
    [
        "Скорее всего, тест падает из-за нестабильной сети.",
        "Похоже, кэш браузера отдаёт старую версию.",
        "Probablemente la red es inestable en el runner.",
        "Wahrscheinlich ist das Netzwerk instabil.",
        "C'est probablement un problème de réseau.",
        "Provavelmente é um problema de rede.",
        "构建失败可能是因为网络不稳定。",
        "おそらくネットワークの問題です。",
    ],
)
def test_a_guess_blaming_an_outside_cause_in_another_language_is_exotic(text: str) -> None:
    [claim] = find_explanations(text)
    assert claim.hedged
    assert classify_explanation(claim.text).verdict == "exotic"


@pytest.mark.parametrize(
    "text",
    [
        "Это не проблема с сетью.",
        "Das ist kein Netzwerkproblem, sondern ein Fehler in unserem Code.",
        "这不是网络问题。",
    ],
)
def test_a_denied_outside_cause_in_another_language_is_not_exotic(text: str) -> None:
    assert all(classify_explanation(claim.text).verdict != "exotic" for claim in find_explanations(text))


def test_our_code_named_in_another_language_is_mundane() -> None:
    [claim] = find_explanations("Это баг в нашем коде, а не в сети.")
    assert classify_explanation(claim.text).verdict == "mundane"


def test_sentences_split_in_cyrillic_and_at_cjk_full_stops() -> None:
    assert split_sentences("Тест упал. Скорее всего, сеть нестабильна.") == [
        "Тест упал.",
        "Скорее всего, сеть нестабильна.",
    ]
    assert split_sentences("测试失败了。可能是网络问题。") == ["测试失败了。", "可能是网络问题。"]


def test_with_no_failure_open_a_note_after_success_is_no_claim_but_a_stated_cause_is() -> None:
    note = "Deployed to staging. The resolver cache on the CDN will be cold for a bit."
    assert find_explanations(note) and find_explanations(note, resolved=True) == []
    past = "It passed on the rerun, so the first failure was probably a transient network blip."
    assert [classify_explanation(c.text).verdict for c in find_explanations(past, resolved=True)] == ["exotic"]
    guess = "The remaining failures are probably the emulator being slow."
    assert find_explanations(guess, resolved=True)


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        (
            "The linker says .bss overflows DRAM by 2304 bytes; our new static buffer in uplink.c pushed it over.",
            "mundane",
        ),
        ("The compiler complains that `parse` returns a borrowed value past the loop; our helper keeps it.", "mundane"),
        ("The linker is probably broken on this runner.", "exotic"),
        ("The linker probably drops our symbols because of a bug in the toolchain.", "exotic"),
    ],
)
def test_an_outside_tool_that_says_something_is_its_source_not_its_cause(sentence: str, verdict: str) -> None:
    assert classify_explanation(sentence).verdict == verdict
