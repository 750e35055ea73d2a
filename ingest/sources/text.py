"""Small helpers the JSONL readers share: reading loosely typed values and sniffing heads.

Transcript formats change often and fields arrive with unexpected types (a number as a
string, a list where a string was expected). These helpers turn such values into the
plain types the event model wants, returning None instead of raising, so one odd field
never costs the rest of a line.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime
from typing import Any

from ingest.events import Event, Position
from ingest.sources import bounded_json
from ingest.sources.base import parse_timestamp

HEAD_LINES_TO_TRY = 5

_EXIT_CODE_PATTERNS = (
    re.compile(r"\AExit code:? (-?\d+)\b"),  # Claude Code Bash errors, Codex shell output
    re.compile(r"^Process exited with code (-?\d+)\b", re.MULTILINE),  # Codex unified exec
    re.compile(r"<exit_code>(-?\d+)</exit_code>"),  # Claude Code background task output
)
_WALL_TIME = re.compile(r"^Wall time: ([0-9]+(?:\.[0-9]+)?) seconds?\b", re.MULTILINE)


def number(value: Any) -> int:
    """An int from a token count field; anything else (missing, null, text, bool) is 0."""
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        try:
            return int(float(value))
        except ValueError:
            return 0
    return 0


def optional_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value.strip())
    return None


def optional_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return None


def string(value: Any) -> str | None:
    """The value when it is a non-empty string, else None."""
    return value if isinstance(value, str) and value != "" else None


def mapping(value: Any) -> dict:
    """The value when it is a dict, else an empty dict (so ``.get`` chains stay safe)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def joined_text(parts: Any, text_types: tuple[str, ...] = ("text",)) -> str | None:
    """Join the text of content parts such as ``[{"type": "text", "text": ...}]``.

    A plain string is returned as is; parts of other types (images) are skipped.
    """
    if isinstance(parts, str):
        return parts
    texts = [
        part["text"]
        for part in as_list(parts)
        if isinstance(part, dict) and part.get("type") in text_types and isinstance(part.get("text"), str)
    ]
    return "\n".join(texts) if texts else None


def exit_code_in_text(text: str | None) -> int | None:
    """The exit code a tool output states in words ("Exit code 1", "Process exited with code 0")."""
    if not text:
        return None
    for pattern in _EXIT_CODE_PATTERNS:
        match = pattern.search(text)
        if match:
            return int(match.group(1))
    return None


def wall_time_in_text(text: str | None) -> float | None:
    """The duration a Codex tool output states as "Wall time: 1.2 seconds"."""
    if not text:
        return None
    match = _WALL_TIME.search(text)
    return float(match.group(1)) if match else None


def safe_timestamp(value: Any) -> datetime | None:
    """``parse_timestamp`` that answers None for epoch numbers beyond the calendar."""
    try:
        return parse_timestamp(value)
    except (ValueError, OverflowError, OSError):
        return None


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def numbered(events: list[Event], pos: Position) -> list[Event]:
    """Give the events of one line their own positions, seq 0, 1, 2…"""
    for seq, event in enumerate(events):
        event.pos = replace(pos, seq=seq)
    return events


def head_objects(head: bytes) -> tuple[list[dict], bool]:
    """Decode the first complete, non-blank lines of ``head`` as JSON.

    Returns the objects that parsed (up to a few) and whether the first line was too long
    to be complete within ``head`` (then the caller may judge by the raw prefix instead).
    """
    objects: list[dict] = []
    lines = head.split(b"\n")
    complete = lines[:-1]
    first_line_incomplete = not any(line.strip() for line in complete)
    for raw in complete:
        if not raw.strip():
            continue
        try:
            value = bounded_json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(value, dict):
            objects.append(value)
        if len(objects) >= HEAD_LINES_TO_TRY:
            break
    return objects, first_line_incomplete
