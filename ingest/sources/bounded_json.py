"""JSON decoding that turns hostile nesting and numbers into decode errors, never a crash.

``json.loads`` raises RecursionError on a value nested about a thousand levels deep and
ValueError on an integer literal of more than 4,300 digits; both would escape the readers'
``except json.JSONDecodeError`` and kill the ingest at that line on every run. Values nested
deeper than :data:`MAX_DEPTH` are refused too: later code (``json.dumps`` of a tool input,
text extraction) walks them recursively. Real transcripts nest a few dozen levels at most.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

MAX_DEPTH = 200
HUGE_INT = 2**64  # stands for an integer literal of hundreds of digits


class TooDeep(json.JSONDecodeError):
    """A JSON value nested deeper than MAX_DEPTH levels."""


def loads(text: str | bytes) -> Any:
    """``json.loads``; a too-deep value or an unreadable number is a JSONDecodeError."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise TooDeep(f"JSON nested deeper than {MAX_DEPTH} levels", _as_str(text), 0) from None
    except json.JSONDecodeError:
        raise
    except ValueError as error:
        # an integer literal beyond Python's digit limit: read again, such integers as
        # HUGE_INT (beyond any column), so only the field holding one is refused later
        try:
            value = json.loads(text, parse_int=_bounded_int)
        except RecursionError:
            raise TooDeep(f"JSON nested deeper than {MAX_DEPTH} levels", _as_str(text), 0) from None
        except ValueError:
            raise json.JSONDecodeError(f"unreadable value ({str(error)[:80]})", _as_str(text), 0) from None
    if _may_be_deep(text) and depth_exceeds(value, MAX_DEPTH):
        raise TooDeep(f"JSON nested deeper than {MAX_DEPTH} levels", _as_str(text), 0)
    return value


def _bounded_int(digits: str) -> int:
    return int(digits) if len(digits) <= 100 else HUGE_INT


def _as_str(text: str | bytes) -> str:
    return text if isinstance(text, str) else text[:4096].decode("utf-8", "replace")


def _may_be_deep(text: str | bytes) -> bool:
    """A cheap filter (C-speed counts): fewer brackets than MAX_DEPTH cannot nest deeper."""
    if isinstance(text, str):
        return text.count("[") + text.count("{") > MAX_DEPTH
    return text.count(b"[") + text.count(b"{") > MAX_DEPTH


def depth_exceeds(value: Any, limit: int) -> bool:
    """True when ``value`` nests containers more than ``limit`` levels deep (iterative walk)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False
