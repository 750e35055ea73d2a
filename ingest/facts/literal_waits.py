"""Duration literals an edit changed in place, and whether an edit changed nothing but waits.

:func:`ingest.facts.waits.waits_in_edit` recognises wait constructs by their shape, which
needs enough of the text to see the construct (``Eventually(…, 5*time.Second)``). Agents
often edit a single line in the middle of such a call (``}, 5*time.Second, …)`` →
``}, 10*time.Second, …)``), and then no construct is visible. This module reads such edits
line by line: a changed line whose only difference is a duration with an explicit unit
(``5*time.Second``, ``30s``, ``Duration.ofSeconds(30)``) is a wait value change. Bare
numbers are left alone: without a unit or a name nothing says they are durations.

:func:`is_wait_only_edit` answers the question the spiral audit asks of every edit between
a failure and the next pass: did the agent change anything but wait values?
"""

from __future__ import annotations

import difflib
import re

from ingest.facts.durations import parse_duration_expr
from ingest.facts.waits import WaitFact

_EXPRESSION_CHARS = re.compile(r"[\w.*]")
_PRODUCT_AFTER = re.compile(r"\s*\*\s*[\w.]+")
_PRODUCT_BEFORE = re.compile(r"[\w.]+\s*\*\s*$")
_NUMERIC = re.compile(r"[\d_.]+")
_CALLEE_BEFORE = re.compile(r"[\w.:]+\($")
_COMMENT_LINE = re.compile(r"^\s*(?:#|//|/\*|\*|--|<!--|;)")
_TIMEOUT_WORDS = re.compile(r"(?i)timeout|deadline|eventually|wait|within|expire")
NO_BARE_UNIT = "bare"  # not a unit: bare numbers do not parse as durations


def literal_wait_changes(file_path: str | None, old_text: str | None, new_text: str | None) -> list[WaitFact]:
    """Wait facts for lines whose only change is a duration literal with an explicit unit."""
    facts = []
    for old_line, new_line in changed_line_pairs(old_text, new_text):
        change = duration_change(old_line, new_line)
        if change is None:
            continue
        old_seconds, new_seconds, masked = change
        if old_seconds == new_seconds:
            continue
        facts.append(
            WaitFact(
                seconds=new_seconds,
                construct="duration literal",
                site_key=f"{file_path or ''}::{masked}",
                source="edit",
                kind="timeout" if _TIMEOUT_WORDS.search(new_line) else "wait",
                raw=new_line.strip(),
                old_seconds=old_seconds,
                old_raw=old_line.strip(),
                rule_id="wait.key.literal",
            )
        )
    return facts


def is_wait_only_edit(old_text: str | None, new_text: str | None, wait_facts: list[WaitFact]) -> bool:
    """True when the edit changed wait values and nothing else (comments and blank lines aside).

    Every changed code line must be paired with a line that differs from it only in a
    number or a duration; an added or removed code line, or a changed identifier, makes the
    edit more than a wait change.
    """
    if not any(fact.changed and fact.seconds is not None and fact.old_seconds is not None for fact in wait_facts):
        return False
    old_lines, new_lines = _code_lines(old_text), _code_lines(new_text)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    changed = False
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag != "replace" or old_end - old_start != new_end - new_start:
            return False
        for old_line, new_line in zip(old_lines[old_start:old_end], new_lines[new_start:new_end], strict=True):
            if not _differs_only_in_values(old_line, new_line):
                return False
            changed = True
    return changed


def changed_line_pairs(old_text: str | None, new_text: str | None) -> list[tuple[str, str]]:
    """(old, new) lines replaced one for one between two texts."""
    old_lines = (old_text or "").splitlines()
    new_lines = (new_text or "").splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    pairs = []
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "replace" and old_end - old_start == new_end - new_start:
            pairs += list(zip(old_lines[old_start:old_end], new_lines[new_start:new_end], strict=True))
    return pairs


def duration_change(old_line: str, new_line: str) -> tuple[float, float, str] | None:
    """(old seconds, new seconds, masked line) when two lines differ only in one duration."""
    spans = _differing_spans(old_line, new_line)
    if spans is None:
        return None
    (old_start, old_end), (new_start, new_end) = spans
    old_seconds = _duration_at(old_line, old_start, old_end)
    new_seconds = _duration_at(new_line, new_start, new_end)
    if old_seconds is None or new_seconds is None:
        return None
    old_expr_start, old_expr_end, old_value = old_seconds
    new_expr_start, new_expr_end, new_value = new_seconds
    masked_old = _mask(old_line, old_expr_start, old_expr_end)
    masked_new = _mask(new_line, new_expr_start, new_expr_end)
    if masked_old != masked_new:
        return None
    return old_value, new_value, masked_new


def _code_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip() and not _COMMENT_LINE.match(line)]


def _differs_only_in_values(old_line: str, new_line: str) -> bool:
    if duration_change(old_line, new_line) is not None:
        return True
    spans = _differing_spans(old_line, new_line)
    if spans is None:
        return False
    (old_start, old_end), (new_start, new_end) = spans
    old_token = _expand(old_line, old_start, old_end)
    new_token = _expand(new_line, new_start, new_end)
    return bool(
        _NUMERIC.fullmatch(old_line[old_token[0] : old_token[1]])
        and _NUMERIC.fullmatch(new_line[new_token[0] : new_token[1]])
    )


def _differing_spans(old_line: str, new_line: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The spans where two lines differ, after their common prefix and suffix."""
    if old_line == new_line:
        return None
    prefix = 0
    limit = min(len(old_line), len(new_line))
    while prefix < limit and old_line[prefix] == new_line[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old_line[len(old_line) - 1 - suffix] == new_line[len(new_line) - 1 - suffix]:
        suffix += 1
    return (prefix, len(old_line) - suffix), (prefix, len(new_line) - suffix)


def _expand(line: str, start: int, end: int) -> tuple[int, int]:
    """Grow a span to the whole expression around it (digits, names, dots, ``a * b`` products)."""
    while start > 0 and _EXPRESSION_CHARS.match(line[start - 1]):
        start -= 1
    while end < len(line) and _EXPRESSION_CHARS.match(line[end]):
        end += 1
    after = _PRODUCT_AFTER.match(line, end)
    if after:
        end = after.end()
    before = _PRODUCT_BEFORE.search(line[:start])
    if before:
        start = before.start()
    return start, end


def _duration_at(line: str, start: int, end: int) -> tuple[int, int, float] | None:
    """The duration expression covering ``line[start:end]``: the token, else its enclosing call."""
    start, end = _expand(line, start, end)
    token = line[start:end].strip()
    if token:
        seconds = parse_duration_expr(token, NO_BARE_UNIT)
        if seconds is not None:
            return start, end, seconds
    callee = _CALLEE_BEFORE.search(line[:start])
    if callee and line[end : end + 1] == ")":
        seconds = parse_duration_expr(line[callee.start() : end + 1], NO_BARE_UNIT)
        if seconds is not None:
            return callee.start(), end + 1, seconds
    return None


def _mask(line: str, start: int, end: int) -> str:
    return re.sub(r"\s+", " ", f"{line[:start]}<D>{line[end:]}").strip()
