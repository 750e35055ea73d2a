"""The literal prefilter never turns away a text a rule's pattern matches.

A prefilter that says no where the regex would have said yes silently loses a fact, so every
rule is checked on its own examples, on those examples reshaped (case changed, characters
the engine folds onto ASCII put in, text around them), and the folding table is derived
from the engine itself.
"""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.rules import Rule, all_rules, rules
from ingest.rules.prefilter import FOLDS_ONTO_ASCII, Prefiltered, factored, literal_prefilter, prefiltered_search

RULES = sorted(all_rules().values(), key=lambda r: r.id)
# The rules searched through their prefilter (whole tool outputs), and every text they give as examples.
OUTPUT_RULES = rules("check_failure_output")
EXAMPLES = [example.text for rule in OUTPUT_RULES for example in (*rule.match, *rule.no_match)]


def _agrees(rule: Rule, text: str) -> None:
    prefilter = literal_prefilter(rule.regex)
    if prefilter is not None and rule.regex.search(text):
        assert prefilter(text), f"{rule.id}: the prefilter turns away {text!r}, which the pattern matches"
    assert prefiltered_search(rule.regex)(text) == bool(rule.regex.search(text))


def test_the_folding_table_is_the_engines() -> None:
    """Every character a case-insensitive regex takes for an ASCII letter that str.lower()
    does not turn into that letter."""
    letter = re.compile("(?i)[a-z]")
    found = set()
    for code in range(128, sys.maxunicode + 1):
        char = chr(code)
        if letter.match(char) and any(char.lower() != twin for twin in _ascii_twins(char)):
            found.add(char)
    assert found == set(FOLDS_ONTO_ASCII)


def test_lower_casing_moves_no_position_but_in_a_text_with_a_folded_letter() -> None:
    """Code scanned lower-cased (ingest/facts/waits.py) keeps its match positions: only a
    character of FOLDS_ONTO_ASCII lower-cases to more than one."""
    longer = {chr(code) for code in range(sys.maxunicode + 1) if len(chr(code).lower()) != 1}
    assert longer and longer <= set(FOLDS_ONTO_ASCII)


def _ascii_twins(char: str) -> list[str]:
    """The ASCII letters a case-insensitive regex takes ``char`` for."""
    return [a for a in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(f"(?i){a}", char)]


def test_most_rules_have_a_prefilter() -> None:
    """Literal text is what makes the prefilter pay; a rule set where it never applies means
    the extraction of literals broke, not that the rules changed."""
    with_prefilter = [rule.id for rule in RULES if literal_prefilter(rule.regex) is not None]
    assert len(with_prefilter) > 0.8 * len(RULES)
    exited = next(rule for rule in RULES if rule.id == "check.output.exited_with_code")
    prefilter = literal_prefilter(exited.regex)
    assert prefilter is not None
    assert not prefilter("3 passed in 0.2s")
    assert prefilter("Process EXITED WITH CODE 2")


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_prefilter_keeps_a_rules_own_examples(rule: Rule) -> None:
    for example in (*rule.match, *rule.no_match):
        for text in (example.text, example.text.upper(), example.text.swapcase()):
            _agrees(rule, text)


@pytest.mark.parametrize("rule", OUTPUT_RULES, ids=[rule.id for rule in OUTPUT_RULES])
def test_prefilter_keeps_every_output_example(rule: Rule) -> None:
    for text in EXAMPLES:
        _agrees(rule, text)
        _agrees(rule, text.upper())


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(EXAMPLES),
    st.text(alphabet=st.sampled_from([*FOLDS_ONTO_ASCII, "K", "é", "✓", " ", "\n", "a", "Z", "-", "_"]), max_size=6),
    st.integers(min_value=0, max_value=200),
    st.booleans(),
)
def test_prefilter_keeps_reshaped_examples(example: str, noise: str, at: int, upper: bool) -> None:
    text = example.upper() if upper else example
    at = min(at, len(text))
    text = text[:at] + noise + text[at:]
    for rule in OUTPUT_RULES:
        _agrees(rule, text)


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"(?i)\btimeout\b", "the tıMEOUT hit"),  # no: dotless i is not i for the engine either
        (r"(?i)\btimeout\b", "the TİMEOUT hit"),  # dotted capital I is i for the engine
        (r"(?i)\bsleep\b", "then ſleep 5"),  # long s is s for the engine
        (r"(?i)\bkill\b", "KILL it"),  # Kelvin sign is k, and lower-cases to k
    ],
)
def test_prefilter_follows_the_engine_on_folded_letters(pattern: str, text: str) -> None:
    regex = re.compile(pattern)
    prefilter = literal_prefilter(regex)
    assert prefilter is not None
    if regex.search(text):
        assert prefilter(text)
    assert prefiltered_search(regex)(text) == bool(regex.search(text))


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_a_prefiltered_pattern_finds_what_the_pattern_finds(rule: Rule) -> None:
    scan = Prefiltered(rule.regex)
    for example in (*rule.match, *rule.no_match):
        for text in (example.text, example.text.swapcase(), f"x {example.text} y"):
            assert [m.span() for m in scan.finditer(text)] == [m.span() for m in rule.regex.finditer(text)]
            assert bool(scan.search(text)) == bool(rule.regex.search(text))


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bone\b|\btwo\b", r"\b(?:one\b|two\b)"),
        (r"\bone|二|\btwo|\bthree", r"\bone|二|\b(?:two|three)"),
        (r"\b(?:a|b)|[|(]x|\bc", r"\b(?:a|b)|[|(]x|\bc"),
        (r"\b(?:a|b)|\bc|[|(]x", r"\b(?:(?:a|b)|c)|[|(]x"),
        (r"\bonly", r"\bonly"),
        (r"(unbalanced|\bx", r"(unbalanced|\bx"),
    ],
)
def test_factored_puts_runs_of_word_boundaries_in_one_group(pattern: str, expected: str) -> None:
    assert factored(pattern) == expected


def test_factored_rules_match_what_their_patterns_match() -> None:
    """Every rule compiles factored; on its own examples it finds the very spans its pattern does."""
    for rule_ in all_rules().values():
        plain = re.compile(rule_.pattern, rule_.regex.flags)
        for example in (*rule_.match, *rule_.no_match):
            spans = [m.span() for m in plain.finditer(example.text)]
            assert [m.span() for m in rule_.regex.finditer(example.text)] == spans, (rule_.id, example.text)
