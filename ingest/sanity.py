"""The last check before an event becomes a row: numbers a column can hold and a sum can trust.

A reader turns what a transcript says into events; a transcript can say anything. A token
count of ``1e30`` or ``-5``, an exit code beyond 32 bits or an infinite duration would
either fail the whole group's insert (every re-run dying at the same line) or store a cost
nobody paid. Here such an event becomes a :class:`Problem` for its line, with the line's raw
text, and the rest of the line, the file and the group are stored as usual.
"""

from __future__ import annotations

import math

from ingest.events import Event, Problem, ToolResult, Usage

# No API response carries a trillion tokens; the bound also keeps any sum of up to
# nine million rows inside a 64-bit integer.
MAX_TOKENS = 10**12
TOKEN_FIELDS = (
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_write_5m_tokens",
    "cache_write_1h_tokens",
    "reasoning_tokens",
)
INT32 = (-(2**31), 2**31 - 1)
RAW_BYTES = 4096
# What a reader returns for a count no column can hold (an infinite float, a number of
# hundreds of digits), so that :func:`vet` turns its event into a problem.
NOT_A_COUNT = 2**64


class BadCount(ValueError):
    """A token count a reader cannot use (negative, or beyond any real response)."""


def check_count(name: str, value: int) -> int:
    """``value`` when it is a plausible token count, else :class:`BadCount`."""
    if value < 0:
        raise BadCount(f"negative token count: {name} = {value}")
    if value > MAX_TOKENS:
        raise BadCount(f"token count beyond any real response: {name} = {_short(value)}")
    return value


def usage_problem(event: Usage) -> str | None:
    for name in TOKEN_FIELDS:
        value = getattr(event, name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and math.isfinite(value) and value.is_integer():
                value = int(value)
            else:
                return f"{name} is not a whole number of tokens: {str(value)[:40]}"
        if value < 0:
            return f"negative token count: {name} = {value}"
        if value > MAX_TOKENS:
            return f"token count beyond any real response: {name} = {_short(value)}"
    return None


def tool_result_problem(event: ToolResult) -> str | None:
    if event.exit_code is not None and not (INT32[0] <= event.exit_code <= INT32[1]):
        return f"exit code out of range: {_short(event.exit_code)}"
    if event.duration_s is not None and not math.isfinite(event.duration_s):
        return f"duration is not a finite number: {event.duration_s}"
    return None


def vet(event: Event, path: str) -> Event:
    """``event``, or a Problem for its line when a number in it cannot be stored as it is."""
    if isinstance(event, Usage):
        reason = usage_problem(event)
    elif isinstance(event, ToolResult):
        reason = tool_result_problem(event)
    else:
        return event
    if reason is None:
        return event
    return Problem(event.pos, reason, raw_line(path, event.pos.byte_offset))


def raw_line(path: str, offset: int) -> bytes:
    """The text of the line at ``offset`` (at most RAW_BYTES), for the problem's record."""
    try:
        with open(path, "rb") as handle:
            handle.seek(offset)
            head = handle.read(RAW_BYTES)
    except OSError:
        return b""
    return head.split(b"\n", 1)[0]


def _short(value: int) -> str:
    text = str(value) if abs(value) < 10**30 else f"{float(value):.3g}" if math.isfinite(float(value)) else "huge"
    return text[:40]
