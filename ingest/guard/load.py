"""The guard's spool into the database: only ``ingest/`` writes rows, the hooks only append.

The spool is read whole each time (it grows by one short line per decision); each line's hash
is its ``decision_id``, so a second load adds nothing. A line that does not parse is a recorded
problem, never a silent skip.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import queries
from ingest.guard.state import state_dir

SPOOL = "decisions.jsonl"


def load_problems(con, root: Path | None = None, user_name: str = "guard", run_id: str = "guard") -> int:
    """The errors the hooks met (and allowed the call after) as ingest problems; the spool is
    renamed away first, so a hook appending meanwhile starts a new one and nothing is lost."""
    path = (root or state_dir()) / "problems.jsonl"
    if not path.is_file():
        return 0
    taken = path.with_name(f"problems.{os.getpid()}.loading")
    os.replace(path, taken)
    count = 0
    for line_no, raw in enumerate(taken.read_bytes().splitlines(), start=1):
        try:
            row = json.loads(raw)
            reason = str(row.get("reason"))
        except (ValueError, AttributeError):
            reason = "guard problem line not understood"
        queries.execute(
            con,
            "guard_problem_insert",
            source_path=str(path),
            line_no=line_no,
            byte_offset=None,
            agent=None,
            reason=f"guard: {reason}"[:1000],
            raw=raw[:2000],
            user_name=user_name,
            run_id=run_id,
        )
        count += 1
    taken.unlink()
    return count


def load_spool(con, root: Path | None = None, user_name: str = "guard", run_id: str = "guard") -> tuple[int, int]:
    """(decisions added, problems recorded) from the spool under ``root``."""
    path = (root or state_dir()) / SPOOL
    if not path.is_file():
        return 0, 0
    added = problems = 0
    con.execute("BEGIN")
    try:
        offset = 0
        for line_no, raw in enumerate(path.read_bytes().splitlines(keepends=True), start=1):
            start, offset = offset, offset + len(raw)
            if not raw.endswith(b"\n"):
                break  # a line still being written: the next load reads it
            try:
                row = json.loads(raw)
                params = {
                    "decision_id": hashlib.sha1(raw).hexdigest(),
                    "agent": row.get("agent"),
                    "session_id": str(row["session_id"]),
                    "ts": row["ts"],
                    "event": row["event"],
                    "rule": row["rule"],
                    "decision": row["decision"],
                    "mode": row.get("mode"),
                    "site": row.get("site"),
                    "value_s": row.get("value_s"),
                    "budget_s": row.get("budget_s"),
                    "tool_name": row.get("tool_name"),
                    "reason": row.get("reason"),
                    "history": json.dumps(row.get("history")),
                }
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                queries.execute(
                    con,
                    "guard_problem_insert",
                    source_path=str(path),
                    line_no=line_no,
                    byte_offset=start,
                    agent=None,
                    reason=f"guard spool line not understood: {error!r}",
                    raw=raw[:2000],
                    user_name=user_name,
                    run_id=run_id,
                )
                problems += 1
                continue
            inserted = queries.execute(con, "guard_decisions_insert", **params).fetchone()
            assert inserted is not None  # an INSERT returns one row: the count of rows inserted
            added += inserted[0]
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return added, problems


def write_cliff_marks(con, root: Path | None = None) -> int:
    """Features past their 80% mark into ``cliff.json`` in the guard's state dir (the Stop hook
    reads it: a small file instead of a database on the hot path). Returns how many."""
    root = root or state_dir()
    try:
        marks = queries.execute(con, "guard_cliff_marks").fetchall()  # plain rows: no pandas on ingest's path
    except Exception as error:  # no audit tables yet (an old database): nothing to tell
        if "audit_features" not in str(error):
            raise
        return 0
    book = {
        "written_at": datetime.now(UTC).isoformat(),
        "features": {
            feature: {"t80": t80.isoformat() + "+00:00", "fixes_after_80": int(patches_after_80)}
            for feature, t80, patches_after_80 in marks
        },
    }
    root.mkdir(parents=True, exist_ok=True)
    temporary = root / f"cliff.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(book))
    os.replace(temporary, root / "cliff.json")
    return len(book["features"])


def write_staircases(con, root: Path | None = None, keep: int = 12) -> int:
    """Each feature's wait staircases into ``staircases.json`` in the guard's state dir (read by
    :func:`ingest.guard.carry.seed` when a session of the feature starts). Returns how many features."""
    root = root or state_dir()
    try:
        rows = queries.execute(con, "guard_staircases").fetchall()
    except Exception as error:  # no audit tables yet (an old database): nothing to carry
        if "audit_" not in str(error):
            raise
        return 0
    features: dict[str, dict] = {}
    for (
        feature,
        session_id,
        link,
        site,
        seconds,
        previous_s,
        escalation,
        construct,
        kind,
        source,
        file,
        check,
        failed,
    ) in rows:
        book = features.setdefault(feature, {"sites": {}, "edit_values": {}, "failures": list(failed or [])})
        chain = book["sites"].setdefault(link, {"site": site, "steps": []})
        chain["steps"] = (
            chain["steps"]
            + [
                {
                    "link": link,
                    "site": site,
                    "seconds": seconds,
                    "old": previous_s if source == "edit" else None,
                    "previous_s": previous_s,
                    "escalation": bool(escalation),
                    "failed_check": check if escalation else None,
                    "source": source,
                    "file": file,
                    "construct": construct,
                    "kind": kind,
                    "check": None,
                    "session_id": session_id,
                }
            ]
        )[-keep:]
        if source == "edit" and file:
            book["edit_values"][f"{file}\x00{seconds}"] = link
    root.mkdir(parents=True, exist_ok=True)
    temporary = root / f"staircases.{os.getpid()}.tmp"
    temporary.write_text(json.dumps({"written_at": datetime.now(UTC).isoformat(), "features": features}))
    os.replace(temporary, root / "staircases.json")
    return len(features)


def write_guard_marks(con, root: Path | None = None) -> None:
    """What the hooks read from the findings (features past 80%, open wait staircases), written
    whenever the facts behind them were computed: by the first audit after an ingest, or by
    ``ingest --facts``."""
    write_cliff_marks(con, root)
    write_staircases(con, root)
