"""A cheap test a text must pass before a rule's regex can match it: literal text every match holds.

Most rule patterns hold plain characters no match can do without, or a choice of branches that
each do: ``\\bexit(?:ed)? (?:status|code)…|returned non-zero exit status``. A text that contains
none of them is not searched. Python's regex engine skips ahead quickly only for a pattern that starts
with a literal; one that starts with ``\\b`` or a lookbehind is tried at every position, so on
long tool outputs the substring test is tens of times cheaper than the search it saves.

Only literals the pattern cannot avoid are used (not those of an optional part, a lookaround or
a group with flags of its own); a pattern without any is always searched. A case-sensitive
pattern's literals are looked for with ``in``; a case-insensitive one's in the lower-cased text
when both are ASCII, else with a regex of those literals under the same flag (the same engine,
so the same case folding).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

# The characters a case-insensitive regex takes for an ASCII letter that str.lower() does not map
# to that letter (dotted and dotless i, long s); a test derives them from the engine.
FOLDS_ONTO_ASCII = ("\u0130", "\u0131", "\u017f")
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}


def _required_literals(items) -> list[str] | None:
    """Literals one of which is in the text of every match of ``items`` (a parsed sequence), or
    None. Every item of a sequence is in every match, so any one of them will do: a run of plain
    characters, a choice whose every branch has such literals, a group without flags of its own,
    a part repeated at least once. The longest such is taken. Lookarounds and everything else
    are passed over (their text is not tested)."""
    best: list[str] | None = None

    def consider(found: list[str] | None) -> None:
        nonlocal best
        if found and all(found) and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found

    run: list[str] = []
    for op, argument in items:
        if op is sre.LITERAL:
            run.append(chr(argument))
            continue
        if run:
            consider(["".join(run)])
            run = []
        if op is sre.BRANCH:
            choices: list[str] = []
            for branch in argument[1]:
                found = _required_literals(branch)
                if not found:
                    break
                choices += found
            else:
                consider(choices)
        elif op is sre.SUBPATTERN and not argument[1] and not argument[2]:
            consider(_required_literals(argument[3]))
        elif op in _REPEATS and argument[0] >= 1:
            consider(_required_literals(argument[2]))
    if run:
        consider(["".join(run)])
    return best


def literal_prefilter(pattern: re.Pattern[str]) -> Callable[[str], bool] | None:
    """A function that is False only for texts ``pattern`` cannot match, or None when the
    pattern has no literal to test for."""
    literals = _required_literals(_parser.parse(pattern.pattern, pattern.flags))
    if not literals:
        return None
    unique = tuple(dict.fromkeys(literals))
    if not pattern.flags & re.IGNORECASE:
        return lambda text: any(literal in text for literal in unique)
    search = re.compile("|".join(re.escape(literal) for literal in unique), re.IGNORECASE).search
    if not all(literal.isascii() for literal in unique):
        return lambda text: search(text) is not None
    lowered = tuple(literal.lower() for literal in unique)

    def found(text: str) -> bool:
        # Ignoring the case of ASCII literals is comparing lower-case forms, except in a text
        # holding one of the few characters the engine folds onto an ASCII letter that
        # str.lower() maps elsewhere: there the regex decides.
        if text.isascii() or not any(char in text for char in FOLDS_ONTO_ASCII):
            folded = text.lower()
            return any(literal in folded for literal in lowered)
        return search(text) is not None

    return found


def prefiltered_search(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """``bool(pattern.search(text))``, skipping the search when the prefilter rules a match out."""
    prefilter = literal_prefilter(pattern)
    search = pattern.search
    if prefilter is None:
        return lambda text: search(text) is not None
    return lambda text: prefilter(text) and search(text) is not None


class Prefiltered:
    """A compiled pattern's ``search`` and ``finditer`` behind its prefilter (the rest as is):
    a text without the literals has no match, and is not searched."""

    __slots__ = ("_could", "fullmatch", "match", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.match = pattern.match
        self.fullmatch = pattern.fullmatch
        self._could = literal_prefilter(pattern)

    def search(self, text: str) -> re.Match[str] | None:
        if self._could is not None and not self._could(text):
            return None
        return self.pattern.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self._could is not None and not self._could(text):
            return iter(())
        return self.pattern.finditer(text)


def _top_level_branches(pattern: str) -> list[str] | None:
    """The pattern's top-level alternatives, or None when its brackets do not balance."""
    branches, start, depth, in_class, i = [], 0, 0, False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":
                i += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(pattern[start:i])
            start = i + 1
        i += 1
    if depth or in_class:
        return None
    return [*branches, pattern[start:]]


def factored(pattern: str) -> str:
    """``pattern`` with runs of top-level alternatives that open with ``\\b`` written as one
    ``\\b(?:…|…)``: the same matches in the same order of preference, but the engine tests the
    word boundary once per position instead of once per alternative, which is most of the cost
    of a long list of words (a language's hedges, a rule's names) searched in every sentence."""
    branches = _top_level_branches(pattern)
    if not branches or sum(branch.startswith("\\b") for branch in branches) < 2:
        return pattern
    out: list[str] = []
    run: list[str] = []

    def close() -> None:
        if run:
            out.append("\\b" + run[0] if len(run) == 1 else "\\b(?:" + "|".join(run) + ")")
            run.clear()

    for branch in branches:
        if branch.startswith("\\b"):
            run.append(branch[2:])
            continue
        close()
        out.append(branch)
    close()
    return "|".join(out)


__all__ = ["FOLDS_ONTO_ASCII", "Prefiltered", "factored", "literal_prefilter", "prefiltered_search"]
