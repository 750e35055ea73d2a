"""The explanation rules' examples, run through the audit itself, not only through their regex.

A rule's example that states a verdict (``{text = "...", verdict = "exotic"}``) must get that
verdict from :func:`classify_explanation`, with the rule's id among the verdict's rules; an
example with ``project = [...]`` is classified with those names as the session's own files and
identifiers, and must get a different verdict without them (the project decides, not a word).
Evidence examples pair an output with a claim (``claim =`` when the text is the output,
``output =`` when the text is the claim). Every non-claim example is no claim at all, and every
claim cue and hedge example is a claim naming its rule.
"""

from __future__ import annotations

import pytest

from ingest.facts.explanations import classify_explanation, find_explanations
from ingest.facts.project import ProjectContext
from ingest.rules import Rule, rules

EXPLANATION_KINDS = (
    "outside_cause",
    "own_cause",
    "deflection",
    "evidence",
    "claim_cue",
    "hedge",
    "negation",
    "non_claim",
)


def _context(names: list[str]) -> ProjectContext:
    context = ProjectContext()
    for name in names:
        if "/" in name or "." in name:
            context.add_path(name)
        else:
            context.add_repository(name)
    return context


def _verdict_cases() -> list:
    return [
        pytest.param(rule, example, id=f"{rule.id}[{index}]")
        for kind in EXPLANATION_KINDS
        for rule in rules(kind)
        for index, example in enumerate(rule.match)
        if "verdict" in example.expect
    ]


def _claim_and_output(rule: Rule, example) -> tuple[str, list[str]]:
    if "claim" in example.expect:
        return example.expect["claim"], [example.text]
    if "output" in example.expect:
        return example.text, [example.expect["output"]]
    return example.text, []


@pytest.mark.parametrize(("rule", "example"), _verdict_cases())
def test_a_rule_example_gets_its_verdict_naming_the_rule(rule: Rule, example) -> None:
    claim, outputs = _claim_and_output(rule, example)
    context = _context(example.expect["project"]) if "project" in example.expect else None
    verdict = classify_explanation(claim, outputs, context=context)
    assert verdict.verdict == example.expect["verdict"], (verdict.cues, verdict.rules)
    if context is not None:
        assert "own.project.identifier" in verdict.rules, verdict.rules
        assert classify_explanation(claim, outputs).verdict != verdict.verdict, "the project names decided nothing"
    elif rule.kind == "evidence":  # an evidence rule fires when, and only when, it makes the claim legit
        assert (rule.id in verdict.rules) == (verdict.verdict == "legit"), verdict.rules
    elif rule.kind in ("outside_cause", "own_cause"):
        assert rule.id in verdict.rules, verdict.rules


def test_some_examples_state_verdicts_of_every_decisive_kind() -> None:
    kinds = {rule.kind for rule, _example in (case.values for case in _verdict_cases())}
    assert {"outside_cause", "own_cause", "evidence"} <= kinds


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(example.text, id=f"{rule.id}[{index}]")
        for rule in rules("non_claim")
        if not rule.fields.get("heading")
        for index, example in enumerate(rule.match)
    ],
)
def test_a_non_claim_example_is_no_claim(text: str) -> None:
    assert find_explanations(text) == []


@pytest.mark.parametrize(
    "heading",
    [example.text for rule in rules("non_claim") if rule.fields.get("heading") for example in rule.match],
)
def test_nothing_under_a_summary_heading_is_a_claim(heading: str) -> None:
    text = f"## {heading}\n\n- The retry wrapper works around the flaky network because the CDN drops requests.\n"
    assert find_explanations(text) == []
    assert find_explanations(text.replace(f"## {heading}", "## Root cause"))


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        pytest.param(rule, example.text, id=f"{rule.id}[{index}]")
        for kind in ("claim_cue", "hedge")
        for rule in rules(kind)
        if rule.category not in ("strong", "trouble", "cause_part", "failure_reference", "finite")
        for index, example in enumerate(rule.match)
    ],
)
def test_a_claim_cue_or_hedge_example_is_a_claim_naming_the_rule(rule: Rule, text: str) -> None:
    claims = find_explanations(text)
    assert claims, f"{text!r} is not read as a claim"
    assert any(rule.id in claim.rules for claim in claims), [claim.rules for claim in claims]
