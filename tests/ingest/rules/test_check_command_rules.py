"""Check command rules' examples read through the check detector.

A ``check_command`` example with ``command`` is a whole command line: ``check = true`` means
:func:`ingest.facts.edits.is_verification_command` must count it as a check, ``check = false``
that it must not (a wrapper around an install, a probe of a public URL, a ``cd build``).
"""

from __future__ import annotations

import pytest

from ingest.facts.edits import is_verification_command
from ingest.rules import Example, Rule, rules

CASES = [
    pytest.param(rule, example, id=f"{rule.id}[{index}]")
    for rule in rules("check_command")
    for index, example in enumerate(rule.match)
    if "command" in example.expect
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_check_command_example(rule: Rule, example: Example) -> None:
    command = example.expect["command"]
    assert is_verification_command(command) is example.expect["check"], f"{rule.id}: {command!r}"


def test_examples_cover_checks_and_non_checks() -> None:
    verdicts = {example.expect["check"] for _, example in (param.values for param in CASES)}
    assert verdicts == {True, False}
