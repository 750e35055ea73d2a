"""The derived audit views: which ones, in what order, with the thresholds written in.

Each view is one ``queries/view_<name>.sql`` file (``CREATE OR REPLACE VIEW <name> AS …``).
The findings are rebuilt from them (``audit_rebuild``), so they are re-created at every
rebuild and a store made by an older dashcam gets the current detectors without a migration.
A view cannot take parameters, so the ``$name`` placeholders are rendered from
:mod:`queries.thresholds`, the one place the numbers are stated. The checksum of the rendered
text tells a store whose views (and so whose findings) are out of date.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache

from queries import load_sql, thresholds

# Dependency order: a view only reads tables and the views above it. The materialized tables
# (audit_session_features, audit_spirals) are filled in this order by audit_rebuild.sql.
DERIVED_VIEWS = (
    "audit_compute_session_features",
    "audit_session_order",
    "audit_check_runs",
    "audit_failed_checks",
    "audit_wait_steps",
    "audit_compute_spirals",
    "audit_compute_spiral_steps",
    "audit_compute_completion",
    "audit_compute_patches",
    "audit_compute_features",
)

_PLACEHOLDER = re.compile(r"\$([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class DerivedView:
    name: str
    sql: str  # rendered: CREATE OR REPLACE VIEW …, thresholds written in

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def threshold_values() -> dict[str, int | float]:
    """``$spiral_min_ratio`` → ``thresholds.SPIRAL_MIN_RATIO``, for every stated threshold."""
    return {
        name.lower(): value
        for name, value in vars(thresholds).items()
        if name.isupper() and isinstance(value, int | float) and not isinstance(value, bool)
    }


def render(sql: str) -> str:
    """``sql`` with each ``$name`` replaced by the threshold's value; an unknown name is an error."""
    values = threshold_values()

    def value(match: re.Match) -> str:
        if match.group(1) not in values:
            raise KeyError(f"${match.group(1)} is no threshold in queries/thresholds.py")
        return repr(values[match.group(1)])

    return _PLACEHOLDER.sub(value, sql)


@cache
def derived_views() -> tuple[DerivedView, ...]:
    return tuple(DerivedView(name, render(load_sql(f"view_{name}"))) for name in DERIVED_VIEWS)


def derived_views_checksum() -> str:
    """One checksum over every rendered view, in order."""
    return hashlib.sha256("\n".join(view.sql for view in derived_views()).encode()).hexdigest()
