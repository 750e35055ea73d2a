"""One finding explained: the rules that fired, with the evidence they fired on.

``dashcam audit --explain ID`` and the dashboard show the same document, built from the
findings (:func:`dashboard.present.findings.read_findings`) and the rule catalogue
(``ingest.api.rule_catalog``). The rules are found by their ids wherever the finding records
them (its cues, its wait construct), so the fact tables may record them in whatever shape
their extractor finds clearest: an id is a dotted name that the catalogue knows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

_DOTTED = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+")
_KINDS = (("explanations", "explanation"), ("spirals", "spiral"), ("features", "cliff"))


def find_finding(findings: Mapping[str, list[dict]], finding_id: str) -> tuple[str, dict] | None:
    """The finding with this id (or the only one whose id starts with it), and its kind."""
    matches = [
        (kind, item)
        for key, kind in _KINDS
        for item in findings.get(key, [])
        if item.get("finding_id") and str(item["finding_id"]).startswith(finding_id)
    ]
    exact = [match for match in matches if match[1]["finding_id"] == finding_id]
    if exact:
        return exact[0]
    return matches[0] if len(matches) == 1 else None


def rule_ids_in(values: Iterable[Any], catalogue: Mapping[str, dict]) -> list[str]:
    """Every catalogued rule id named anywhere in these values, in first-seen order."""
    seen: dict[str, None] = {}
    stack = list(values)
    while stack:
        value = stack.pop(0)
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
        elif isinstance(value, str):
            for token in _DOTTED.findall(value):
                if token in catalogue:
                    seen.setdefault(token)
    return list(seen)


def explain(findings: Mapping[str, list[dict]], finding_id: str, catalogue: Mapping[str, dict]) -> dict | None:
    """The explanation document of one finding, or None when no finding has this id."""
    found = find_finding(findings, finding_id)
    if found is None:
        return None
    kind, item = found
    if kind == "explanation":
        named = [item.get("cues"), item.get("category")]
        evidence = [{"label": "sentence", "text": item["text"]}]
        if item.get("evidence"):
            evidence.append({"label": "output before it", "text": item["evidence"]})
        summary = f"{item['verdict']} ({item.get('category') or 'no category'})"
        where = _where(item.get("source_path"), item.get("line_no"))
    elif kind == "spiral":
        named = [item.get("construct"), item.get("site"), item.get("rules"), item.get("cues")]
        evidence = [
            {"label": f"step {step.get('step', index)}", "text": str(step.get("raw") or step.get("value_s"))}
            for index, step in enumerate(item.get("steps") or [])
            if isinstance(step, dict)
        ] or [{"label": "values (s)", "text": " → ".join(f"{v:g}" for v in item.get("values_s") or [])}]
        summary = f"spiral, {item.get('outcome', '').replace('_', ' ')}, {item.get('ratio', 0):.0f}×"
        where = item.get("file_path") or item.get("site") or ""
    else:
        named = [item.get("by_rule")]
        evidence = [
            {
                "label": "fix attempts",
                "text": f"{item.get('patches_after_80')} of {item.get('patches_total')} past the 80% mark",
            }
        ]
        summary = "cliff"
        where = item.get("feature") or ""
    ids = rule_ids_in(named, catalogue)
    return {
        "finding_id": item["finding_id"],
        "kind": kind,
        "summary": summary,
        "session_id": item.get("session_id"),
        "agent": item.get("agent"),
        "where": where,
        "rules": [catalogue[rule_id] for rule_id in ids],
        "construct": item.get("construct") if kind == "spiral" else None,
        "cues": item.get("cues") if kind == "explanation" else None,
        "evidence": evidence,
    }


def _where(path: str | None, line: int | None) -> str:
    if not path:
        return ""
    return f"{path}:{line}" if line is not None else path
