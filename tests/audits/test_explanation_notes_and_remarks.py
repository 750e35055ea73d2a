"""Notes, plans, running remarks and status reports after a failure are not blame.

What: assistant messages written after a failed check, in the shapes the agents write them
(Claude Code markdown headings and bullets, Codex "Plan" lists and update notes, Gemini "I will…"
thoughts, Aider's short replies), some in Russian, Spanish, German, French and Chinese. Most
name an outside part (the linker, an upstream package, Docker, the CI runner, the network, the
kernel, a cache) without saying it caused the failure: a plan, a TODO, a heading, a question, a
list of options, a remark on what a tool is doing right now, a summary of work done. The others
are causal claims that must still be found, several of them inside the same shapes (a plan step
that gives a reason, a progressive remark with "because"). Each row is one message; a
``NOT_A_CLAIM`` row must yield no claim at all, a claim row must yield a claim with its verdict.

Why: on real transcripts the audit flagged such notes as exotic explanations. These rows were
written before the detector was run on them, so the first-run figures estimate how it does on
unseen phrasing of these classes.

First run (before any rule change): exotic P=R=F1=0.88, 5 of the 64 non-claims found as claims
(2 of them exotic), 9 misses (FIRST_RUN_MISSES). After the note, remark and status rules
(non_claim.toml `structure`, `activity`, `summary.status`; headings and quoted lines): exotic
P=1.00 R=0.94 F1=0.97, no non-claim found, 3 misses left, all three verdicts on evidence.

A second table (rows ``b…``), written after those rules and again before the detector ran on
it. Its first run: exotic P=0.71 R=0.77 F1=0.74, 3 of its non-claims found as claims, 7 misses.
After the restatement rule ("The linker error is still there"), plans in other languages and
more copula frames ("X is the culprit", "why it failed: …"): P=R=F1=0.92, no non-claim found,
two misses, both verdicts ("flakes" outweighs the fixture named as the cause; a hedged blame in
Chinese). The first batch's cl01 is found since output that restates the failure stopped counting
as evidence of a blamed part.
"""

from __future__ import annotations

import pytest

from ingest.facts.explanations import classify_explanation, find_explanations

NOT_A_CLAIM = "not-a-claim"

LINK_FAIL = "ld: error: undefined symbol: _ZN4core3fmt9Formatter3pad17h\n>>> referenced by lib.rs:12\nclang: error: linker command failed with exit code 1"
ASSERT_FAIL = "FAILED tests/test_sync.py::test_roundtrip - AssertionError: assert {'a': 1} == {'a': 2}"
DOCKER_FAIL = 'ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1'
RATE_429 = "HTTP/1.1 429 Too Many Requests\nRetry-After: 60"
EPERM = "Error: EACCES: permission denied, open '/usr/local/lib/node_modules/.staging'"
NOT_FOUND = "bash: line 1: protoc: command not found"
OOM = "State:          Terminated\n  Reason:       OOMKilled\n  Exit Code:    137"

