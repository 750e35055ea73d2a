"""The period a report or an export covers: an ISO week (``2026-W47``) or a date range.

A week is named by its ISO label; a range by its first and last day. The default is the last
complete ISO week before today, so a Monday-morning cron job reports the week just ended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


class PeriodError(ValueError):
    """A week or date the person typed cannot be understood."""


@dataclass(frozen=True)
class Period:
    since: date
    until: date  # inclusive

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    @property
    def is_iso_week(self) -> bool:
        return self.since.isoweekday() == 1 and self.days == 7

    @property
    def label(self) -> str:
        """``2026-W47`` for an ISO week, else ``2026-11-01_2026-11-14`` (safe in a file name)."""
        if self.is_iso_week:
            year, week, _ = self.since.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.since.isoformat()}_{self.until.isoformat()}"

    @property
    def title(self) -> str:
        span = f"{self.since:%a %d %b %Y} – {self.until:%a %d %b %Y}"
        return f"Week {self.label} ({span})" if self.is_iso_week else span

    def previous(self) -> Period:
        """The period of the same length just before this one (last week, for a week)."""
        return Period(self.since - timedelta(days=self.days), self.since - timedelta(days=1))


def iso_week(label: str) -> Period:
    match = _WEEK.match(label.strip())
    if not match:
        raise PeriodError(f"not an ISO week: {label!r} (use YYYY-Www, e.g. 2026-W47)")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise PeriodError(f"{label!r}: {year} has no week {week}") from None
    return Period(monday, monday + timedelta(days=6))


def last_complete_week(today: date) -> Period:
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(days=7), monday - timedelta(days=1))


def parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError(f"{option} takes a date as YYYY-MM-DD, not {value!r}") from None


def choose_period(week: str | None, since: str | None, until: str | None, today: date) -> Period:
    """``--week``, else ``--since``/``--until`` (an open end is the other end's week), else last week."""
    if week and (since or until):
        raise PeriodError("give either --week or --since/--until, not both")
    if week:
        return iso_week(week)
    if not since and not until:
        return last_complete_week(today)
    first = parse_day(since, "--since") if since else None
    last = parse_day(until, "--until") if until else None
    if first is None:
        assert last is not None  # the case of neither --since nor --until returned above
        first = last - timedelta(days=last.weekday())
    last = last or min(today, first + timedelta(days=6 - first.weekday()))
    if last < first:
        raise PeriodError(f"--until {last} is before --since {first}")
    return Period(first, last)
