"""How a number reads, the same on the terminal, the dashboard and the report.

One home for money, counts and durations, so a cost never shows as ``$0.00`` on one front
and ``<$0.01`` on another.
"""

from __future__ import annotations

import math


def missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: float | None) -> str:
    """``$1,234.56``; ``<$0.01`` for a cost too small to round to a cent; ``—`` for unknown."""
    if value is None or missing(value):
        return "—"
    if 0 < abs(value) < 0.005:
        return "<$0.01"
    return f"{'-' if value < 0 else ''}${abs(value):,.2f}"


def signed_money(value: float) -> str:
    """A change in cost: ``+$1.20`` or ``-$0.35``."""
    return f"{'+' if value >= 0 else '-'}${abs(value):,.2f}"


def number(value: float | None, digits: int = 0) -> str:
    if missing(value):
        return "—"
    return f"{value:,.{digits}f}"


def seconds_text(seconds: float | None) -> str:
    """A wait as a person says it: ``500 ms``, ``45 s``, ``2 min``, ``1.5 h``."""
    if seconds is None or missing(seconds):
        return "?"
    if seconds < 1:
        return f"{seconds * 1000:g} ms"
    if seconds < 120:
        return f"{seconds:g} s"
    if seconds < 7200:
        return f"{seconds / 60:.3g} min"
    return f"{seconds / 3600:.3g} h"
