"""The rule loader refuses malformed rule files with a message naming the file and rule."""

from __future__ import annotations

import pytest

from ingest import rules as rules_module
from ingest.rules import RuleError, _parse, categories, fingerprint

KNOWN = {"outside_cause": ("kernel", "network")}

GOOD = """
kind = "outside_cause"
description = "test"

[[rule]]
id = "outside.kernel.futex"
category = "kernel"
pattern = '''\\bfutex\\b'''
match = ["a FUTEX wait", {text = "futex again", value_s = 3}]
no_match = ["futexes are plural"]
"""


def test_a_good_file_loads_case_insensitive_by_default() -> None:
    (rule,) = _parse("outside_cause.toml", GOOD, KNOWN)
    assert rule.id == "outside.kernel.futex"
    assert rule.weight == 1.0
    assert rule.search("FUTEX")
    assert rule.match[1].expect == {"value_s": 3}


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('category = "kernel"', 'category = "cosmic rays"'), "is not one of"),
        (("pattern = '''\\bfutex\\b'''", "pattern = '''(unclosed'''"), "does not compile"),
        (('id = "outside.kernel.futex"', 'id = "Outside Kernel"'), "dotted lower-case"),
        (('match = ["a FUTEX wait", {text = "futex again", value_s = 3}]', "match = []"), "at least one"),
        (('kind = "outside_cause"', 'kind = "wait_syntax"'), "must be 'outside_cause'"),
        (('description = "test"', 'description = "test"\nflags = "q"'), "unknown regex flag"),
        (('no_match = ["futexes are plural"]', 'no_match = ["x"]\nsynonyms = ["y"]'), "unknown keys"),
        (('match = ["a FUTEX wait",', "match = [3,"), "a string or a table"),
    ],
)
def test_malformed_rules_are_refused_by_name(edit: tuple[str, str], message: str) -> None:
    old, new = edit
    assert old in GOOD, old
    with pytest.raises(RuleError, match=message) as caught:
        _parse("outside_cause.toml", GOOD.replace(old, new), KNOWN)
    assert "outside_cause.toml" in str(caught.value)


def test_a_kind_without_categories_is_refused() -> None:
    with pytest.raises(RuleError, match="no \\[outside_cause\\] list"):
        _parse("outside_cause.toml", GOOD, {"wait_syntax": ("x",)})


def test_duplicate_ids_across_files_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    other = GOOD.replace('kind = "outside_cause"', 'kind = "second"')
    monkeypatch.setattr(rules_module, "_files", lambda: [("outside_cause.toml", GOOD), ("second.toml", other)])
    monkeypatch.setattr(rules_module, "categories", lambda: {**KNOWN, "second": ("kernel",)})
    rules_module.all_rules.cache_clear()
    try:
        with pytest.raises(RuleError, match="also defined in outside_cause.toml"):
            rules_module.all_rules()
    finally:
        rules_module.all_rules.cache_clear()


def test_every_shipped_kind_has_categories() -> None:
    for kind, names in categories().items():
        assert names and len(set(names)) == len(names), kind


def test_the_fingerprint_follows_the_rule_files(monkeypatch: pytest.MonkeyPatch) -> None:
    before = fingerprint()
    assert len(before) == 16
    edited = [(name, text + "\n# edited\n") for name, text in rules_module._files()]
    monkeypatch.setattr(rules_module, "_files", lambda: edited or [("x.toml", "edited")])
    rules_module.fingerprint.cache_clear()
    try:
        assert rules_module.fingerprint() != before
    finally:
        rules_module.fingerprint.cache_clear()
    monkeypatch.undo()
    assert rules_module.fingerprint() == before
