"""The transcript view's logic: which events to show, where a linked line lands, and how a
finding is worded. Pure pandas, so it is tested without Streamlit.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from dashboard.present.formatting import seconds_text

PAGE_SIZE = 100
BOOKKEEPING_KINDS = ("meta",)
WAIT_SOURCES = ("command", "edit")


def parse_session_key(key: str | None) -> tuple[str, str] | None:
    """``agent:session_id`` from a URL (the id itself may contain colons)."""
    if not key or ":" not in key:
        return None
    agent, session_id = key.split(":", 1)
    return (agent, session_id) if agent and session_id else None


def parse_line(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


def wait_label(finding) -> str:
    """``timeout 10 s → 60 s`` for a changed value, ``wait 30 s`` for a set one."""
    kind = finding.kind or "wait"
    if finding.once:
        return f"{kind}: check once"
    if finding.old_seconds is not None and not pd.isna(finding.old_seconds):
        return f"{kind} {seconds_text(finding.old_seconds)} → {seconds_text(finding.seconds)}"
    return f"{kind} {seconds_text(finding.seconds)}"


def attach_findings(events: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """Each event with the findings on its line: waits from commands and edits go on the tool
    call, waits stated in prose and explanations on the assistant message."""
    events = events.assign(findings=[[] for _ in range(len(events))])
    if findings.empty or events.empty:
        return events
    index: dict[tuple[Any, Any, str], int] = {}
    for position, event in enumerate(events.itertuples(index=False)):
        target = "tool_call" if event.event == "tool_call" else ("prose" if event.role == "assistant" else None)
        if target:
            index.setdefault((event.source_path, event.line_no, target), position)
    for finding in findings.itertuples(index=False):
        target = "tool_call" if finding.finding == "wait" and finding.source in WAIT_SOURCES else "prose"
        at = index.get((finding.source_path, finding.line_no, target))
        if at is not None:
            events.iat[at, events.columns.get_loc("findings")].append(finding)
    return events


def flag(value) -> bool:
    """A nullable boolean from a query row: True only when it is set and true."""
    return False if value is None or pd.isna(value) else bool(value)


def text_of(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def is_highlighted(event) -> bool:
    return bool(event.findings) or flag(event.is_error) or flag(event.is_patch)


def visible_events(events: pd.DataFrame, show_bookkeeping: bool, only_highlights: bool) -> pd.DataFrame:
    """The events to list: without bookkeeping lines and empty messages unless asked for, and
    only the marked ones (failures, patches, waits, explanations) when asked."""
    bookkeeping = events["kind"].isin(BOOKKEEPING_KINDS) | ((events["event"] == "message") & events["text"].isna())
    shown = events if show_bookkeeping else events[~bookkeeping]
    if only_highlights:
        shown = shown[[is_highlighted(event) for event in shown.itertuples(index=False)]]
    return shown.reset_index(drop=True)


def page_count(events: pd.DataFrame, page_size: int = PAGE_SIZE) -> int:
    return max(1, math.ceil(len(events) / page_size))


def page_of_line(events: pd.DataFrame, line: int | None, page_size: int = PAGE_SIZE) -> int:
    """The 1-based page holding the first event read from ``line`` (page 1 if none is)."""
    if line is None or events.empty:
        return 1
    matches = events.index[events["line_no"] == line]
    return int(matches[0]) // page_size + 1 if len(matches) else 1


def page_slice(events: pd.DataFrame, page: int, page_size: int = PAGE_SIZE) -> pd.DataFrame:
    start = (page - 1) * page_size
    return events.iloc[start : start + page_size]
