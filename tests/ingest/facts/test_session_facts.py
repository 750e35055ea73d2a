"""The per-session fact extractor and its helpers, table-tested on plain event dicts."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from ingest.facts.literal_waits import is_wait_only_edit, literal_wait_changes
from ingest.facts.session_facts import (
    check_key,
    command_check_key,
    extract_session_facts,
    file_changes,
    line_hash,
    project_path,
    sed_substitutions,
)
from ingest.facts.waits import waits_in_edit
from ingest.rules import all_rules

EVENTUALLY = '\t}}, {}, 250*time.Millisecond).Should(BeTrue(), "one leader")'


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (EVENTUALLY.format("5*time.Second"), EVENTUALLY.format("10*time.Second"), (5.0, 10.0)),
        (EVENTUALLY.format("90*time.Second"), EVENTUALLY.format("3*time.Minute"), (90.0, 180.0)),
        (
            "\treturn ctrl.Result{RequeueAfter: 30 * time.Second}, nil",
            "\treturn ctrl.Result{RequeueAfter: 10 * time.Second}, nil",
            (30.0, 10.0),
        ),
        ("Duration timeout = Duration.ofSeconds(30);", "Duration timeout = Duration.ofSeconds(60);", (30.0, 60.0)),
        ("  await page.waitForTimeout(500ms)", "  await page.waitForTimeout(2s)", (0.5, 2.0)),
    ],
)
def test_duration_literal_changed_in_place(old, new, expected):
    [fact] = literal_wait_changes("x.go", old, new)
    assert (fact.old_seconds, fact.seconds) == expected
    assert fact.site_key.startswith("x.go::") and "<D>" in fact.site_key


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("retries = 3", "retries = 5"),  # a bare number says nothing about time
        ("x := 5*time.Second", "y := 10*time.Second"),  # another name: not the same line
        ("x := 5*time.Second", "x := 5*time.Second"),
    ],
)
def test_not_a_duration_literal_change(old, new):
    assert literal_wait_changes("x.go", old, new) == []


@pytest.mark.parametrize(
    ("old", "new", "wait_only"),
    [
        ("    time.sleep(1)\n", "    time.sleep(5)\n", True),
        ("    time.sleep(1)\n", "    # the fixture needs a moment\n    time.sleep(5)\n", True),
        ("    time.sleep(1)\n    check()\n", "    time.sleep(5)\n    check(strict=True)\n", False),
        ("    check()\n", "    time.sleep(2)\n    check()\n", False),  # a new sleep is new code, not a value change
        ("    check()\n", "    check(strict=True)\n", False),
    ],
)
def test_wait_only_edit(old, new, wait_only):
    facts = waits_in_edit("tests/conftest.py", old, new) or literal_wait_changes("tests/conftest.py", old, new)
    assert is_wait_only_edit(old, new, facts) is wait_only


@pytest.mark.parametrize(
    ("path", "project", "expected"),
    [
        ("/home/a/src/shop/app/x.py", "/home/a/src/shop", ("app/x.py", True)),
        ("app/x.py", "/home/a/src/shop", ("app/x.py", True)),
        ("/home/a/.zshrc", "/home/a/src/shop", ("/home/a/.zshrc", False)),
        ("/home/a/src/shop/node_modules/lib/index.js", "/home/a/src/shop", ("node_modules/lib/index.js", False)),
        ("../other/x.py", "/home/a/src/shop", ("../other/x.py", False)),
        ("/tmp/x.py", None, ("/tmp/x.py", False)),
    ],
)
def test_project_path(path, project, expected):
    assert project_path(path, project) == expected


def test_a_second_full_write_counts_only_the_lines_it_changed():
    known: dict[str, str] = {}
    [first] = file_changes({"file_path": "a.py", "new_text": "one\ntwo\nthree\n"}, known)
    [second] = file_changes({"file_path": "a.py", "new_text": "one\n2\nthree\n"}, known)
    assert first.added == ["one", "two", "three"] and first.removed == []
    assert (second.added, second.removed) == (["2"], ["two"])


def test_a_patch_applied_through_the_shell_is_an_edit():
    command = (
        "apply_patch <<'PATCH'\n*** Begin Patch\n*** Update File: app/x.py\n@@\n-    return 1\n"
        "+    return 2\n*** End Patch\nPATCH"
    )
    [change] = file_changes({"command": command}, {})
    assert (change.path, change.added, change.removed) == ("app/x.py", ["    return 2"], ["    return 1"])
    assert file_changes({"command": "pytest -q"}, {}) is None


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            "sed -i 's/timeout: 30s/timeout: 60s/' deploy/worker.yaml",
            [("deploy/worker.yaml", "timeout: 30s", "timeout: 60s")],
        ),
        (
            "sed -i.bak -e 's|5\\*time.Second|10*time.Second|g' a_test.go b_test.go && go test ./...",
            [("a_test.go", "5*time.Second", "10*time.Second"), ("b_test.go", "5*time.Second", "10*time.Second")],
        ),
        ("sed -i '' 's/sleep 5/sleep 10/' run.sh", [("run.sh", "sleep 5", "sleep 10")]),
        ("sed -n '1,20p' a.go", []),
        ("sed 's/a/b/' x.txt > y.txt", []),
    ],
)
def test_sed_substitutions_are_edits(command, expected):
    assert [(c.path, c.old_text, c.new_text) for c in sed_substitutions(command)] == expected


def test_check_key_ignores_options():
    assert check_key("go test ./e2e -run TestX -v -count=<D>") == "go test ./e2e TestX"
    assert check_key("go test ./e2e -run TestX") == "go test ./e2e TestX"


def test_line_hash_ignores_surrounding_whitespace():
    assert line_hash("  return x\n") == line_hash("return x") != line_hash("return y")


# ---------------------------------------------------------------------------- whole sessions

T0 = datetime(2026, 10, 5, 9, 0, 0)


def events(*specs) -> list[dict]:
    """Event dicts as the refresh reads them, a few seconds apart."""
    rows = []
    for index, (kind, fields) in enumerate(specs):
        rows.append(
            {
                "event": kind,
                "agent": "claude",
                "session_id": "s1",
                "user_name": "dev",
                "project": "/src/shop",
                "git_branch": "main",
                "ts": T0 + timedelta(seconds=5 * index),
                "source_path": "/logs/s1.jsonl",
                "line_no": index + 1,
                "byte_offset": 100 * index,
                "seq": 0,
                **fields,
            }
        )
    return rows


def prompt(text, uuid=None):
    return ("message", {"role": "user", "kind": "text", "text": text, "uuid": uuid})


def say(text, uuid=None):
    return ("message", {"role": "assistant", "kind": "text", "text": text, "uuid": uuid})


def shell(call_id, command):
    return ("call", {"call_id": call_id, "name": "Bash", "command": command})


def result(call_id, text, exit_code=0, is_error=False):
    return (
        "result",
        {"call_id": call_id, "text": text, "exit_code": exit_code, "is_error": is_error or exit_code != 0},
    )


def edit(call_id, path, old, new):
    return ("call", {"call_id": call_id, "name": "Edit", "file_path": path, "old_text": old, "new_text": new})


CLAIM = "This is probably a kernel scheduler hiccup on the runner, so the test timed out."


def test_copies_of_events_count_once():
    facts = extract_session_facts(
        events(
            prompt("run the tests", uuid="p1"),
            prompt("run the tests", uuid="p1"),
            shell("c1", "pytest -q"),
            shell("c1", "pytest -q"),
            result("c1", "3 passed in 0.1s"),
            result("c1", "3 passed in 0.1s"),
        )
    )
    assert len(facts.prompts) == 1 and len(facts.commands) == 1
    assert facts.commands[0]["failed"] is False and facts.commands[0]["is_verification"]


def test_explanations_need_a_failure_since_the_prompt():
    facts = extract_session_facts(
        events(
            prompt("why is CI set up with two runners?"),
            say(CLAIM),
            shell("c1", "pytest -q"),
            result("c1", "FAILED tests/test_a.py::test_x\n1 failed in 0.3s", exit_code=1),
            say(CLAIM),
            prompt("fix that"),
            say(CLAIM),
            prompt("now something else"),
            say(CLAIM),
        )
    )
    assert [row["ord"] for row in facts.explanations] == [4, 6]


def test_a_refused_edit_changes_nothing_and_an_exotic_claim_is_refuted_by_the_next_fix():
    facts = extract_session_facts(
        events(
            prompt("fix the test"),
            shell("c1", "pytest -q"),
            result("c1", "1 failed in 0.2s", exit_code=1),
            say(CLAIM),
            edit("e1", "/src/shop/app/x.py", "a", "b"),
            result("e1", "String not found", is_error=True),
            edit("e2", "/src/shop/app/x.py", "c = 1", "c = 2"),
            result("e2", "updated"),
        )
    )
    assert [row["call_id"] for row in facts.edits] == ["e2"]
    assert facts.edits[0]["file_path"] == "app/x.py" and facts.edits[0]["in_project"]
    assert [row["delta"] for row in facts.edit_lines] == [1, -1]
    [explanation] = facts.explanations
    assert explanation["verdict"] == "exotic" and explanation["refuted"]


def test_user_bug_reports_and_activity_spans():
    facts = extract_session_facts(events(prompt("the export still fails for refunds"), prompt("add a README")))
    assert [row["is_report"] for row in facts.prompts] == [True, False]
    assert [row["cue"] for row in facts.user_reports] == ["still fails"]
    [span] = facts.active_spans
    assert span["events"] == 2 and span["span_end"] - span["span_start"] == timedelta(seconds=5)


def test_a_user_report_opens_the_explanation_window_a_failed_check_opens():
    facts = extract_session_facts(
        events(
            prompt("add a sync button"),
            say(NETWORK_CLAIM),  # no failure yet: not an explanation
            prompt("the sync page stays blank after I log in"),
            say(NETWORK_CLAIM),  # nothing the person said shows the network: exotic
            prompt("Run the sync job and explain each failure."),  # a request: closes the window
            say(NETWORK_CLAIM),
        )
    )
    assert [row["is_report"] for row in facts.prompts] == [False, True, False]
    [explanation] = facts.explanations
    assert explanation["ord"] == 3 and explanation["verdict"] == "exotic"
    assert explanation["evidence"] == "the sync page stays blank after I log in"
    [report] = facts.user_reports
    assert (report["ord"], report["category"], report["cue"]) == (2, "symptom", "stays blank")
    assert json.loads(report["cues"]) == {"category": "symptom", "rules": ["report.symptom.stays"]}


def test_pasted_output_is_the_evidence_of_the_explanations_after_it():
    pasted = "sync fails:\nrequests.exceptions.ConnectionError: dial tcp 10.0.0.5:443: i/o timeout"
    facts = extract_session_facts(events(prompt(pasted), say(NETWORK_CLAIM)))
    [report] = facts.user_reports
    assert (
        report["category"] == "pasted_output" and "report.pasted.exception_line" in json.loads(report["cues"])["rules"]
    )
    [explanation] = facts.explanations
    assert explanation["verdict"] == "legit" and "i/o timeout" in explanation["evidence"]


def test_injected_blocks_are_no_prompt_and_templates_keep_the_rules_that_dismissed_them():
    facts = extract_session_facts(
        events(
            prompt("<task-notification><status>failed</status></task-notification>"),
            prompt("You are a release agent. If the build fails, retry it once. You MUST NEVER push."),
        )
    )
    [template] = facts.prompts
    assert not template["is_report"] and not facts.user_reports
    assert json.loads(template["cues"])["category"] == "template"


def test_a_check_is_keyed_by_what_it_verifies_not_by_its_setup():
    plain = "timeout 30 sh -c 'until curl -sf localhost:8080/health; do sleep 1; done' && pytest tests/e2e -q"
    with_setup = "docker compose up -d api && " + plain.replace("30", "600")
    assert command_check_key(plain, "") == command_check_key(with_setup, "") == "pytest tests/e2e"
    # a probe of a service is a check: the sleep before it is not part of what is checked
    assert command_check_key("sleep 30 && curl localhost", "sleep <D> && curl localhost") == "curl localhost"


NETWORK_CLAIM = "This is probably a network blip between the runner and the registry."


def test_evidence_is_the_output_of_the_failure_explained_not_of_an_earlier_one():
    facts = extract_session_facts(
        events(
            prompt("deploy and test"),
            shell("c1", "pytest -q tests/test_sync.py"),
            result(
                "c1",
                "E   requests.exceptions.ConnectionError: dial tcp 10.0.0.5:443: i/o timeout\n1 failed in 5.1s",
                exit_code=1,
            ),
            say(NETWORK_CLAIM),
            edit("e1", "/src/shop/app/sync.py", "retries = 1", "retries = 3"),
            shell("c2", "pytest -q tests/test_sync.py"),
            result("c2", "E   AssertionError: assert 3 == 4\n1 failed in 0.3s", exit_code=1),
            say(NETWORK_CLAIM),
        )
    )
    assert [row["verdict"] for row in facts.explanations] == ["legit", "exotic"]


def test_once_checks_pass_the_turns_failures_are_the_evidence():
    facts = extract_session_facts(
        events(
            prompt("run everything"),
            shell("c1", "go test ./internal/cache/..."),
            result("c1", "cache_test.go:31: warm: dial tcp 10.0.4.21:6379: i/o timeout\nFAIL", exit_code=1),
            shell("c2", "go test ./internal/units/..."),
            result("c2", "ok  \tgithub.com/x/units\t0.005s"),
            say("Everything passes except the cache warm-up test, which needs the staging VPN."),
        )
    )
    [explanation] = facts.explanations
    assert explanation["verdict"] == "legit"


@pytest.mark.parametrize(
    ("text", "is_report"),
    [
        ('Another one: amounts over a thousand come out as "1,234.50" in quotes.', True),
        ("Refunds show up as positive amounts.", True),
        ("Make the total show up as bold.", False),
        ("The total should show up as bold.", False),
    ],
)
def test_a_report_of_what_the_user_observed(text, is_report):
    facts = extract_session_facts(events(prompt(text)))
    assert facts.prompts[0]["is_report"] is is_report


def test_a_check_piped_into_tail_is_judged_by_its_output():
    facts = extract_session_facts(
        events(
            prompt("run the tests"),
            shell("c1", "pytest -q 2>&1 | tail -5"),
            result("c1", "FAILED tests/test_a.py::test_x\n1 failed in 0.3s"),
            shell("c2", "pytest -q 2>&1 | tail -5"),
            result("c2", "3 passed in 0.2s"),
            shell("c3", "cat notes.txt | tail -5"),
            result("c3", "Error: remember to rotate keys"),
        )
    )
    assert [row["failed"] for row in facts.commands] == [True, False, False]


def tool_shell(call_id, command, name="Bash", **arguments):
    """A shell tool call with the input the agent gave it (a time budget, run_in_background)."""
    return (
        "call",
        {
            "call_id": call_id,
            "name": name,
            "command": command,
            "input_json": json.dumps({"command": command, **arguments}),
        },
    )


def test_a_tool_budget_raised_after_the_tool_timed_out_is_an_escalation_step():
    facts = extract_session_facts(
        events(
            prompt("mvn verify hangs, make the build pass"),
            tool_shell("c1", "mvn -q verify -pl ledger", timeout=60000),
            ("result", {"call_id": "c1", "text": "Command timed out after 1m 0s\n[INFO] Running", "is_error": True}),
            tool_shell("c2", "mvn -q verify -pl ledger", timeout=120000),
            ("result", {"call_id": "c2", "text": "Command timed out after 2m 0s", "is_error": True}),
            tool_shell("c3", "ls target", timeout=120000),
            result("c3", "classes"),
        )
    )
    budgets = [(w["seconds"], w["construct"], w["rule_id"]) for w in facts.waits]
    assert (
        budgets
        == [(60, "Bash timeout", "wait.tool.claude_bash_timeout")] * 1
        + [(120, "Bash timeout", "wait.tool.claude_bash_timeout")] * 2
    )
    first, second, listing = facts.commands
    assert first["check_key"] == second["check_key"] == "mvn verify ledger"
    assert (first["failed"], first["has_wait"], second["failed"]) == (True, True, True)
    assert (listing["failed"], listing["has_wait"]) == (False, False)  # a budget alone is not a wait that ran out


def test_codex_timeout_ms_and_yield_time_are_waits_of_the_command():
    facts = extract_session_facts(
        events(
            tool_shell("c1", "terraform -chdir=infra apply -auto-approve", name="shell", timeout_ms=180000),
            ("result", {"call_id": "c1", "text": "command timed out after 180037 milliseconds", "exit_code": 124}),
            tool_shell("c2", "npm test", name="exec_command", yield_time_ms=30000),
            result("c2", "Tests: 3 passed, 3 total"),
            (
                "call",
                {"call_id": "c3", "name": "write_stdin", "input_json": '{"session_id": 7, "yield_time_ms": 5000}'},
            ),
        )
    )
    assert [(w["seconds"], w["kind"], w["site_key"]) for w in facts.waits] == [
        (180, "timeout", "terraform apply [shell timeout_ms]"),  # the program the budget bounds
        (30, "poll", "npm test [exec_command yield_time_ms]"),
        (5, "poll", "write_stdin session_id=7 [write_stdin yield_time_ms]"),  # the run it polls
    ]
    assert facts.commands[0]["is_verification"] and facts.commands[0]["failed"]


def test_polls_of_a_background_check_carry_its_check_and_its_verdict():
    failing = "Failed!  - Failed:     1, Passed:    41, Skipped:     0, Total:    42"
    facts = extract_session_facts(
        events(
            tool_shell("b1", "dotnet test tests/Payments > /tmp/tasks/r1.output 2>&1", run_in_background=True),
            result("b1", "Command running in background with ID: r1. Output is being written to: /tmp/tasks/r1.output"),
            shell("p1", "sleep 10 && tail -5 /tmp/tasks/r1.output"),
            result("p1", failing),
            shell("p2", "sleep 30 && tail -5 /tmp/tasks/r1.output"),
            result("p2", "Passed!  - Failed:     0, Passed:    42"),
        )
    )
    launch, poll1, poll2 = facts.commands
    assert launch["failed"] is None  # started, not finished
    assert poll1["check_key"] == poll2["check_key"] == launch["check_key"] == "dotnet test tests/Payments"
    assert [poll1["is_verification"], poll1["failed"], poll2["failed"]] == [True, True, False]
    assert [(w["seconds"], w["kind"]) for w in facts.waits] == [(10, "wait"), (30, "wait")]


def test_or_true_hides_the_exit_status_of_a_check():
    facts = extract_session_facts(
        events(
            shell("c1", "npx playwright test || true"),
            result("c1", "  1 failed\n    [chromium] › checkout.spec.ts:12:1 › pays\n  4 passed (9.1s)"),
            shell("c2", "ls || true"),
            result("c2", "Error: not really"),
        )
    )
    assert [row["failed"] for row in facts.commands] == [True, False]


def test_a_codex_command_still_running_when_its_tool_yields_has_no_verdict_yet():
    facts = extract_session_facts(
        events(
            tool_shell("c1", "mix test", name="exec_command", yield_time_ms=30000),
            result("c1", "Wall time: 30.0 seconds\nProcess running with session ID 48066\nOutput:\nCompiling 3 files"),
        )
    )
    assert facts.commands[0]["failed"] is None


def read(call_id, path):
    return ("call", {"call_id": call_id, "name": "Read", "file_path": path})


BLAME_THE_DAEMON = "The sync daemon is probably dropping the batch, so the test times out."


def _explanation_after(*before) -> dict:
    facts = extract_session_facts(
        events(
            prompt("fix the sync test"),
            *before,
            shell("c1", "pytest -q tests/test_sync.py"),
            result("c1", "FAILED tests/test_sync.py::test_batch - TimeoutError\n1 failed in 5.0s", exit_code=1),
            say(BLAME_THE_DAEMON),
        )
    )
    [row] = facts.explanations
    return row


def test_a_cause_naming_what_the_session_edited_is_our_code_and_the_cues_name_the_rules():
    outside = _explanation_after()
    ours = _explanation_after(
        read("r1", "/src/shop/sync/daemon.py"),
        edit("e1", "/src/shop/sync/daemon.py", "def flush(self):\n    pass", "def flush(self):\n    self.send()"),
    )
    assert outside["verdict"] == "exotic" and ours["verdict"] == "mundane"
    outside_cues, our_cues = json.loads(outside["cues"]), json.loads(ours["cues"])
    assert "outside.structural.component" in outside_cues["rules"] and "claim.hedge.adverb" in outside_cues["rules"]
    assert "own.project.identifier" in our_cues["rules"]
    assert any(cue.startswith("outside(tool):") for cue in outside_cues["cues"])
    assert all(rule_id in all_rules() for rule_id in outside_cues["rules"] + our_cues["rules"])


def test_a_file_read_outside_the_project_makes_nothing_ours():
    row = _explanation_after(read("r1", "/usr/lib/python3/site-packages/sync/daemon.py"))
    assert row["verdict"] == "exotic"


def test_a_claim_in_russian_after_a_failed_check_is_an_explanation():
    facts = extract_session_facts(
        events(
            prompt("запусти тесты"),
            shell("c1", "pytest -q"),
            result("c1", "FAILED tests/test_sync.py::test_upload - TimeoutError\n1 failed in 30.2s", exit_code=1),
            say("Тест упал по таймауту. Скорее всего, это проблема с сетью на раннере."),
        )
    )
    [row] = facts.explanations
    assert row["text"] == "Скорее всего, это проблема с сетью на раннере." and row["verdict"] == "exotic"
    assert "claim.hedge.intl" in json.loads(row["cues"])["rules"]


def test_after_the_checks_pass_a_deploy_note_explains_nothing():
    facts = extract_session_facts(
        events(
            prompt("deploy it"),
            shell("c1", "pytest -q"),
            result("c1", "FAILED tests/test_a.py::test_x\n1 failed in 0.3s", exit_code=1),
            edit("e1", "/src/shop/app/x.py", "c = 1", "c = 2"),
            shell("c2", "pytest -q"),
            result("c2", "3 passed in 0.2s"),
            say("Deployed to staging; DNS propagation through the CDN may lag for a bit."),
            say("The first failure was probably a transient network blip."),
        )
    )
    assert [row["text"] for row in facts.explanations] == ["The first failure was probably a transient network blip."]


@pytest.mark.parametrize("tool", ["Bash", "exec_command", "shell", "run_shell_command"])
def test_shell_edits_of_every_shell_tool_are_edits_with_their_waits(tool):
    rows = events(
        prompt("the worker test fails"),
        ("call", {"call_id": "c1", "name": tool, "command": "pytest -q"}),
        result("c1", "1 failed, 3 passed", exit_code=1),
        (
            "call",
            {
                "call_id": "c2",
                "name": tool,
                "command": "sed -i 's/timeout: 30s/timeout: 60s/' values.yaml && pytest -q",
            },
        ),
        result("c2", "1 failed, 3 passed", exit_code=1),
        ("call", {"call_id": "c3", "name": tool, "command": "cat > /src/shop/app/x.py <<'EOF'\nx = 1\nEOF"}),
        result("c3", ""),
        ("call", {"call_id": "c4", "name": tool, "command": "sed -i 's/a/b/' gone.yaml"}),
        result("c4", "sed: can't read gone.yaml: No such file or directory", exit_code=2),
    )
    facts = extract_session_facts(rows)
    assert [(e["file_path"], e["op"], e["in_project"], e["call_id"]) for e in facts.edits] == [
        ("values.yaml", "sed", True, "c2"),
        ("app/x.py", "write", True, "c3"),
    ]
    [wait] = [w for w in facts.waits if w["source"] == "edit"]
    assert (wait["file_path"], wait["old_seconds"], wait["seconds"]) == ("values.yaml", 30, 60)
    assert facts.edits[0]["ord"] == 3  # the edit is placed at its call, before the check of the same command