# (id, message, evidence output or "", expected verdict or NOT_A_CLAIM, last check passed)
ROWS: list[tuple[str, str, str, str, bool]] = [
    # ---- notes and plans written after a failure ------------------------------------
    (
        "pl01",
        "Next: check whether the linker flags in build.rs still pass `-fuse-ld=lld`.",
        LINK_FAIL,
        NOT_A_CLAIM,
        False,
    ),
    ("pl02", "TODO: pin the version of the upstream `serde` crate in Cargo.toml.", LINK_FAIL, NOT_A_CLAIM, False),
    ("pl03", "I'll look at the upstream changelog for the 2.4 release.", ASSERT_FAIL, NOT_A_CLAIM, False),
    (
        "pl04",
        "## Next steps\n\n1. Check the Docker base image tag\n2. Re-run the build with `--no-cache`\n3. Compare the lockfile with main",
        DOCKER_FAIL,
        NOT_A_CLAIM,
        False,
    ),
    (
        "pl05",
        "Options:\n- Pin the runner image to ubuntu-22.04\n- Vendor the upstream patch\n- Skip the flaky network test on CI",
        ASSERT_FAIL,
        NOT_A_CLAIM,
        False,
    ),
    ("pl06", "### Possible causes to investigate", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("pl07", "- Kernel version on the runner", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("pl08", "- [ ] Verify the DNS settings in the compose file", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("pl09", "I will now inspect the network configuration of the test container.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("pl10", "I will check if the upstream API has changed its response format.", ASSERT_FAIL, NOT_A_CLAIM, False),
    (
        "pl11",
        "Plan:\n1. Reproduce the timeout locally\n2. Check if the CI cache is stale\n3. Bump the Node version",
        ASSERT_FAIL,
        NOT_A_CLAIM,
        False,
    ),
    ("pl12", "Now I need to figure out whether the platform image changed under us.", DOCKER_FAIL, NOT_A_CLAIM, False),
    ("pl13", "First, confirm the Gradle daemon is not reusing an old classpath.", ASSERT_FAIL, NOT_A_CLAIM, False),
    (
        "pl14",
        "Going to rebuild the container without the layer cache and see what happens.",
        DOCKER_FAIL,
        NOT_A_CLAIM,
        False,
    ),
    ("pl15", "Will try disabling the proxy next.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("pl16", "**Next:** rule out a stale cache in the CI runner.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("pl17", "Note to self: ask whether the staging cluster was upgraded last night.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("pl18", "Step 2 — check the kernel's inotify limits on the dev box.", ASSERT_FAIL, NOT_A_CLAIM, False),
    (
        "pl19",
        "I should also double-check whether the network sandbox blocks localhost.",
        ASSERT_FAIL,
        NOT_A_CLAIM,
        False,
    ),
    ("pl20", "Let's see if the upstream fix landed in 3.12.1.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("pl21", "Is the linker picking up the system libssl instead of the vendored one?", LINK_FAIL, NOT_A_CLAIM, False),
    ("pl22", "Could the Docker daemon be out of disk space?", DOCKER_FAIL, NOT_A_CLAIM, False),
    ("pl23", "Want me to open an issue upstream about this?", ASSERT_FAIL, NOT_A_CLAIM, False),
    (
        "pl24",
        "| Step | Owner |\n|---|---|\n| Re-run on a fresh runner | CI |\n| Check upstream release notes | me |",
        ASSERT_FAIL,
        NOT_A_CLAIM,
        False,
    ),
    ("pl25", "> the runner image is flaky, re-run it\n\nThat's from the CI docs.", ASSERT_FAIL, NOT_A_CLAIM, False),
    # ---- running remarks about what a tool is doing ---------------------------------
    ("ac01", "The linker keeps changing the output between runs.", LINK_FAIL, NOT_A_CLAIM, False),
    ("ac02", "Docker is now rebuilding the base layer.", DOCKER_FAIL, NOT_A_CLAIM, False),
    ("ac03", "The cache is warming.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("ac04", "Cargo is still compiling the dependency tree.", LINK_FAIL, NOT_A_CLAIM, False),
    ("ac05", "The runner is pulling the image now.", DOCKER_FAIL, NOT_A_CLAIM, False),
    ("ac06", "Gradle is downloading the wrapper distribution.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("ac07", "The emulator is booting; this takes a minute.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("ac08", "npm is resolving the peer dependencies again.", DOCKER_FAIL, NOT_A_CLAIM, False),
    ("ac09", "The dev server is restarting after the config change.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("ac10", "Kubernetes is scheduling the new pod.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("ac11", "Webpack is watching for changes.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("ac12", "The build is still running in the background.", LINK_FAIL, NOT_A_CLAIM, False),
    ("ac13", "Waiting for the upstream mirror to finish syncing.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("ac14", "The CI job is queued behind two others.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("ac15", "The database container is coming up.", ASSERT_FAIL, NOT_A_CLAIM, False),
    # ---- summaries of work done and status reports -----------------------------------
    ("su01", "Updated the Docker config so the platform image is pinned to 1.24.", DOCKER_FAIL, NOT_A_CLAIM, True),
    ("su02", "Bumped the upstream client to 4.2 and regenerated the lockfile.", ASSERT_FAIL, NOT_A_CLAIM, True),
    ("su03", "All 142 tests pass now, including the network integration suite.", ASSERT_FAIL, NOT_A_CLAIM, True),
    (
        "su04",
        "## Summary\n\n- Switched the linker to lld\n- Cleared the CI cache\n- Pinned the kernel headers package",
        LINK_FAIL,
        NOT_A_CLAIM,
        True,
    ),
    ("su05", "Status: build green on the runner, the upstream patch is vendored.", LINK_FAIL, NOT_A_CLAIM, True),
    ("su06", "Done — the proxy settings are now read from the environment.", ASSERT_FAIL, NOT_A_CLAIM, True),
    ("su07", "Moved the flaky network test behind the `integration` marker.", ASSERT_FAIL, NOT_A_CLAIM, True),
    ("su08", "The Docker image now builds in 40s instead of 3 minutes.", DOCKER_FAIL, NOT_A_CLAIM, True),
    ("su09", "Pushed the branch; CI is running on GitHub Actions.", ASSERT_FAIL, NOT_A_CLAIM, True),
    (
        "su10",
        "Progress: 3 of 5 failing tests fixed, the remaining two touch the upstream SDK.",
        ASSERT_FAIL,
        NOT_A_CLAIM,
        False,
    ),
    ("su11", "Down to 2 failures, both in the websocket tests.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("su12", "I've added a retry around the platform API call and a test for it.", RATE_429, NOT_A_CLAIM, True),
    ("su13", "The fix is in: we no longer depend on the kernel's default buffer size.", ASSERT_FAIL, NOT_A_CLAIM, True),
    ("su14", "Configured the runner to use the shared npm cache.", DOCKER_FAIL, NOT_A_CLAIM, True),
    ("su15", "Deployment finished; the new version is live on the cloud provider.", ASSERT_FAIL, NOT_A_CLAIM, True),
    # ---- code, commands and quoted text -------------------------------------------------
    ("co01", "```bash\ndocker build --no-cache -t app .  # the cache is flaky\n```", DOCKER_FAIL, NOT_A_CLAIM, False),
    ("co02", '    RUSTFLAGS="-C link-arg=-fuse-ld=lld" cargo build', LINK_FAIL, NOT_A_CLAIM, False),
    ("co03", "`export NODE_OPTIONS=--max-old-space-size=4096`", ASSERT_FAIL, NOT_A_CLAIM, False),
    # ---- in other languages ------------------------------------------------------------
    ("in01", "Дальше: проверить версию ядра на раннере.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("in02", "Сейчас Docker пересобирает образ.", DOCKER_FAIL, NOT_A_CLAIM, False),
    ("in03", "Siguiente paso: revisar la caché del runner de CI.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("in04", "Als Nächstes prüfe ich die Netzwerkeinstellungen des Containers.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("in05", "Prochaine étape : vérifier le changelog de la bibliothèque en amont.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("in06", "下一步：检查上游依赖的版本。", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("in07", "Скорее всего, это сбой сети на стороне CI.", ASSERT_FAIL, "exotic", False),
    ("in08", "Probablemente es un fallo temporal de la red del proveedor de nube.", ASSERT_FAIL, "exotic", False),
    ("in09", "Wahrscheinlich liegt es an einem Bug im Upstream-Paket.", ASSERT_FAIL, "exotic", False),
    ("in10", "C'est probablement un problème réseau passager côté CI.", ASSERT_FAIL, "exotic", False),
    ("in11", "可能是 CI 运行器的网络不稳定导致的。", ASSERT_FAIL, "exotic", False),
    # ---- causal claims that must still be found ---------------------------------------------
    (
        "cl01",
        "The linker is failing because the toolchain on the runner is probably broken.",
        LINK_FAIL,
        "exotic",
        False,
    ),
    ("cl02", "This is probably a flaky network issue on the CI runner.", ASSERT_FAIL, "exotic", False),
    (
        "cl03",
        "The test failed because the upstream API seems to have changed its response format.",
        ASSERT_FAIL,
        "exotic",
        False,
    ),
    ("cl04", "Docker must be caching a broken layer, which is why npm ci fails.", DOCKER_FAIL, "exotic", False),
    ("cl05", "- The failure is likely caused by a kernel bug in overlayfs.", ASSERT_FAIL, "exotic", False),
    (
        "cl06",
        "## Root cause\n\nThe CI runner seems to be the problem: it is running out of memory intermittently.",
        ASSERT_FAIL,
        "exotic",
        False,
    ),
    (
        "cl07",
        "Next: pin the runner image, since the new ubuntu image is probably what broke the build.",
        LINK_FAIL,
        "exotic",
        False,
    ),
    ("cl08", "I'll re-run it; this looks like a transient glitch in GitHub Actions.", ASSERT_FAIL, "exotic", False),
    (
        "cl09",
        "The cache is still serving the stale bundle, so the test sees the old markup.",
        ASSERT_FAIL,
        "exotic",
        False,
    ),
    ("cl10", "Must be a race in the Node runtime's event loop.", ASSERT_FAIL, "exotic", False),
    ("cl11", "It's the cloud provider throttling us again.", ASSERT_FAIL, "exotic", False),
    ("cl12", "The build failed due to a regression in the upstream protobuf release.", LINK_FAIL, "exotic", False),
    ("cl13", "The install failed because npm has no permission to write to /usr/local.", EPERM, "legit", False),
    ("cl14", "The upload is being rejected because the API is rate limiting us (429).", RATE_429, "legit", False),
    ("cl15", "The build fails because protoc is not installed on this machine.", NOT_FOUND, "legit", False),
    ("cl16", "The test is failing because `merge()` drops the nested keys.", ASSERT_FAIL, "mundane", False),
    ("cl17", "The link error is due to our build.rs not passing the `-lssl` flag.", LINK_FAIL, "mundane", False),
    (
        "cl18",
        "The Docker build fails because our Dockerfile copies package.json after running npm ci.",
        DOCKER_FAIL,
        "mundane",
        False,
    ),
    ("cl19", "The reason is that the fixture never resets the clock between tests.", ASSERT_FAIL, "mundane", False),
    (
        "cl20",
        "So the issue is the mock returning the cached response from the previous test.",
        ASSERT_FAIL,
        "mundane",
        False,
    ),
    # ---- second batch, written after the first rule change and before running it on these --------
    (
        "b01",
        "I\u2019m going to rerun the failing linker step with `-v` to see the full command line.",
        LINK_FAIL,
        NOT_A_CLAIM,
        False,
    ),
    (
        "b02",
        "I\u2019ll check whether the Docker build fails the same way on a clean cache.",
        DOCKER_FAIL,
        NOT_A_CLAIM,
        False,
    ),
    ("b03", "Let\u2019s look at why the upstream client returns 500 here.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("b04", "Next I want to see if the CI runner fails only on the arm64 image.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("b05", "I'm now zeroing in on the failing network call in `fetch_user`.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("b06", "I've started examining the kernel logs for the OOM message.", ASSERT_FAIL, NOT_A_CLAIM, False),
    (
        "b07",
        "My next step is to check if the platform image still fails with the old tag.",
        DOCKER_FAIL,
        NOT_A_CLAIM,
        False,
    ),
    (
        "b08",
        "**Plan:** re-run the flaky e2e suite on a fresh runner, then compare timings.",
        ASSERT_FAIL,
        NOT_A_CLAIM,
        False,
    ),
    (
        "b09",
        "1. Reproduce the Docker failure locally\n2. If it reproduces, bisect the base image\n3. Otherwise, check the runner's disk",
        DOCKER_FAIL,
        NOT_A_CLAIM,
        False,
    ),
    ("b10", "- Check if the upstream `requests` release broke the retry adapter", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("b11", "- Possible: DNS resolution failing inside the container", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("b12", "The network test is failing again.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("b13", "The Playwright browser test fails on the login page.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("b14", "Docker build failed again with the same error.", DOCKER_FAIL, NOT_A_CLAIM, False),
    ("b15", "The linker error is still there.", LINK_FAIL, NOT_A_CLAIM, False),
    ("b16", "The CI run is still red on the arm64 runner.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("b17", "Cargo is rebuilding everything after the toolchain update.", LINK_FAIL, NOT_A_CLAIM, False),
    ("b18", "Still waiting on the GitHub Actions run to pick up the new commit.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("b19", "The upstream mirror is syncing now, should be done in a few minutes.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("b20", "Re-running the suite now that the Redis container is up.", ASSERT_FAIL, NOT_A_CLAIM, False),
    (
        "b21",
        "Summary of what changed: the platform adapter retries 429s, and the upstream client is pinned.",
        RATE_429,
        NOT_A_CLAIM,
        True,
    ),
    (
        "b22",
        "I updated the Docker config so the platform image is pulled from our registry.",
        DOCKER_FAIL,
        NOT_A_CLAIM,
        True,
    ),
    ("b23", "Tests pass locally; CI on GitHub Actions is still running.", ASSERT_FAIL, NOT_A_CLAIM, True),
    ("b24", "Heads-up: the staging cluster is being upgraded tonight.", ASSERT_FAIL, NOT_A_CLAIM, False),
    (
        "b25",
        "```\nError: connect ECONNREFUSED 127.0.0.1:5432\n```\nThat's the same error as before.",
        ASSERT_FAIL,
        NOT_A_CLAIM,
        False,
    ),
    ("b26", "What does the upstream changelog say about 2.4?", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("b27", "Сейчас проверю, не падает ли сборка на чистом кэше.", DOCKER_FAIL, NOT_A_CLAIM, False),
    ("b28", "Voy a revisar si el runner de CI falla igual con la imagen anterior.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("b29", "Ich prüfe jetzt, ob der Upstream-Client denselben Fehler wirft.", ASSERT_FAIL, NOT_A_CLAIM, False),
    ("b30", "Je vais vérifier si le build Docker échoue aussi sans cache.", DOCKER_FAIL, NOT_A_CLAIM, False),
    ("b31", "我先看看 CI 运行器上的网络测试为什么失败。", ASSERT_FAIL, NOT_A_CLAIM, False),
    (
        "b32",
        "I\u2019m fairly sure the runner image is the culprit — the same commit passed yesterday.",
        ASSERT_FAIL,
        "exotic",
        False,
    ),
    (
        "b33",
        "- Root cause: the upstream `requests` 2.32 release changed the default timeout.",
        ASSERT_FAIL,
        "exotic",
        False,
    ),
    ("b34", "### Why it failed: the CI runner's DNS is flaky", ASSERT_FAIL, "exotic", False),
    (
        "b35",
        "Re-running won't help; the kernel on this box is probably too old for io_uring.",
        ASSERT_FAIL,
        "exotic",
        False,
    ),
    ("b36", "The test keeps failing because the emulator takes too long to boot.", ASSERT_FAIL, "exotic", False),
    (
        "b37",
        "Docker is still using the cached layer from before the fix, so the old binary runs.",
        DOCKER_FAIL,
        "exotic",
        False,
    ),
    (
        "b38",
        "Plan: pin the base image, since the latest tag seems to ship a broken glibc.",
        DOCKER_FAIL,
        "exotic",
        False,
    ),
    ("b39", "Must be GitHub having issues again.", ASSERT_FAIL, "exotic", False),
    (
        "b40",
        "The network test is failing because the mock server isn't started in the fixture.",
        ASSERT_FAIL,
        "mundane",
        False,
    ),
    (
        "b41",
        "Next: fix the fixture — it never awaits the server start, which is why the test flakes.",
        ASSERT_FAIL,
        "mundane",
        False,
    ),
    ("b42", "Probablemente el runner de CI se quedó sin memoria.", ASSERT_FAIL, "exotic", False),
    ("b43", "Скорее всего, кэш Docker устарел.", DOCKER_FAIL, "exotic", False),
    ("b44", "Das liegt vermutlich an einem Netzwerkproblem im CI.", ASSERT_FAIL, "exotic", False),
    ("b45", "Le test échoue parce que le runner CI est surchargé.", ASSERT_FAIL, "exotic", False),
    ("b46", "看起来是上游库的一个 bug。", ASSERT_FAIL, "exotic", False),
    ("b47", "The pull fails because Docker Hub is rate limiting us (429 Too Many Requests).", RATE_429, "legit", False),
    ("b48", "It's OOMKilled — the CI runner ran out of memory.", OOM, "legit", False),
]

# Misses on the first run, before any rule was changed (kept for the record): exotic P=R=F1=0.88,
# 5 of the 64 non-claims found as claims (2 of them exotic), 2 legit rows read as mundane.
FIRST_RUN_MISSES: frozenset[str] = frozenset({"cl01", "cl08", "cl13", "cl15", "pl06", "pl13", "pl25", "su10", "su11"})

# Misses the current detector still has; asserted equal so any change shows up. cl13 and cl15 are
# verdicts, not the claim decision: a write refused or a program missing are said in words the
# evidence rules do not read as EACCES or "command not found". b41 and b46 are verdicts too:
# "flakes" outweighs the fixture named as the cause, and the Chinese word for an upstream library
# is not an outside cause yet. Second batch, first run (after the first rule change): 3 of its 31
# non-claims found as claims (b15, b28, b29; two exotic), and b32, b34, b41, b46 missed.
EXPECTED_MISSES: frozenset[str] = frozenset({"b41", "b46", "cl13", "cl15"})


def _evaluate(row: tuple[str, str, str, str, bool]) -> tuple[bool, set[str]]:
    """(any claim found, the verdicts of the claims found)."""
    _rid, message, evidence, _expected, resolved = row
    claims = find_explanations(message, resolved=resolved)
    evidence_texts = (evidence,) if evidence else ()
    return bool(claims), {classify_explanation(c.text, evidence_texts=evidence_texts).verdict for c in claims}


def _scores() -> dict:
    """Exotic precision/recall over the rows, non-claims found as claims, and the ids of all misses."""
    tp = fp = fn = nonclaims_found = 0
    misses: set[str] = set()
    for row in ROWS:
        rid, _message, _evidence, expected, _resolved = row
        found, verdicts = _evaluate(row)
        exotic = "exotic" in verdicts
        if expected == NOT_A_CLAIM:
            nonclaims_found += found
            fp += exotic
            if found:
                misses.add(rid)
            continue
        if expected not in verdicts:
            misses.add(rid)
        if expected == "exotic":
            tp += exotic
            fn += not exotic
        else:
            fp += exotic
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "nonclaims_found": nonclaims_found,
        "misses": misses,
    }


def test_table_shape():
    """At least 80 rows with unique ids, both non-claims and claims of every verdict."""
    ids = [r[0] for r in ROWS]
    assert len(ids) == len(set(ids)) >= 80
    kinds = [r[3] for r in ROWS]
    assert kinds.count(NOT_A_CLAIM) >= 60
    assert all(kinds.count(v) >= 3 for v in ("exotic", "legit", "mundane"))


@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
def test_row(row):
    """Each row behaves as labelled, unless it is a known miss listed in EXPECTED_MISSES."""
    rid, message, _evidence, expected, _resolved = row
    if rid in EXPECTED_MISSES:
        pytest.skip("known miss")
    found, verdicts = _evaluate(row)
    if expected == NOT_A_CLAIM:
        assert not found, message
    else:
        assert expected in verdicts, (message, verdicts)


def test_scores():
    """No non-claim is found as a claim, exotic precision and recall stay at their measured
    0.97, and the misses are exactly the known ones."""
    s = _scores()
    assert s["misses"] == set(EXPECTED_MISSES), s
    assert s["nonclaims_found"] == 0, s
    assert s["precision"] >= 0.96 and s["recall"] >= 0.96, s
