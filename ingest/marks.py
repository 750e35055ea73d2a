"""A person's mark on a finding (right or wrong): the one write the dashboard may make.

Findings are derived and recomputed at every refresh; a mark is what a person knows and is
kept in its own table (``audit_marks``, migration 009) under the finding's stable id, which
``queries/audit_findings.sql`` computes from the session, kind and position or site. Setting a
mark opens the database for writing only for that one statement, so the dashboard's readers
and an ingest are locked out for milliseconds.
"""

from __future__ import annotations

import getpass
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import queries
from ingest.store import open_store

MARKS = ("right", "wrong")
KINDS = ("explanation", "spiral", "cliff")


class MarkError(ValueError):
    """The mark cannot be set: an unknown finding or mark."""


@dataclass(frozen=True)
class Mark:
    finding_id: str
    kind: str
    text: str | None
    verdict: str | None
    mark: str
    note: str | None
    marked_by: str
    marked_at: datetime


def _cell(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def mark_finding(
    db: str | Path | None, finding_id: str, mark: str, note: str | None = None, marked_by: str | None = None
) -> Mark:
    """Mark the finding ``finding_id`` right or wrong (replacing an earlier mark on it)."""
    if mark not in MARKS:
        raise MarkError(f"a mark is 'right' or 'wrong', not {mark!r}")
    finding_id = finding_id.strip()
    with open_store(db) as con:
        found = queries.run(con, "audit_findings", finding_id=finding_id)
        if found.empty:
            raise MarkError(
                f"no finding {finding_id!r}: the ids are in `dashcam audit --json` (finding_id) and on the dashboard"
            )
        row = {key: _cell(value) for key, value in found.iloc[0].to_dict().items()}
        result = Mark(
            finding_id,
            row["kind"],
            row["text"],
            row["verdict"],
            mark,
            note or None,
            marked_by or _user(),
            datetime.now(UTC).replace(tzinfo=None),
        )
        queries.execute(
            con,
            "audit_mark_upsert",
            finding_id=finding_id,
            kind=row["kind"],
            agent=row["agent"],
            session_id=row["session_id"],
            feature=row["feature"],
            text=row["text"],
            verdict=row["verdict"],
            rules=row["rules"],
            mark=mark,
            note=result.note,
            marked_by=result.marked_by,
            marked_at=result.marked_at,
        )
    return result


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
