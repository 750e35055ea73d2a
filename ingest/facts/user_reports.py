"""Whether a person's message reports a failure, and which rules said so.

A failure is not only a command that exited non-zero: a person pastes a traceback or a CI log,
or says in plain words that "the page stays blank" or "the totals double after a refresh".
Such a message opens the same window as a failed command (explanations written after it are
read as explanations of that failure; edits after it are fix attempts). Messages that merely
hold failure words do not: a prompt template or spec ("report every ERROR", "must never get
stuck"), text injected by an IDE or the agent's harness, a compaction summary, a request for
new work ("add retries for failed payouts"), a question about a concept.

:func:`read_user_message` decides, in this order:

1. injected blocks (``<ide_selection>…</ide_selection>``, ``<command-name>…``) are taken out;
   nothing left, or an injected marker or a summary, and the message is ``injected`` — not a
   prompt the person typed;
2. a message whose template signs add up to :data:`TEMPLATE_SCORE` is a template; a
   speckit-style command's own argument (the fenced block under ``## User Input``) is read on
   its own;
3. pasted output (stack frames, a Python traceback, ``FAILED tests/…``, a timestamped ERROR
   line) makes a report;
4. otherwise the first symptom (``user_report`` rule of category ``symptom``) whose clause
   passes every clause guard (``not_a_report``: request, condition, question, resolved);
5. a prompt that only lets the agent go on (``yes, go ahead``, ``fix it``: category
   ``go_ahead``) says so, as a fix attempt it answers goes on through it.

The rules are data (``ingest/rules/user_report.toml``, ``not_a_report.toml``); the ids of the
rules that fired are kept with the verdict so a finding can be explained.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.rules import Rule, rule, rules

TEMPLATE_SCORE = 1.0  # summed weights of template signs from which a message is a template
EVIDENCE_CHARS = 20_000
CUE_CHARS = 80
_CLAUSE_BREAK = re.compile(
    r"[.!?;:\n]|,|\s[-–—]\s|\b(?:but|though|although|however|yet|where|because|and then|except|instead)\b",
    re.IGNORECASE,
)
_USER_INPUT_BLOCK = re.compile(
    r"^#{1,3} User Input\s*\n+```[\w-]*\n(.*?)\n?```", re.IGNORECASE | re.MULTILINE | re.DOTALL
)


@dataclass(frozen=True)
class UserMessage:
    """What a person's message is, for the audits.

    ``kind``: ``injected`` (not typed by the person: no prompt row), ``report`` or ``prompt``.
    ``category``: for a report ``symptom`` or ``pasted_output``; for a prompt the category of the
    not_a_report rule that dismissed a failure word (``template``, ``request`` …), else None.
    ``rules``: ids of the rules that fired, the deciding one first. ``cue``: the phrase that
    made it a report. ``evidence``: for a report, the text its explanations are checked against:
    the message, which holds what was pasted or what the person saw.
    """

    kind: str
    category: str | None = None
    rules: tuple[str, ...] = ()
    cue: str | None = None
    evidence: str | None = None
    text: str = ""

    @property
    def is_report(self) -> bool:
        return self.kind == "report"


@dataclass
class _Reading:
    fired: list[str] = field(default_factory=list)
    dismissed: str | None = None


def read_user_message(text: str) -> UserMessage:
    """Classify one user message (see the module docstring for the order of the checks)."""
    harness = [r for r in rules("not_a_report") if r.category in ("injected", "summary") and _scope(r) == "message"]
    stripped, fired = text, []
    for r in harness:
        if r.fields.get("strip"):
            left = r.regex.sub("", stripped)
            if left != stripped:
                fired.append(r.id)
                stripped = left
    if not stripped.strip():
        return UserMessage("injected", "injected", tuple(fired), text=text)
    for r in harness:  # a marker, also under a stripped block ("<ide_opened_file>…</…>[Request interrupted")
        if not r.fields.get("strip") and r.search(stripped):
            return UserMessage("injected", r.category, (*fired, r.id), text=text)
    body = stripped.strip()
    template = _template_signs(body)
    if template:
        argument = _USER_INPUT_BLOCK.search(body)
        if argument and argument.group(1).strip():
            inner = _read_typed(argument.group(1).strip())
            if inner.is_report:
                return UserMessage("report", inner.category, (*inner.rules, *template), inner.cue, inner.evidence, body)
        return UserMessage("prompt", "template", tuple(template), text=body)
    return _read_typed(body)


def _read_typed(body: str) -> UserMessage:
    """A message the person typed (no template): pasted output, else a symptom that passes its guards."""
    pasted = [(r, match) for r in rules("user_report") if r.category == "pasted_output" if (match := r.search(body))]
    if pasted:
        _, first = min(pasted, key=lambda hit: hit[1].start())
        return UserMessage(
            "report",
            "pasted_output",
            tuple(r.id for r, _ in sorted(pasted, key=lambda hit: hit[1].start())),
            first.group(0).strip()[:CUE_CHARS],  # short: bundles share cues, not the message
            body[:EVIDENCE_CHARS],  # the whole message: a pasted log's first line is often above its first match
            body,
        )
    guards = [r for r in rules("not_a_report") if _scope(r) == "clause"]
    dismissed: list[str] = []
    for r in rules("user_report"):
        if r.category != "symptom":
            continue
        for match in r.regex.finditer(body):
            guard = _guarded(body, match, guards)
            if guard is None:
                return UserMessage(
                    "report",
                    "symptom",
                    (r.id,),
                    match.group(0).strip().lower()[:CUE_CHARS],
                    body[:EVIDENCE_CHARS],
                    body,
                )
            if guard.id not in dismissed:
                dismissed.append(guard.id)
    go_ahead = next((r for r in rules("not_a_report") if r.category == "go_ahead" and r.search(body)), None)
    if go_ahead is not None:  # "yes, go ahead", "fix it": the work before it goes on
        return UserMessage("prompt", "go_ahead", (go_ahead.id, *dismissed), text=body)
    if dismissed:
        return UserMessage("prompt", rule_category(dismissed[0]), tuple(dismissed), text=body)
    return UserMessage("prompt", text=body)


def _template_signs(body: str) -> list[str]:
    """Ids of the template rules that count for ``body``, when their weights reach the threshold."""
    score, signs = 0.0, []
    for r in rules("not_a_report"):
        if r.category != "template" or _scope(r) != "message":
            continue
        needed = int(r.fields.get("min_count", 1))
        count = sum(1 for _ in zip(range(needed), r.regex.finditer(body), strict=False))
        if count >= needed:
            score += r.weight
            signs.append(r.id)
    return signs if score >= TEMPLATE_SCORE else []


def _guarded(text: str, match: re.Match, guards: list[Rule]) -> Rule | None:
    """The first clause guard that holds for the clause around ``match``, or None."""
    start = _clause_start(text, match.start())
    end = _clause_end(text, match.end())
    prefix, clause = text[start : match.start()], text[start:end]
    for guard in guards:
        part = clause if guard.fields.get("part") == "clause" else prefix
        if guard.search(part):
            return guard
    return None


def _clause_start(text: str, position: int) -> int:
    start = 0
    for brk in _CLAUSE_BREAK.finditer(text, max(0, position - 300), position):
        start = brk.end()
    return start


def _clause_end(text: str, position: int) -> int:
    brk = _CLAUSE_BREAK.search(text, position)
    return brk.start() if brk else len(text)


def _scope(r: Rule) -> str:
    return str(r.fields.get("scope", "message"))


def rule_category(rule_id: str) -> str:
    return rule(rule_id).category
