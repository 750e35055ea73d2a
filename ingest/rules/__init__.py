"""Detection rules as data: every pattern the audits match text with, with its examples.

Rules live in ``ingest/rules/<kind>.toml``, one file per kind of rule (a wait syntax, a
check command, an outside cause, a claim cue…). Each rule has an id unique across all files,
a category from the kind's checked list in ``categories.toml``, a regular expression and
``match`` / ``no_match`` examples that the test suite runs rule by rule, so a rule that stops
matching what it was written for, or starts matching what it must not, fails by name.

Why data and not code: a user adding a wait syntax or an outside category changes one file and
writes its examples; the audits' cues name the ids of the rules that fired, so a finding can be
explained (``dashcam audit --explain ID``) and a wrong one traced to the rule that made it. The
extractor version is a hash of these files and of the extractor code (:func:`fingerprint`), so
editing a rule re-derives every session's facts without anyone bumping a number.

File format::

    kind = "outside_cause"                      # must equal the file's name
    description = "What the rules of this file find, and why."
    flags = "i"                                 # optional: regex flags for every rule (i, x, m, s)

    [[rule]]
    id = "outside.kernel.syscalls"              # unique across files; dots group
    category = "kernel"                         # one of categories.toml [outside_cause]
    pattern = '''\\b(?:syscalls?|epoll|futex)\\b'''
    weight = 1.0                                # optional, default 1.0
    note = "why this rule exists"               # optional
    match = ["a futex wait in the runtime"]     # strings, or tables with `text` + expected fields
    no_match = ["the syscall wrapper in our code"]   # (no_match may be empty, match may not)
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from ingest.rules.prefilter import factored

_FLAGS = {"i": re.IGNORECASE, "x": re.VERBOSE, "m": re.MULTILINE, "s": re.DOTALL}
_ID = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$")
_RULE_KEYS = {"id", "category", "pattern", "weight", "note", "match", "no_match", "flags", "fields"}


class RuleError(ValueError):
    """A rule file is malformed: the message names the file and the rule."""


@dataclass(frozen=True)
class Example:
    """One example text, with the fields a kind-specific test may check beyond matching."""

    text: str
    expect: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    category: str
    pattern: str
    weight: float
    note: str
    match: tuple[Example, ...]
    no_match: tuple[Example, ...]
    regex: re.Pattern[str]
    fields: Mapping[str, Any] = field(default_factory=dict)

    def search(self, text: str) -> re.Match[str] | None:
        return self.regex.search(text)


def _flags(spec: str, where: str) -> int:
    flags = 0
    for letter in spec:
        if letter not in _FLAGS:
            raise RuleError(f"{where}: unknown regex flag {letter!r} (use {''.join(_FLAGS)})")
        flags |= _FLAGS[letter]
    return flags


def _examples(raw: object, where: str) -> tuple[Example, ...]:
    if not isinstance(raw, list):
        raise RuleError(f"{where}: examples must be a list")
    out = []
    for item in raw:
        if isinstance(item, str):
            out.append(Example(item))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            out.append(Example(item["text"], {k: v for k, v in item.items() if k != "text"}))
        else:
            raise RuleError(f"{where}: an example is a string or a table with a `text` string")
    return tuple(out)


def _files() -> list[tuple[str, str]]:
    root = resources.files(__package__)
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in root.iterdir()
        if entry.name.endswith(".toml") and entry.name != "categories.toml"
    )


@cache
def categories() -> dict[str, tuple[str, ...]]:
    """The checked list of categories of every kind (``categories.toml``)."""
    raw = tomllib.loads(resources.files(__package__).joinpath("categories.toml").read_text(encoding="utf-8"))
    out: dict[str, tuple[str, ...]] = {}
    for kind, table in raw.items():
        names = table.get("categories") if isinstance(table, dict) else None
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names) or not names:
            raise RuleError(f"categories.toml [{kind}]: `categories` must be a non-empty list of names")
        out[kind] = tuple(names)
    return out


def _parse(name: str, text: str, known: Mapping[str, tuple[str, ...]]) -> list[Rule]:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{name}: {exc}") from exc
    kind = doc.get("kind")
    if kind != name.removesuffix(".toml"):
        raise RuleError(f"{name}: `kind` must be {name.removesuffix('.toml')!r}, found {kind!r}")
    if kind not in known:
        raise RuleError(f"{name}: kind {kind!r} has no [{kind}] list in categories.toml")
    base_flags = _flags(str(doc.get("flags", "i")), name)
    rules = []
    for raw in doc.get("rule", []):
        where = f"{name} rule {raw.get('id', '?')!r}"
        unknown = set(raw) - _RULE_KEYS
        if unknown:
            raise RuleError(f"{where}: unknown keys {sorted(unknown)}")
        rule_id = raw.get("id")
        if not isinstance(rule_id, str) or not _ID.match(rule_id):
            raise RuleError(f"{where}: `id` must be dotted lower-case words")
        category = raw.get("category")
        if category not in known[kind]:
            raise RuleError(f"{where}: category {category!r} is not one of {list(known[kind])}")
        pattern = raw.get("pattern")
        if not isinstance(pattern, str) or not pattern:
            raise RuleError(f"{where}: `pattern` must be a non-empty string")
        flags = _flags(str(raw["flags"]), where) if "flags" in raw else base_flags
        try:
            regex = re.compile(factored(pattern), flags)
        except re.error as exc:
            raise RuleError(f"{where}: pattern does not compile: {exc}") from exc
        match = _examples(raw.get("match", []), where)
        if not match:
            raise RuleError(f"{where}: needs at least one `match` example")
        weight = raw.get("weight", 1.0)
        if not isinstance(weight, int | float) or isinstance(weight, bool):
            raise RuleError(f"{where}: `weight` must be a number")
        fields = raw.get("fields", {})
        if not isinstance(fields, dict):
            raise RuleError(f"{where}: `fields` must be a table")
        rules.append(
            Rule(
                id=rule_id,
                kind=kind,
                category=category,
                pattern=pattern,
                weight=float(weight),
                note=str(raw.get("note", "")),
                match=match,
                no_match=_examples(raw.get("no_match", []), where),
                regex=regex,
                fields=fields,
            )
        )
    return rules


@cache
def all_rules() -> dict[str, Rule]:
    """Every rule by id, loaded and checked once per process."""
    known = categories()
    out: dict[str, Rule] = {}
    for name, text in _files():
        for rule in _parse(name, text, known):
            if rule.id in out:
                raise RuleError(f"{name}: rule id {rule.id!r} is also defined in {out[rule.id].kind}.toml")
            out[rule.id] = rule
    return out


def rules(kind: str) -> tuple[Rule, ...]:
    """The rules of one kind, in file order."""
    if kind not in categories():
        raise RuleError(f"no rule kind {kind!r} (known: {sorted(categories())})")
    return tuple(rule for rule in all_rules().values() if rule.kind == kind)


def rule(rule_id: str) -> Rule:
    try:
        return all_rules()[rule_id]
    except KeyError:
        raise RuleError(f"no rule {rule_id!r}") from None


@cache
def fingerprint() -> str:
    """A short hash of every rule file and of the fact extractors' code.

    Stored with each session's facts: when it differs from the running dashcam's, the facts are
    stale and are recomputed, so a changed rule or extractor is never mixed with old facts.
    """
    digest = hashlib.sha256()
    for name, text in [*_files(), ("categories.toml", _categories_text())]:
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    facts = resources.files("ingest.facts")
    for entry in sorted(facts.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _categories_text() -> str:
    return resources.files(__package__).joinpath("categories.toml").read_text(encoding="utf-8")
