"""The guard's three rules, judged on a session's compact history (pure: no I/O here).

* PreToolUse: a call that raises a wait at a site already raised after failed checks, for the
  third time (the audit's spiral threshold), is stopped before it runs; deny it (block mode)
  or ask (warn mode), quoting the staircase,
  unless the agent's text since the last raise states a timing mechanism.
* Stop: an exotic explanation (outside cause, no evidence) in the last assistant message is
  sent back once per claim with the request to reproduce it in the smallest isolated case.
* Cliff: a note to the person when fixes keep landing past the feature's 80% mark
  (:func:`cliff_note`, fed by the caller's count).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ingest.guard import stream

# A mechanism that timing would explain: a measured duration set against the budget, or a
# named slow operation. Either makes a longer wait an argued choice rather than a guess.
_DURATION = r"\d+(?:\.\d+)?\s*(?:ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)\b"
_MEASURED = re.compile(
    rf"(?i)\b(?:took|takes|taking|measured|runs? in|ran in|elapsed|real\s|wall[- ]clock|finish(?:es|ed)? in"
    rf"|complet(?:es|ed) in|lasts?|needs?|spent)\b[^.\n]{{0,60}}?{_DURATION}"
    rf"|{_DURATION}[^.\n]{{0,40}}\b(?:against|over|above|beyond|exceed\w*|more than|longer than|past)\b"
    rf"[^.\n]{{0,30}}\b(?:budget|limit|timeout|deadline)"
)
_SLOW_OPERATION = re.compile(
    r"(?i)\b(?:image pull|pulling (?:the )?image|cold start|compil(?:e|es|ing|ation) (?:takes|is slow)|"
    r"first build|cache (?:miss|is cold)|downloads? (?:the|a) \w+|index(?:ing)? (?:the|a) \w+ takes|"
    r"migration (?:takes|runs)|warm[- ]?up (?:takes|is)|provision(?:ing)? (?:takes|is slow))"
)


# The raise that is stopped. A wait raised twice after failures can still be a guess that
# comes right (the held-out rounds hold one, replaced by a condition wait next); the third
# raise of the same wait is where the audit's spiral begins (3 escalations), so it is stopped
# before it is spent.
STOP_AT_RAISE = 3


@dataclass
class Decision:
    rule: str  # spiral | exotic | cliff
    decision: str  # deny | ask | block | note | allow
    reason: str
    history: list | None = None
    site: str | None = None
    value_s: float | None = None
    budget_s: float | None = None  # the wait the stopped raise would have spent


def mechanism_stated(texts: list, since_ord: int) -> str | None:
    for ord_, text in texts:
        if ord_ <= since_ord:
            continue
        match = _MEASURED.search(text) or _SLOW_OPERATION.search(text)
        if match:
            return match.group(0)
    return None


def judge_call(history: dict, call: dict, mode: str) -> Decision | None:
    """The decision for a proposed call, or None to let it pass silently."""
    worst = None
    for step in stream.proposed_steps(history, call):
        verdict = stream.judge_step(history, step)
        if not verdict["escalation"]:
            continue
        earlier = [s for s in verdict["chain"]["steps"] if s["escalation"]]
        if len(earlier) < STOP_AT_RAISE - 1:
            continue
        rank = {"retry loop": 0, "probe budget": 0}.get(step["construct"], 1 if step["kind"] == "timeout" else 2)
        if worst is None or rank < worst[0]:
            worst = (rank, step, verdict, earlier)
    if worst is None:
        return None
    _, step, verdict, earlier = worst
    values = [earlier[0]["previous_s"]] + [s["seconds"] for s in earlier] + [step["seconds"]]
    mechanism = mechanism_stated(history["texts"], earlier[-1]["ord"])
    staircase = " → ".join(_seconds(v) for v in values)
    ordinal = {2: "second", 3: "third", 4: "fourth"}.get(len(earlier) + 1, f"{len(earlier) + 1}th")
    where = f" in {step['file']}" if step["source"] == "edit" and step["file"] else ""
    reason = (
        f"{ordinal} raise of this wait ({step['construct']}{where}): {staircase}, "
        f"each after `{verdict['failures'][-1][2][:160]}` failed."
    )
    history_rows = [{"value_s": v} for v in values]
    if mechanism:
        return Decision(
            "spiral",
            "allow",
            f"{reason} Allowed: a timing mechanism was stated ({mechanism!r}).",
            history_rows,
            verdict["chain"]["site"],
            step["seconds"],
            0.0,
        )
    reason += (
        " Before raising it again, state the mechanical hypothesis: what operation takes longer than "
        f"{_seconds(values[-2])}, and how long does it measurably take? If nothing is measurably slow, "
        "the check fails for another reason: read its output and fix the cause."
    )
    return Decision(
        "spiral",
        "deny" if mode == "block" else "ask",
        reason,
        history_rows,
        verdict["chain"]["site"],
        step["seconds"],
        step["seconds"],
    )


def judge_stop(history: dict, stop_hook_active: bool) -> Decision | None:
    last = history.get("last_text")
    if stop_hook_active or not last:
        return None
    for text, category in stream.exotic_claims(history, last[1]):
        key = hashlib.sha1(text.encode()).hexdigest()[:16]
        if key in history["claims_blocked"]:
            continue
        history["claims_blocked"] = (history["claims_blocked"] + [key])[-100:]
        reason = (
            f'You blamed something outside the project ({category.replace("_", " ")}): "{text[:300]}" '
            "Nothing in the recent tool output shows it. Reproduce the failure in the smallest isolated "
            "case first, and look at the project's own code before blaming the environment."
        )
        return Decision("exotic", "block", reason, [{"claim": text[:500], "category": category}])
    return None


CLIFF_FIXES = 3  # fewer fixes past the mark is an ordinary finish, not a pile-up
TRUNKS = ("", "main", "master", "develop", "trunk", "HEAD")  # as audit_compute_session_features


def judge_cliff(history: dict, marks: dict) -> Decision | None:
    """A note to the person when this session's feature is past its 80% mark and the fixes keep
    coming: the fixes the audit counted past the mark, plus this session's edits since then."""
    branch = history.get("branch") or ""
    project = (history.get("project") or "").rstrip("/")
    if branch in TRUNKS or not project:
        return None
    feature = f"{project.rsplit('/', 1)[-1]}@{branch}"
    mark = marks.get("features", {}).get(feature)
    if not mark:
        return None
    since = max(mark["t80"], marks.get("written_at", ""))
    fixes = mark["fixes_after_80"] + sum(1 for ts in history.get("edit_times", []) if ts > since)
    if fixes < CLIFF_FIXES or fixes <= history.get("cliff_noted", 0):
        return None
    history["cliff_noted"] = fixes
    return Decision(
        "cliff",
        "note",
        f"dashcam: {fixes} fixes have landed on {feature} since its 80% mark "
        f"({mark['t80'][:16].replace('T', ' ')} UTC); the last stretch is piling up "
        "changes: worth a look at what they are fixing.",
        [{"fixes": fixes}],
        feature,
    )


def _seconds(value: float | None) -> str:
    if value is None:
        return "?"
    if value >= 60 and value % 60 == 0:
        return f"{int(value // 60)} min"
    return f"{value:g} s"
