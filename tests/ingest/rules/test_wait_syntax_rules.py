"""Every wait syntax rule's examples read through the extractor, with their expected seconds.

The generic rule test only checks that a pattern finds its examples. A wait syntax is right
when the extractor reads the example's value: ``{text = "kubectl wait … --timeout=300s",
seconds = 300}`` must give a wait fact of 300 s whose ``rule_id`` is the rule's own id. An
example names how it is read: ``file`` (a code edit of that file), ``tool`` (that tool's
input JSON, the text being the tool name), a prose rule (a sentence), else a shell command.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.facts.edits import budget_site
from ingest.facts.literal_waits import literal_wait_changes
from ingest.facts.waits import (
    WaitFact,
    _kind_from_name,
    _waitish_names,
    tool_arguments,
    waits_in_command,
    waits_in_edit,
    waits_in_prose,
    waits_in_tool_call,
)
from ingest.rules import Example, Rule, rule, rules

WAIT_RULES = rules("wait_syntax")
VALUED = [
    pytest.param(rule, example, id=f"{rule.id}[{index}]")
    for rule in WAIT_RULES
    for index, example in enumerate(rule.match)
    if "seconds" in example.expect
]


def _facts(rule: Rule, example: Example) -> list[WaitFact]:
    if "tool" in example.expect:
        return waits_in_tool_call(example.text, tool_arguments(example.expect["tool"]), "go test ./...")
    if "file" in example.expect:
        return waits_in_edit(example.expect["file"], "", example.text)
    if rule.category == "prose":
        return waits_in_prose(example.text)
    return waits_in_command(example.text)


@pytest.mark.parametrize(("rule", "example"), VALUED)
def test_wait_syntax_example_reads_its_seconds(rule: Rule, example: Example) -> None:
    facts = _facts(rule, example)
    found = [fact.seconds for fact in facts if fact.rule_id == rule.id]
    assert found, (
        f"{rule.id}: no fact of this rule in {example.text!r} (facts: {[(f.rule_id, f.seconds) for f in facts]})"
    )
    assert any(seconds == pytest.approx(example.expect["seconds"]) for seconds in found), (
        f"{rule.id}: {example.text!r} read as {found}, expected {example.expect['seconds']}"
    )


NAMED = [
    pytest.param(rule, example, id=f"{rule.id}[{index}]")
    for rule in WAIT_RULES
    for index, example in enumerate(rule.match)
    if "kind" in example.expect
]


@pytest.mark.parametrize(("rule", "example"), NAMED)
def test_wait_name_example_gets_its_kind(rule: Rule, example: Example) -> None:
    assert _kind_from_name(example.text) == example.expect["kind"] == rule.fields["kind"]


def test_valued_examples_cover_every_category_that_reads_a_value() -> None:
    covered = {rule.category for rule, *_ in (param.values for param in VALUED)}
    assert {"program", "flag", "key", "env", "call", "tool_budget", "poll", "prose"} <= covered


def test_a_changed_duration_literal_names_its_rule() -> None:
    facts = literal_wait_changes("a_test.go", "}, 5*time.Second, tick)", "}, 10*time.Second, tick)")
    assert [(fact.old_seconds, fact.seconds, fact.rule_id) for fact in facts] == [(5, 10, "wait.key.literal")]


def test_every_fact_of_a_mixed_command_names_a_wait_syntax_rule() -> None:
    command = (
        "E2E_TIMEOUT=600 timeout 900 sh -c 'for i in $(seq 1 30); do curl -sf -m 5 localhost:8080/health "
        "&& break; sleep 2; done' && kubectl wait --for=condition=Ready pod/api --timeout=5m"
    )
    facts = waits_in_command(command)
    ids = {rule.id for rule in WAIT_RULES}
    assert facts and all(fact.rule_id in ids for fact in facts), [(f.construct, f.rule_id) for f in facts]
    by_rule = {fact.rule_id: fact.seconds for fact in facts}
    assert by_rule["wait.env.assignment"] == 600
    assert by_rule["wait.program.timeout"] == 900
    assert by_rule["wait.flag.short.curl"] == 5
    assert by_rule["wait.loop.retry"] == 60
    assert by_rule["wait.flag.duration"] == 300


def test_tool_budget_site_is_the_program_it_runs() -> None:
    first = waits_in_tool_call("Bash", {"command": "mvn -q verify", "timeout": 60000}, "mvn -q verify")
    second = waits_in_tool_call("Bash", {"command": "mvn verify -pl api", "timeout": 120000}, "mvn verify -pl api")
    assert [f.seconds for f in first + second] == [60, 120]
    assert first[0].site_key == second[0].site_key == "mvn verify [Bash timeout]"


@pytest.mark.parametrize(
    ("command", "site"),
    [
        ("go build ./services/handset/... 2>&1", "go build"),
        ("cd /src/app && go build ./services/handset/... ./services/graphql/... 2>&1", "go build"),
        ('for i in 5 6 7; do gt deacon heartbeat "cycle $i" | grep -E "ok" && sleep 60; done', "gt deacon"),
        ('for i in {13..20}; do gt deacon heartbeat "cycle $i" >/dev/null; sleep 300; done', "gt deacon"),
        ("timeout 600 pytest tests/e2e -q 2>&1 | tail -20", "pytest"),
        ("python -u train.py --epochs 3", "python train.py"),
        ("python -m pytest tests/unit", "python -m pytest"),
        ("cd web && npm run test:e2e", "npm run test:e2e"),
        ("bash -lc 'sleep 5 && make check'", "make check"),
    ],
)
def test_budget_site_names_the_program_and_its_subcommand(command: str, site: str) -> None:
    assert budget_site(command) == site


def test_polls_of_different_background_runs_are_different_sites() -> None:
    polls = [
        waits_in_tool_call("TaskOutput", {"task_id": task, "block": True, "timeout": ms})
        for task, ms in (("b1", 10000), ("b2", 60000), ("b1", 120000))
    ]
    assert [p[0].site_key for p in polls] == [
        "TaskOutput task_id=b1 [TaskOutput timeout]",
        "TaskOutput task_id=b2 [TaskOutput timeout]",
        "TaskOutput task_id=b1 [TaskOutput timeout]",
    ]
    codex = waits_in_tool_call("write_stdin", {"session_id": 48066, "chars": "", "yield_time_ms": 30000})
    assert codex[0].site_key == "write_stdin session_id=48066 [write_stdin yield_time_ms]"


@pytest.mark.parametrize(
    "arguments",
    [{}, {"timeout": None}, {"timeout": True}, {"timeout": "soon"}, {"timeout": [1]}, {"timeout": -5}],
)
def test_tool_budget_ignores_absent_or_malformed_values(arguments: dict) -> None:
    assert [f.seconds for f in waits_in_tool_call("Bash", arguments, "x") if f.seconds] == []


@pytest.mark.parametrize("text", ["", "not json", "[1, 2]", '"a string"', "{"])
def test_tool_arguments_never_raise(text: str) -> None:
    assert tool_arguments(text) == {}


REQUIRING = [pytest.param(rule, id=rule.id) for rule in WAIT_RULES if "requires" in rule.fields]


def test_some_wait_rule_names_the_words_its_matches_require() -> None:
    assert REQUIRING, "wait.key.code has a `requires` prefilter; the tests below check it"


@pytest.mark.parametrize("rule", REQUIRING)
def test_a_rules_prefilter_is_a_group_every_match_goes_through(rule: Rule) -> None:
    """A text without the ``requires`` words is never searched with the pattern, so the words
    must be a group no match can skip: the same alternation, under the same flags, written in
    the pattern outside any optional part (the name's wait word)."""
    requires = str(rule.fields["requires"])
    assert requires.startswith("(?i)") and rule.pattern.startswith("(?i)")
    words = requires.removeprefix("(?i)")
    assert f")?(?:{words})[" in rule.pattern  # after the optional name prefix, before its tail
    prefilter = re.compile(requires)
    for example in [*rule.match, *rule.no_match]:
        found = rule.search(example.text)
        if found:
            assert prefilter.search(found.group(0)), example.text
    assert not rule.search("port = 8080\nretries: 5\nname = 'x'")


KEY_VALUE_CODE = [
    "client = httpx.Client(timeout=10)\nretries = 3\n",
    "export const WAIT_MS = 500; // sleep\nconst pollInterval: number = 2;\n",
    "deploy:\n  timeoutSeconds: 5\n  periodSeconds: 10\n",
    "x.wait_time == 3\nWAITIMEOUT = 7\n'grace': 30, \"Backoff\" : 2\n",
    "TİMEOUT = 3\nſleep_s = 4\ntıme_out = 5\n",  # letters the engine folds onto ASCII
    "timeout\n= 5\nsleep:\n  3\n",  # a name and its value on different lines
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*KEY_VALUE_CODE, "\n", " ", "a", "=", ":", "'", "Timeout", "ſ"]), max_size=8))
def test_wait_names_are_the_patterns_matches(pieces: list[str]) -> None:
    """Scanning only the lines with a wait word finds exactly what the pattern finds in the text."""
    text = "".join(pieces)
    assert [m.span() for m in _waitish_names(text)] == [m.span() for m in rule("wait.key.code").regex.finditer(text)]


@pytest.mark.parametrize("text", KEY_VALUE_CODE)
def test_wait_names_in_code(text: str) -> None:
    spans = [m.span() for m in _waitish_names(text)]
    assert spans == [m.span() for m in rule("wait.key.code").regex.finditer(text)]
    assert spans  # every sample has one
