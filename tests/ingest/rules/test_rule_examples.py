"""Every detection rule's own examples, run rule by rule.

A rule's ``match`` examples must be found by its pattern and its ``no_match`` examples must
not: a regex edited for one case that stops matching another fails here, named by rule id.
"""

from __future__ import annotations

import pytest

from ingest.rules import Rule, all_rules

RULES = sorted(all_rules().values(), key=lambda r: r.id)


def _cases(attribute: str) -> list:
    return [
        pytest.param(rule, example.text, id=f"{rule.id}[{index}]")
        for rule in RULES
        for index, example in enumerate(getattr(rule, attribute))
    ]


@pytest.mark.parametrize(("rule", "text"), _cases("match"))
def test_rule_finds_its_match_examples(rule: Rule, text: str) -> None:
    assert rule.search(text), f"{rule.id} ({rule.kind}.toml) does not match its example {text!r}"


@pytest.mark.parametrize(("rule", "text"), _cases("no_match"))
def test_rule_skips_its_no_match_examples(rule: Rule, text: str) -> None:
    found = rule.search(text)
    assert not found, f"{rule.id} ({rule.kind}.toml) matches {found.group(0)!r} in its no_match example {text!r}"


def test_every_rule_file_loads_with_rules() -> None:
    kinds = {rule.kind for rule in RULES}
    assert kinds, "no rule file was found in ingest/rules/"
    for kind in kinds:
        assert any(rule.kind == kind for rule in RULES)
