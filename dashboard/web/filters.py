"""The filters every dashboard page shares.

The sidebar's date range, user, project, agent and model are bound to the URL's query
string (``?since=2026-10-05&user=alice``) so a view can be shared by link; this module is
the pure half: the filters as a value, and the named parameters every
``queries/dash_*.sql`` and ``queries/audit_*.sql`` file takes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

# query-string key -> Filters field
URL_KEYS = {
    "since": "since",
    "until": "until",
    "user": "user_name",
    "project": "project",
    "agent": "agent",
    "model": "model",
}


@dataclass(frozen=True)
class Filters:
    """What the person is looking at. ``None`` means "all"; dates are local and inclusive."""

    since: date | None = None
    until: date | None = None
    user_name: str | None = None
    project: str | None = None
    agent: str | None = None
    model: str | None = None
    tz: str = "UTC"

    def params(self) -> dict:
        """Named query parameters (dates as ``YYYY-MM-DD``); queries ignore those they do not use."""
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        values["since"] = self.since.isoformat() if self.since else None
        values["until"] = self.until.isoformat() if self.until else None
        return values

    @property
    def active(self) -> bool:
        return any(getattr(self, field) is not None for field in URL_KEYS.values())
